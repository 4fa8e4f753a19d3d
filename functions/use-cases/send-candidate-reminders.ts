import { randomUUID } from 'node:crypto';
import { formatInstant, localDateOf, parseInstant } from '../domain/calendar';
import { renderReminderEmail } from '../domain/reminder-email';
import type { Reminder } from '../domain/reminder-rules';
import type { RuleSettings } from '../domain/rule-settings';
import { decideRun, type LedgerEntry, type SkipReason } from '../domain/run-decisions';
import { createUnsubscribeToken, unsubscribeUrlOf } from '../domain/unsubscribe-token';
import type { SendRequest } from './plan-run';
import type { CertificationStore, ReminderRecord } from './ports';

/** A composed email, ready for the mail port. */
export interface OutgoingEmail {
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly unsubscribeUrl: string;
}

/** The mail port: SES v2 on AWS and locally (against the emulator). */
export interface ReminderMailer {
  send(email: OutgoingEmail): Promise<{ readonly messageId: string }>;
}

/** One due reminder in a run report (SPEC §5 `run` JSON). */
export interface ReportedReminder {
  readonly credentialId: string;
  readonly kind: Reminder['kind'];
  readonly dueOn: string;
}

export interface SentEmail {
  readonly candidateId: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly messageId: string | null;
  readonly subject: string;
  readonly reminders: readonly ReportedReminder[];
}

export interface SkippedReminder extends ReportedReminder {
  readonly candidateId: string;
  readonly reason: SkipReason;
}

export interface CandidateRunReport {
  readonly candidateId: string;
  readonly email?: SentEmail;
  readonly skipped: readonly SkippedReminder[];
  /** Set when the email could not be sent and will not be retried. */
  readonly failure?: string;
}

/** A send that failed for a reason worth retrying (throttling, 5xx, timeouts). */
export class RetryableSendError extends Error {
  override readonly name = 'RetryableSendError';
}

export interface SenderDeps {
  readonly store: CertificationStore;
  readonly settings: RuleSettings;
  readonly mailer: ReminderMailer;
  /** `retryable` failures release the claims so a retry sends; `permanent` ones are recorded. */
  readonly classifyFailure: (error: unknown) => 'retryable' | 'permanent';
  readonly emailFrom: string;
  readonly publicUrl: string;
  /** Unsubscribe signing secrets; the first signs new links. */
  readonly unsubscribeSecrets: () => Promise<readonly string[]>;
  /** How long a claim holds on the run's clock before another run may retry it. */
  readonly leaseMinutes?: number;
}

const reported = (reminder: Reminder): ReportedReminder => ({
  credentialId: reminder.credentialId,
  kind: reminder.kind,
  dueOn: reminder.dueOn,
});

const ledgerOf = (records: readonly ReminderRecord[]): LedgerEntry[] =>
  records.filter((record): record is ReminderRecord & LedgerEntry => record.status !== 'pending');

/**
 * The sender: for one candidate of a run, re-reads their states (consistent reads), decides what
 * is due (SPEC §1 "A run"), claims each reminder with a conditional write, sends one digest
 * email and records its message id. Skips are recorded with their reason.
 *
 * A retryable SES failure releases the claims and throws {@link RetryableSendError} so the queue
 * retries; a permanent one is recorded and not retried. A claim whose holder crashed expires after
 * the lease (on the run's clock), so a later run retries it. One window cannot be closed: if SES
 * accepts the email and the process dies before the message id is recorded, the claim expires and
 * a later run sends the email again.
 *
 * @example
 * const report = await sendCandidateReminders(deps, { runAt: '2027-11-29T13:00:00Z', candidateId: 'cand-ana', reminders: [] });
 */
