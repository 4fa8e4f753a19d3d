import type { SNSEvent } from 'aws-lambda';
import type { RuntimeConfig } from '../config/runtime-config';
import { emailBounced, emailComplained, type OutboundMessage } from '../domain/outbound-events';
import { verifyUnsubscribeToken } from '../domain/unsubscribe-token';
import { publishOutbound } from '../use-cases/outbound-delivery';
import {
  type CandidateRepository,
  type Clock,
  type OutboundEvents,
  type Stores,
  systemClock,
} from '../use-cases/ports';
import { type Sources, storesFor } from './composition';
import { outboundSourceOf } from './lambda-outbound';
import { dynamoClient, lambdaEntry, logger } from './lambda-runtime';
import { secretListOf } from './lambda-secrets';

/** The parts of an SES notification (identity notifications or configuration-set events) we read. */
export interface SesNotification {
  readonly notificationType?: string;
  readonly eventType?: string;
  readonly mail?: {
    readonly messageId?: string;
    readonly timestamp?: string;
    readonly headers?: ReadonlyArray<{ readonly name?: string; readonly value?: string }>;
  };
  readonly bounce?: {
    readonly bounceType?: string;
    readonly timestamp?: string;
    readonly bouncedRecipients?: ReadonlyArray<{ readonly emailAddress?: string }>;
  };
  readonly complaint?: {
    readonly timestamp?: string;
    readonly complainedRecipients?: ReadonlyArray<{ readonly emailAddress?: string }>;
  };
}

/** Addresses to suppress, with why: permanent bounces and complaints (transient bounces are not). */
export const addressesToSuppress = (
  notification: SesNotification,
): Array<{ email: string; reason: string }> => {
  const type = notification.notificationType ?? notification.eventType;
  if (type === 'Bounce' && notification.bounce?.bounceType === 'Permanent') {
    return (notification.bounce.bouncedRecipients ?? []).flatMap((recipient) =>
      recipient.emailAddress ? [{ email: recipient.emailAddress, reason: 'bounce' }] : [],
    );
  }
  if (type === 'Complaint') {
    return (notification.complaint?.complainedRecipients ?? []).flatMap((recipient) =>
      recipient.emailAddress ? [{ email: recipient.emailAddress, reason: 'complaint' }] : [],
    );
  }
  return [];
};

/** An address as SES writes it, possibly `"Name" <a@b>`: just the address. */
const bareAddress = (value: string) => (/<([^>]+)>/.exec(value)?.[1] ?? value).trim();

/**
 * The candidate an email was sent to, from the signed token of its `List-Unsubscribe` header,
 * which SES returns among the headers of the notification: named along with the candidates the
 * address indexes find, so the candidate the email went to is named even when its profile has
 * changed address since. A missing or forged token names no one.
 *
 * @example
 * candidateIdsOf(notification, ['unsubscribe-key']); // ['cand-ana']
 */
export const candidateIdsOf = (
  notification: SesNotification,
  unsubscribeSecrets: readonly string[],
): string[] => {
  const ids = new Set<string>();
  for (const header of notification.mail?.headers ?? []) {
    if (header.name?.toLowerCase() !== 'list-unsubscribe' || !header.value) continue;
    for (const [, link] of header.value.matchAll(/<([^>]+)>/g)) {
      let token: string | null = null;
      try {
        token = new URL(link as string).searchParams.get('token');
      } catch {
        continue;
      }
      const candidateId = verifyUnsubscribeToken(token, unsubscribeSecrets);
      if (candidateId !== undefined) ids.add(candidateId);
    }
  }
  return [...ids];
};

/** The outbound event of a notification that suppressed an address, when it names a candidate. */
const outboundEventOf = (
  notification: SesNotification,
  candidateIds: readonly string[],
  now: string,
): OutboundMessage | undefined => {
  const messageId = notification.mail?.messageId;
  if (candidateIds.length === 0 || messageId === undefined) return undefined;
  if (notification.bounce !== undefined)
    return emailBounced({ candidateIds, messageId, at: notification.bounce.timestamp ?? now });
  return emailComplained({
    candidateIds,
    messageId,
    at: notification.complaint?.timestamp ?? now,
  });
};

/**
 * The candidates a bounce or a complaint names (SPEC §8): every candidate whose email or guardian
 * email is a suppressed address, from the address indexes, with the candidate of the email's
 * unsubscribe token; sorted, each once. Either source failing is logged and names no one, so
 * the other still does.
 */
