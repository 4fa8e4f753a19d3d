import { epochMillisecondsOf, type Instant } from './calendar';
import type { CandidateProfile } from './candidate-profile';
import type { CredentialAttempts } from './event-fold';
import {
  type Attempt,
  dateAttempts,
  deriveReminders,
  type Reminder,
  type ReminderKind,
} from './reminder-rules';
import type { RuleSettings } from './rule-settings';

/** Why a run did not email a due reminder (SPEC §5 `skipped[].reason`). */
export type SkipReason = 'superseded' | 'stale' | 'unsubscribed';

/** What the ledger remembers of a reminder once a run has dealt with it. */
export type LedgerStatus = 'claimed' | 'sent' | 'skipped' | 'failed';

/** A reminder dealt with, or claimed by a sender whose lease still holds on the wall clock. */
export interface LedgerEntry {
  readonly key: string;
  readonly credentialId: string;
  readonly kind: ReminderKind;
  readonly status: LedgerStatus;
}

export interface CandidateAtRun {
  readonly profile: CandidateProfile;
  readonly credentials: readonly CredentialAttempts[];
  /** What counts as dealt with: the ledger and the live claims (expired claims left out). */
  readonly ledger: readonly LedgerEntry[];
  /** Per credential, reminders due at or before this instant were dealt with (a compacted ledger). */
  readonly settledThrough?: Readonly<Record<string, string>>;
  /** The candidate asked for no more reminders, or their address is suppressed. */
  readonly optedOut: boolean;
}

export interface RunDecision {
  /** Reminders to email now, in one digest. */
  readonly send: readonly Reminder[];
  readonly skip: ReadonlyArray<{ readonly reminder: Reminder; readonly reason: SkipReason }>;
}

const DAY_MS = 86_400_000;

/** Whether the ledger (or its compacted part) already deals with `reminder`. */
const isSettled = (candidate: CandidateAtRun, keys: ReadonlySet<string>, reminder: Reminder) => {
  if (keys.has(reminder.key)) return true;
  const through = candidate.settledThrough?.[reminder.credentialId];
  return through !== undefined && reminder.dueAt <= through;
};

/**
 * Whether attempts known at the run make a due reminder pointless: a later attempt for retake and
 * renewal reminders, a later pass for the expiry ones.
 */
const isSuperseded = (
  reminder: Reminder,
  attempts: readonly Attempt[],
  timeZone: string,
): boolean => {
  const dated = dateAttempts(attempts, timeZone);
  const anchorIndex = dated.findIndex((attempt) => attempt.attemptId === reminder.anchorAttemptId);
  const later = dated.slice(anchorIndex + 1);
  if (reminder.kind === 'expiring_soon' || reminder.kind === 'expired') {
    return later.some((attempt) => attempt.outcome === 'pass');
  }
  return later.length > 0;
};

/**
 * Decides what a run at `runAt` does for one candidate (SPEC §1 "A run"): every reminder due by
 * `runAt` and not settled in the ledger is either emailed or skipped with a reason.
 *
 * - `superseded`: an attempt taken by `runAt` (even after the due instant) makes it pointless;
 * - `stale`: more than `maxLatenessDays` late, or a later stage of the same credential is due too;
 * - `unsubscribed`: the candidate opted out (or their address bounced or complained).
 *
 * Attempts taken after `runAt` are ignored, so replays of past instants behave like real days.
 *
 * @example
 * const { send, skip } = decideRun(candidate, Temporal.Instant.from('2027-11-29T13:00:00Z'), settings);
 */
export const decideRun = (
  candidate: CandidateAtRun,
  runAt: Instant,
  settings: RuleSettings,
): RunDecision => {
  const timeZone = candidate.profile.timeZone ?? settings.defaultTimeZone;
  const send: Reminder[] = [];
  const skip: Array<{ reminder: Reminder; reason: SkipReason }> = [];
  const runEpoch = runAt.epochMilliseconds;
  const settledKeys = new Set(candidate.ledger.map((entry) => entry.key));

  for (const credential of candidate.credentials) {
    const known = credential.attempts.filter(
      (attempt) => epochMillisecondsOf(attempt.takenAt) <= runEpoch,
    );
    const due = deriveReminders(
      {
        candidateId: candidate.profile.candidateId,
        credentialId: credential.credentialId,
        attempts: known,
        timeZone,
      },
      settings,
    ).filter(
      (reminder) =>
        epochMillisecondsOf(reminder.dueAt) <= runEpoch &&
        !isSettled(candidate, settledKeys, reminder),
    );
    const active: Reminder[] = [];
    for (const reminder of due) {
      if (isSuperseded(reminder, known, timeZone)) skip.push({ reminder, reason: 'superseded' });
      else active.push(reminder);
    }
    const latestStage = Math.max(...active.map((reminder) => reminder.stage));
    for (const reminder of active) {
      const lateMs = runEpoch - epochMillisecondsOf(reminder.dueAt);
      if (reminder.stage < latestStage || lateMs > settings.maxLatenessDays * DAY_MS) {
        skip.push({ reminder, reason: 'stale' });
      } else if (candidate.optedOut) {
        skip.push({ reminder, reason: 'unsubscribed' });
      } else {
        send.push(reminder);
      }
    }
  }
  return { send, skip };
};
