import { createHash } from 'node:crypto';

/**
 * The outbound webhooks of SPEC §8: what the programme is told happened, as bodies shaped like
 * inbound events (`{"type","timestamp","data"}`), each with one stable `webhook-id`. Bodies carry
 * ids only, never an address or a name (SPEC §11).
 *
 * The `webhook-id` is derived from what happened, not drawn at random: the same happening
 * published twice (a retried Lambda, a redelivered SNS notification, a second click on the same
 * unsubscribe link) gets the same id, so a receiver that deduplicates by it sees it once.
 */

/** One due reminder of an email, as in the `run` report (SPEC §5). */
export interface OutboundReminder {
  readonly credentialId: string;
  readonly kind: string;
  readonly dueOn: string;
}

export type OutboundEventType =
  | 'reminder.sent'
  | 'email.bounced'
  | 'email.complained'
  | 'candidate.unsubscribed';

/** An event as the receiver gets it. */
export interface OutboundEventBody {
  readonly type: OutboundEventType;
  readonly timestamp: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** What is queued and delivered: the id and the exact body every attempt sends. */
export interface OutboundMessage {
  readonly webhookId: string;
  readonly type: OutboundEventType;
  /** The JSON body, serialised once so that every attempt signs the very same bytes. */
  readonly body: string;
}

/**
 * The `webhook-id` of a happening: `msg_` and 32 hex digits of SHA-256 over the type and the
 * facts that identify it.
 *
 * @example
 * webhookIdOf('reminder.sent', ['0100018c-ses-id']); // 'msg_3f…' (always the same)
 */
export const webhookIdOf = (type: OutboundEventType, facts: readonly string[]): string =>
  `msg_${createHash('sha256')
    .update([type, ...facts].join('\n'))
    .digest('hex')
    .slice(0, 32)}`;

const message = (
  type: OutboundEventType,
  facts: readonly string[],
  timestamp: string,
  data: Record<string, unknown>,
): OutboundMessage => ({
  webhookId: webhookIdOf(type, facts),
  type,
  body: JSON.stringify({ type, timestamp, data } satisfies OutboundEventBody),
});

/**
 * `reminder.sent`: one email went out with these reminders. Identified by the SES message id.
 *
 * @example
 * reminderSent({ candidateId: 'cand-ana', messageId: 'ses-1', at: '2027-11-29T13:00:02.000Z',
 *   reminders: [{ credentialId: 'aws-saa', kind: 'expired', dueOn: '2027-11-29' }] });
 */
export const reminderSent = (event: {
  readonly candidateId: string;
  readonly messageId: string;
  readonly reminders: readonly OutboundReminder[];
  readonly at: string;
}): OutboundMessage =>
  message('reminder.sent', [event.messageId], event.at, {
    candidateId: event.candidateId,
    messageId: event.messageId,
    reminders: event.reminders.map(({ credentialId, kind, dueOn }) => ({
      credentialId,
      kind,
      dueOn,
    })),
  });

/**
 * `email.bounced` (always `Permanent`: transient bounces suppress nothing and are not reported).
 * Identified by the SES message id of the email that bounced.
 *
 * @example
 * emailBounced({ candidateIds: ['cand-ana'], messageId: 'ses-1', at: '2027-11-29T13:00:05.000Z' });
 */
export const emailBounced = (event: {
  readonly candidateIds: readonly string[];
  readonly messageId: string;
  readonly at: string;
}): OutboundMessage =>
  message('email.bounced', [event.messageId], event.at, {
    candidateIds: [...new Set(event.candidateIds)].sort(),
    bounceType: 'Permanent',
  });

/**
 * `email.complained`: a recipient marked the email as spam. Identified by the SES message id.
 *
 * @example
 * emailComplained({ candidateIds: ['cand-ana'], messageId: 'ses-1', at: '2027-11-30T08:00:00.000Z' });
 */
export const emailComplained = (event: {
  readonly candidateIds: readonly string[];
  readonly messageId: string;
  readonly at: string;
}): OutboundMessage =>
  message('email.complained', [event.messageId], event.at, {
    candidateIds: [...new Set(event.candidateIds)].sort(),
  });

/**
 * `candidate.unsubscribed`, at the instant the first opt-out was recorded: a second click on the
 * link reports the same instant, hence the same `webhook-id`.
 *
 * @example
 * candidateUnsubscribed({ candidateId: 'cand-ana', at: '2027-11-29T14:00:00.000Z' });
 */
export const candidateUnsubscribed = (event: {
  readonly candidateId: string;
  readonly at: string;
}): OutboundMessage =>
  message('candidate.unsubscribed', [event.candidateId, event.at], event.at, {
    candidateId: event.candidateId,
    at: event.at,
  });