export const sendCandidateReminders = async (
  deps: SenderDeps,
  request: SendRequest,
): Promise<CandidateRunReport> => {
  const runAt = parseInstant(request.runAt);
  const runAtText = formatInstant(runAt);
  const target = await deps.store.resolveCandidate(request.candidateId);
  if (target.erased) return { candidateId: request.candidateId, skipped: [] };
  const candidateId = target.candidateId;
  const record = await deps.store.loadCandidate(candidateId);
  const profile = record.profile?.profile;
  if (profile?.email === undefined) return { candidateId, skipped: [] };

  const optedOut =
    record.profile?.unsubscribedAt !== undefined || (await deps.store.isSuppressed(profile.email));
  const decision = decideRun(
    {
      profile,
      credentials: record.states.map((state) => ({
        credentialId: state.credentialId,
        name: state.credentialName,
        attempts: state.attempts,
      })),
      ledger: ledgerOf(record.reminders),
      optedOut,
    },
    runAt,
    deps.settings,
  );
  const skipped = decision.skip.map(({ reminder, reason }) => ({
    candidateId,
    ...reported(reminder),
    reason,
  }));
  // Skips are recorded only once the candidate's message is done: a retried message decides,
  // and so reports, them again. A dry run records nothing.
  const recordSkips = async () => {
    if (request.dryRun) return;
    for (const { reminder, reason } of decision.skip) {
      await deps.store.skipReminder(candidateId, reminder, reason, runAtText);
    }
  };
  if (decision.send.length === 0) {
    await recordSkips();
    return { candidateId, skipped };
  }

  const to = [profile.email];
  // A guardian whose address bounced or complained is no longer copied; the candidate still is.
  const guardian = profile.guardianEmail;
  const cc = guardian && !(await deps.store.isSuppressed(guardian)) ? [guardian] : [];
  const names = new Map(record.states.map((state) => [state.credentialId, state.credentialName]));
  const compose = async (reminders: readonly Reminder[]): Promise<OutgoingEmail> => {
    const [signingSecret] = await deps.unsubscribeSecrets();
    const unsubscribeUrl = unsubscribeUrlOf(
      deps.publicUrl,
      createUnsubscribeToken(candidateId, signingSecret ?? ''),
    );
    const rendered = renderReminderEmail({
      profile,
      reminders: reminders.map((reminder) => ({
        ...reminder,
        credentialName: names.get(reminder.credentialId) ?? reminder.credentialId,
      })),
      unsubscribeUrl,
      today: localDateOf(runAt, profile.timeZone ?? deps.settings.defaultTimeZone),
    });
    return { from: deps.emailFrom, to, cc, unsubscribeUrl, ...rendered };
  };

  const sentEmail = (
    subject: string,
    reminders: readonly Reminder[],
    messageId: string | null,
  ): SentEmail => ({
    candidateId,
    to,
    cc,
    messageId,
    subject,
    reminders: reminders.map(reported),
  });

  if (request.dryRun) {
    const preview = await compose(decision.send);
    return { candidateId, skipped, email: sentEmail(preview.subject, decision.send, null) };
  }

  const claimToken = randomUUID();
  const leaseUntil = formatInstant(runAt.add({ minutes: deps.leaseMinutes ?? 15 }));
  const claimed: Reminder[] = [];
  for (const reminder of decision.send) {
    if (
      await deps.store.claimReminder({
        candidateId,
        reminder,
        runAt: runAtText,
        leaseUntil,
        claimToken,
      })
    ) {
      claimed.push(reminder);
    }
  }
  if (claimed.length === 0) {
    await recordSkips();
    return { candidateId, skipped };
  }

  const email = await compose(claimed);
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(email));
  } catch (error) {
    if (deps.classifyFailure(error) === 'retryable') {
      for (const reminder of claimed)
        await deps.store.releaseReminder(candidateId, reminder.key, claimToken);
      throw new RetryableSendError(
        `sending to ${candidateId} failed, will retry: ${(error as Error).message}`,
      );
    }
    const message = (error as Error).message ?? String(error);
    for (const reminder of claimed) {
      await deps.store.failReminder(candidateId, reminder.key, claimToken, message, runAtText);
    }
    await recordSkips();
    return { candidateId, skipped, failure: message };
  }
  for (const reminder of claimed) {
    await deps.store.completeReminder(candidateId, reminder.key, claimToken, messageId, runAtText);
  }
  await recordSkips();
  return { candidateId, skipped, email: sentEmail(email.subject, claimed, messageId) };
};