const candidatesNamed = async (
  deps: SesEventsDeps,
  notification: SesNotification,
  snsMessageId: string,
): Promise<string[]> => {
  const ids = new Set<string>();
  try {
    const secrets = deps.unsubscribeSecrets ? await deps.unsubscribeSecrets() : [];
    for (const id of candidateIdsOf(notification, secrets)) ids.add(id);
  } catch (error) {
    deps.log?.warn('could not read the unsubscribe secret: token not read', {
      messageId: snsMessageId,
      error: (error as Error).message,
    });
  }
  const addresses = [
    ...new Set(addressesToSuppress(notification).map((a) => bareAddress(a.email))),
  ];
  try {
    for (const address of addresses)
      for (const id of await deps.stores.candidates.candidatesUsingAddress(address)) ids.add(id);
  } catch (error) {
    deps.log?.warn('could not read the address indexes: only the token names candidates', {
      messageId: snsMessageId,
      error: (error as Error).message,
    });
  }
  return [...ids].sort();
};

export interface SesEventsDeps {
  /** The suppression list, and the address indexes to name every candidate using an address. */
  readonly stores: Pick<Stores, 'suppressions'> & {
    readonly candidates: Pick<CandidateRepository, 'candidatesUsingAddress'>;
  };
  readonly clock: Clock;
  readonly log?: Pick<typeof logger, 'info' | 'warn'>;
  /** Told of each bounce and complaint that suppressed an address (SPEC §8), when on. */
  readonly outbound?: OutboundEvents;
  /** The unsubscribe secrets, to read the candidate of a bounced email's token (with `outbound`). */
  readonly unsubscribeSecrets?: () => Promise<readonly string[]>;
}

/**
 * SES bounce and complaint notifications, delivered by SNS: a hard bounce or a complaint
 * suppresses the address, so no reminder is sent to it again.
 *
 * @example
 * await makeSesEvents({ stores, clock })(snsEvent);
 */
export const makeSesEvents =
  (deps: SesEventsDeps) =>
  async (event: SNSEvent): Promise<{ suppressed: number }> => {
    let suppressed = 0;
    for (const record of event.Records) {
      let notification: SesNotification;
      try {
        notification = JSON.parse(record.Sns.Message) as SesNotification;
      } catch {
        deps.log?.warn('ignored an SNS message that is not JSON', {
          messageId: record.Sns.MessageId,
        });
        continue;
      }
      const addresses = addressesToSuppress(notification);
      for (const { email, reason } of addresses) {
        await deps.stores.suppressions.suppress(
          bareAddress(email),
          reason,
          deps.clock.now().toISOString(),
        );
        suppressed += 1;
        deps.log?.info('address suppressed', { reason });
      }
      if (addresses.length > 0 && deps.outbound !== undefined) {
        // Reporting outbound never fails the suppression, which is already recorded.
        const candidateIds = await candidatesNamed(deps, notification, record.Sns.MessageId);
        const event = outboundEventOf(notification, candidateIds, deps.clock.now().toISOString());
        if (event === undefined)
          deps.log?.warn('a suppression names no candidate: not reported outbound', {
            messageId: record.Sns.MessageId,
          });
        else await publishOutbound(deps.outbound, [event]);
      }
    }
    return { suppressed };
  };

/** The ses-events function's composition root, for Lambda and the local stack alike. */
export const buildSesEventsDeps = (
  config: RuntimeConfig,
  sources: Sources & {
    readonly log?: SesEventsDeps['log'];
    readonly outbound?: OutboundEvents;
    readonly unsubscribeSecrets?: () => Promise<readonly string[]>;
  },
): SesEventsDeps => ({
  stores: storesFor(config, sources),
  clock: sources.clock ?? systemClock,
  ...(sources.log ? { log: sources.log } : {}),
  ...(sources.outbound ? { outbound: sources.outbound } : {}),
  ...(sources.unsubscribeSecrets ? { unsubscribeSecrets: sources.unsubscribeSecrets } : {}),
});

/** The Lambda entry point subscribed to the SES notifications topic. */
export const handler = lambdaEntry((config) =>
  makeSesEvents(
    buildSesEventsDeps(config, {
      dynamodb: dynamoClient(),
      log: logger,
      ...outboundSourceOf(config),
      ...(config.outboundQueueUrl
        ? { unsubscribeSecrets: secretListOf(config.unsubscribeSecret, 'UNSUBSCRIBE_SECRET') }
        : {}),
    }),
  ),
);
