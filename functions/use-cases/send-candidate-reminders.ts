import { randomUUID } from 'node:crypto';
import { formatInstant, parseInstant } from '../domain/calendar';
import {
  claimReminders,
  recordSkips,
  releaseClaims,
  settleClaims,
  settledEntries,
} from '../domain/candidate-ledger';
import { type CandidateState, credentialsOf, profileOf } from '../domain/candidate-state';
import { reminderSent } from '../domain/outbound-events';
import type { Reminder } from '../domain/reminder-rules';
import { decideRun, type RunDecision, type SkipReason } from '../domain/run-decisions';
import { type CandidateChangeDeps, resolveCandidate } from './candidate-changes';
import { type ComposeDeps, composeReminderEmail } from './compose-reminder-email';
import { completeMerge } from './merge-accounts';
import { publishOutbound } from './outbound-delivery';
import type {
  Clock,
  EmailMessage,
  Mailer,
  OutboundEvents,
  SendFailureClass,
  SendRequest,
  Stores,
  VersionedCandidate,
} from './ports';
import { changeSurvivingAccount } from './surviving-account';

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
  /** Set when SES rejected this message; its reminders are recorded as failed. */
  readonly failure?: string;
  /** In a dry run: the very email a real run would send (the console's preview). */
  readonly preview?: EmailMessage;
}

/** A send that failed because of the sending account: the reminders stay due (SPEC §1). */
export class RetryableSendError extends Error {
  override readonly name = 'RetryableSendError';
}

export interface SenderDeps extends ComposeDeps {
  readonly stores: Pick<Stores, 'candidates' | 'suppressions'>;
  readonly mailer: Mailer;
  readonly classifyFailure: (error: unknown) => SendFailureClass;
  readonly clock: Clock;
  /** How long a claim holds on the wall clock before another sender may take it over. */
  readonly claimLeaseSeconds: number;
  /**
   * Waits for a slot of the account's send rate (`SES_MAX_SEND_RATE`). It is taken before the
   * claim, so a claim's lease runs only while its email is really being sent, never while it
   * queues behind other candidates' emails.
   */
  readonly pace?: () => Promise<void>;
  readonly newToken?: () => string;
  /** The first wait before a failed completion write is retried, doubling after (100 ms). */
  readonly finishRetryMs?: number;
  /**
   * Told of each email recorded as sent (`reminder.sent`, SPEC §8) when outbound webhooks are
   * on. Publishing never fails the send: the email is recorded first, and a failure to publish
   * is logged and counted, never thrown.
   */
  readonly outbound?: OutboundEvents;
}

const reported = (reminder: Reminder): ReportedReminder => ({
  credentialId: reminder.credentialId,
  kind: reminder.kind,
  dueOn: reminder.dueOn,
});

const MAX_DECISION_ROUNDS = 10;

