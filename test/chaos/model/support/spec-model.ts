import {
  type CandidateState,
  credentialsOf,
  profileOf,
} from '../../../../functions/domain/candidate-state';
import { deriveReminders, type Reminder } from '../../../../functions/domain/reminder-rules';
import type { RuleSettings } from '../../../../functions/domain/rule-settings';

/**
 * SPEC §1 "A run", written out again for the chaos suite, from a candidate's state alone (the
 * pure fold gives the state; the reminder rules give each reminder's key and due instant):
 *
 * - due at T: the reminders the attempts taken by T call for, whose due instant is at or before T;
 * - `superseded`: an attempt taken by T after the anchor (a later pass, for the expiry kinds);
 * - `stale`: more than `MAX_LATENESS_DAYS` late, or a later stage of the same credential is due;
 * - `unsubscribed`: the candidate opted out;
 * - everything else due and not yet dealt with is emailed, in one digest.
 *
 * Nothing here reads the product's run decision code: a bug there shows up as a difference.
 */

export const DAY_MS = 86_400_000;

export type SkipReason = 'superseded' | 'stale' | 'unsubscribed';

export interface ModelDecision {
  readonly send: readonly Reminder[];
  readonly skip: ReadonlyArray<{ readonly reminder: Reminder; readonly reason: SkipReason }>;
}

const byInstantThenId = (
  a: { readonly takenAt: string; readonly attemptId: string },
  b: { readonly takenAt: string; readonly attemptId: string },
) =>
  Date.parse(a.takenAt) - Date.parse(b.takenAt) ||
  (a.attemptId < b.attemptId ? -1 : a.attemptId > b.attemptId ? 1 : 0);

/** The attempts of one credential taken at or before `at` (epoch ms), oldest first. */
const attemptsKnownAt = (state: CandidateState, credentialId: string, at: number) =>
  (
    credentialsOf(state).find((credential) => credential.credentialId === credentialId)?.attempts ??
    []
  )
    .filter((attempt) => Date.parse(attempt.takenAt) <= at)
    .sort(byInstantThenId);

const zoneOf = (state: CandidateState, settings: RuleSettings) =>
  profileOf(state).timeZone ?? settings.defaultTimeZone;

/** Every reminder due at `at` (epoch ms), judged on the attempts taken by then. */
export const remindersDueAt = (
  state: CandidateState,
  at: number,
  settings: RuleSettings,
): Reminder[] =>
  credentialsOf(state).flatMap((credential) =>
    deriveReminders(
      {
        candidateId: state.candidateId,
        credentialId: credential.credentialId,
        attempts: attemptsKnownAt(state, credential.credentialId, at),
        timeZone: zoneOf(state, settings),
      },
      settings,
    ).filter((reminder) => Date.parse(reminder.dueAt) <= at),
  );

/** Whether an attempt taken by `at` makes the reminder pointless (SPEC §1 `superseded`). */
export const isSupersededAt = (reminder: Reminder, state: CandidateState, at: number): boolean => {
  const attempts = attemptsKnownAt(state, reminder.credentialId, at);
  const anchor = attempts.findIndex((attempt) => attempt.attemptId === reminder.anchorAttemptId);
  if (anchor < 0) return false;
  const later = attempts.slice(anchor + 1);
  return reminder.kind === 'expiring_soon' || reminder.kind === 'expired'
    ? later.some((attempt) => attempt.outcome === 'pass')
    : later.length > 0;
};

const isLate = (reminder: Reminder, at: number, settings: RuleSettings) =>
  at - Date.parse(reminder.dueAt) > settings.maxLatenessDays * DAY_MS;

/**
 * What a run at `at` must do for one candidate (SPEC §1): `settled` holds the keys already dealt
 * with (emailed, skipped, failed).
 */
export const decideAt = (
  state: CandidateState,
  at: number,
  settled: ReadonlySet<string>,
  optedOut: boolean,
  settings: RuleSettings,
): ModelDecision => {
  const send: Reminder[] = [];
  const skip: Array<{ reminder: Reminder; reason: SkipReason }> = [];
  if (state.erasedAt !== undefined || state.mergedInto !== undefined) return { send, skip };
  if (profileOf(state).email === undefined) return { send, skip };
  const due = remindersDueAt(state, at, settings).filter((reminder) => !settled.has(reminder.key));
  const active: Reminder[] = [];
  for (const reminder of due) {
    if (isSupersededAt(reminder, state, at)) skip.push({ reminder, reason: 'superseded' });
    else active.push(reminder);
  }
  for (const reminder of active) {
    const laterStage = active.some(
      (other) => other.credentialId === reminder.credentialId && other.stage > reminder.stage,
    );
    if (laterStage || isLate(reminder, at, settings)) skip.push({ reminder, reason: 'stale' });
    else if (optedOut) skip.push({ reminder, reason: 'unsubscribed' });
    else send.push(reminder);
  }
  return { send, skip };
};

/** A candidate as some moment of a scenario saw them. */
export interface PersonAt {
  readonly state: CandidateState;
  readonly optedOut: boolean;
}

/**
 * Whether a skip the product recorded (reminder `key`, `reason`, run instant `runAt`) is one SPEC
 * §1 allows for the candidate as one of `moments` saw them.
 */
export const skipIsJustified = (
  key: string,
  reason: string,
  runAt: string,
  moments: readonly PersonAt[],
  settings: RuleSettings,
): boolean => {
  const at = Date.parse(runAt);
  return moments.some(({ state, optedOut }) => {
    const due = remindersDueAt(state, at, settings);
    const reminder = due.find((candidate) => candidate.key === key);
    if (reminder === undefined) return false;
    switch (reason) {
      case 'superseded':
        return isSupersededAt(reminder, state, at);
      case 'stale':
        return (
          isLate(reminder, at, settings) ||
          due.some(
            (other) =>
              other.credentialId === reminder.credentialId &&
              other.stage > reminder.stage &&
              !isSupersededAt(other, state, at),
          )
        );
      case 'unsubscribed':
        return optedOut;
      default:
        return false;
    }
  });
};

/**
 * What is wrong, if anything, with emailing reminder `key` in a run at `runAt` to the candidate as
 * `moment` saw them (the sender must have read at least that much): it must be due, neither
 * superseded nor late, and the candidate neither erased nor opted out.
 */
export const unsoundSend = (
  key: string,
  runAt: string,
  moment: PersonAt,
  settings: RuleSettings,
): string | undefined => {
  const at = Date.parse(runAt);
  const { state } = moment;
  if (state.erasedAt !== undefined) return 'the candidate was erased';
  if (moment.optedOut) return 'the candidate had unsubscribed';
  const reminder = remindersDueAt(state, at, settings).find((candidate) => candidate.key === key);
  if (reminder === undefined) return 'no such reminder is due at the run instant';
  if (isSupersededAt(reminder, state, at)) return 'a stored attempt supersedes it';
  if (isLate(reminder, at, settings))
    return `it is more than ${settings.maxLatenessDays} days late (stale)`;
  return undefined;
};

/** The stage of a reminder `key` among those due for `state` at `runAt`, if it is due. */
export const dueReminder = (
  key: string,
  runAt: string,
  state: CandidateState,
  settings: RuleSettings,
): Reminder | undefined =>
  remindersDueAt(state, Date.parse(runAt), settings).find((reminder) => reminder.key === key);

/** The attempt id a reminder key is anchored on (`<credential>#<kind>#<attemptId>[#<N>]`). */
export const anchorOfKey = (key: string): string => key.split('#')[2] ?? '';