/** SES may name the addresses it refused; reports and the ledger keep ids, never addresses. */
const withoutAddresses = (text: string) =>
  text.replace(/[^\s<>"'@,;]+@[^\s<>"'@,;]+/g, '<address>');

/**
 * The sender, for one candidate of a run (SPEC §1 "A run"): one consistent read, one claim write,
 * one email through SES, one completion write.
 *
 * 1. Decide on the candidate as read: what is due by the run instant and not dealt with is sent
 *    or skipped (claims of live senders count as dealt with: the lease is on the wall clock).
 * 2. Claim the reminders to send, conditional on the version read; a lost race decides again on
 *    what the winner wrote (an erasure, an attempt, another sender's claim).
 * 3. Send one digest. A failure of the sending account releases the claims and throws
 *    {@link RetryableSendError} (the reminders stay due); a rejection of the message records them
 *    as failed.
 * 4. Record them as sent, with the skips, on whatever account holds the claims by then (a merge
 *    moves them to the target; an erasure leaves nothing to record).
 *
 * The one window that stays open: SES accepted the email and the process died before step 4; the
 * claim's lease then runs out and a later run sends the email again.
 *
 * @example
 * const report = await sendCandidateReminders(deps, { runAt: '2027-11-29T13:00:00Z', candidateId: 'cand-ana' });
 */
export const sendCandidateReminders = async (
  deps: SenderDeps,
  request: SendRequest,
): Promise<CandidateRunReport> => {
  const runAt = formatInstant(parseInstant(request.runAt));
  const change: CandidateChangeDeps = {
    candidates: deps.stores.candidates,
    settings: deps.settings,
  };
  let { root: current } = await resolveCandidate(deps.stores.candidates, request.candidateId);

  for (let round = 0; round < MAX_DECISION_ROUNDS; round += 1) {
    const { state } = current;
    const candidateId = state.candidateId;
    const profile = profileOf(state);
    const email = profile.email;
    if (state.erasedAt !== undefined || email === undefined) return { candidateId, skipped: [] };
    if (state.mergingInto !== undefined) {
      // A merge under way: nothing goes out from here; finished, its reminders go from the target.
      if (request.dryRun) return { candidateId, skipped: [] };
      const merged = await completeMerge(deps, candidateId, runAt);
      if (merged === 'pending') return { candidateId, skipped: [] };
      current = (await resolveCandidate(deps.stores.candidates, candidateId)).root;
      continue;
    }
    const guardian = profile.guardianEmail;
    const suppressed = await deps.stores.suppressions.suppressed(
      guardian ? [email, guardian] : [email],
    );
    const decision = decide(deps, state, runAt, suppressed.has(email));
    const skipped = decision.skip.map(({ reminder, reason }) => ({
      candidateId,
      ...reported(reminder),
      reason,
    }));
    const cc = guardian && !suppressed.has(guardian) ? [guardian] : [];
    const names = new Map(
      credentialsOf(state).map((credential) => [credential.credentialId, credential.name]),
    );
    const compose = (reminders: readonly Reminder[]) =>
      composeReminderEmail(deps, { profile: { ...profile, email }, reminders, names, runAt, cc });

    if (request.dryRun) {
      if (decision.send.length === 0) return { candidateId, skipped };
      const preview = await compose(decision.send);
      const email: SentEmail = {
        candidateId,
        to: preview.to,
        cc,
        messageId: null,
        subject: preview.subject,
        reminders: decision.send.map(reported),
      };
      return { candidateId, skipped, email, preview };
    }
    if (decision.send.length === 0) {
      if (decision.skip.length > 0) {
        await finish(
          change,
          candidateId,
          (latest) => recordSkips(latest, decision.skip, runAt, deps.clock.now().toISOString()),
          current,
          deps.finishRetryMs,
        );
      }
      return { candidateId, skipped };
    }

    // Claim: one conditional write on the version decided on; a lost race decides again.
    await deps.pace?.();
    const token = deps.newToken?.() ?? randomUUID();
    const leaseUntil = new Date(
      deps.clock.now().getTime() + deps.claimLeaseSeconds * 1000,
    ).toISOString();
    const claimedState = claimReminders(state, decision.send, { token, leaseUntil, runAt });
    const claimed = await deps.stores.candidates.save(claimedState, current.version, current.dueAt);
    if (claimed === undefined) {
      current = (await resolveCandidate(deps.stores.candidates, candidateId)).root;
      continue;
    }
    const keys = decision.send.map((reminder) => reminder.key);
    const message = await compose(decision.send);
    let messageId: string;
    try {
      ({ messageId } = await deps.mailer.send(message));
    } catch (error) {
      const failure = deps.classifyFailure(error);
      if (failure === 'account') {
        await finish(
          change,
          candidateId,
          (latest) => releaseClaims(latest, keys, token),
          undefined,
          deps.finishRetryMs,
        );
        throw new RetryableSendError(
          `sending to ${candidateId} failed, will retry: ${withoutAddresses(String((error as Error).message))}`,
        );
      }
      const text = withoutAddresses((error as Error).message ?? String(error));
      await finish(
        change,
        candidateId,
        (latest) =>
          settleClaims(latest, {
            token,
            keys,
            at: runAt,
            outcome: { error: text },
            skips: decision.skip,
            wallNow: deps.clock.now().toISOString(),
          }),
        undefined,
        deps.finishRetryMs,
      );
      return { candidateId, skipped, failure: text };
    }
    await finish(
      change,
      candidateId,
      (latest) =>
        settleClaims(latest, {
          token,
          keys,
          at: runAt,
          outcome: { messageId },
          skips: decision.skip,
          wallNow: deps.clock.now().toISOString(),
        }),
      { state: claimedState, version: claimed, ...(current.dueAt ? { dueAt: current.dueAt } : {}) },
      deps.finishRetryMs,
    );
    await publishOutbound(deps.outbound, [
      reminderSent({
        candidateId,
        messageId,
        reminders: decision.send.map(reported),
        at: deps.clock.now().toISOString(),
      }),
    ]);
    return {
      candidateId,
      skipped,
      email: {
        candidateId,
        to: message.to,
        cc,
        messageId,
        subject: message.subject,
        reminders: decision.send.map(reported),
      },
    };
  }
  throw new Error(
    `candidate ${request.candidateId} kept changing during the run; it will be retried`,
  );
};

const decide = (
  deps: SenderDeps,
  state: CandidateState,
  runAt: string,
  suppressed: boolean,
): RunDecision =>
  decideRun(
    {
      profile: profileOf(state),
      credentials: credentialsOf(state),
      ledger: settledEntries(state, deps.clock.now().toISOString()),
      ...(state.settledThrough ? { settledThrough: state.settledThrough } : {}),
      optedOut: state.unsubscribedAt !== undefined || suppressed,
    },
    parseInstant(runAt),
    deps.settings,
  );

/**
 * Settles claims on the account that holds them now: the same one, or the target it was merged
 * into meanwhile; an erased account keeps nothing.
 */
const FINISH_ATTEMPTS = 6;

const finish = async (
  deps: CandidateChangeDeps,
  candidateId: string,
  settle: (state: CandidateState) => CandidateState,
  known?: VersionedCandidate,
  firstRetryMs = 100,
) => {
  // Settling is idempotent, and after SES accepted an email it is what keeps a later run from
  // sending it again: a passing DynamoDB failure (throttling, a time-out) is retried here
  // rather than handed to the queue, whose redelivery would find only its own live claim.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await changeSurvivingAccount(
        deps,
        candidateId,
        (state) => ({ next: settle(state), result: undefined }),
        attempt === 1 ? known : undefined,
      );
      return;
    } catch (error) {
      if (attempt >= FINISH_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, firstRetryMs * 2 ** (attempt - 1)));
    }
  }
};
