import { addDays } from './calendar';
import type { CandidateState } from './candidate-state';
import { credentialsOf, profileOf } from './candidate-state';
import { deriveReminders, type Reminder, type ReminderKind } from './reminder-rules';
import type { RuleSettings } from './rule-settings';
import type { LedgerEntry, SkipReason } from './run-decisions';

/**
 * The run side of a candidate: claims, the ledger of reminders dealt with, and the one due
 * instant the due index keeps for them. Pure: every instant comes from the caller.
 */

/** What identifies a reminder in the ledger, and the dates reports show. */
export interface ReminderRef {
  readonly credentialId: string;
  readonly kind: ReminderKind;
  readonly anchorAttemptId: string;
  readonly daysBefore?: number;
  readonly dueOn: string;
  readonly dueAt: string;
}

/** A reminder emailed, skipped or failed. `at` is the run instant that dealt with it. */
export interface LedgerRecord extends ReminderRef {
  readonly status: 'sent' | 'skipped' | 'failed';
  readonly at: string;
  readonly messageId?: string;
  readonly reason?: SkipReason;
  readonly error?: string;
}

/** A reminder a sender is working on. The lease is on the wall clock (SPEC §1). */
export interface ClaimRecord extends ReminderRef {
  readonly token: string;
  /** Wall-clock instant after which another sender may take the claim over. */
  readonly leaseUntil: string;
  readonly runAt: string;
}

/** How many ledger entries a candidate keeps in full before old ones are compacted. */
export const LEDGER_KEEP = 64;

const refOf = (reminder: Reminder): ReminderRef => ({
  credentialId: reminder.credentialId,
  kind: reminder.kind,
  anchorAttemptId: reminder.anchorAttemptId,
  ...(reminder.daysBefore === undefined ? {} : { daysBefore: reminder.daysBefore }),
  dueOn: reminder.dueOn,
  dueAt: reminder.dueAt,
});

/**
 * What a run must treat as dealt with: the ledger, and the claims whose lease has not run out on
 * the wall clock `wallNow` (a live sender may still be sending them).
 */
export const settledEntries = (state: CandidateState, wallNow: string): LedgerEntry[] => {
  const entries: LedgerEntry[] = Object.entries(state.ledger).map(([key, record]) => ({
    key,
    credentialId: record.credentialId,
    kind: record.kind,
    status: record.status,
  }));
  for (const [key, claim] of Object.entries(state.claims))
    if (claim.leaseUntil > wallNow)
      entries.push({ key, credentialId: claim.credentialId, kind: claim.kind, status: 'claimed' });
  return entries;
};

/** Whether a reminder falls under a credential's compaction watermark. */
export const isCompacted = (
  state: CandidateState,
  reminder: Pick<Reminder, 'credentialId' | 'dueAt'>,
) => {
  const through = state.settledThrough?.[reminder.credentialId];
  return through !== undefined && reminder.dueAt <= through;
};

/** Claims `reminders` for one sender (`token`), replacing claims whose lease ran out. */
export const claimReminders = (
  state: CandidateState,
  reminders: readonly Reminder[],
  claim: { readonly token: string; readonly leaseUntil: string; readonly runAt: string },
): CandidateState => {
  const claims = { ...state.claims };
  for (const reminder of reminders) claims[reminder.key] = { ...refOf(reminder), ...claim };
  return { ...state, claims };
};

/** The keys of `reminders` still claimed by `token`: a claim that another sender took over is not ours. */
export const heldClaims = (state: CandidateState, keys: readonly string[], token: string) =>
  keys.filter((key) => state.claims[key]?.token === token);

/**
 * Settles the claims of `token` among `keys` (sent with `messageId`, or failed with `error`) and
 * records `skips`, all with the run instant `at`. Claims taken over by another sender are left
 * alone. A dead candidate (alias, tombstone) is returned as it is: nothing is re-created in it.
 * `wallNow` is passed on to {@link recordSkips}.
 */
export const settleClaims = (
  state: CandidateState,
  settlement: {
    readonly token: string;
    readonly keys: readonly string[];
    readonly at: string;
    readonly outcome: { readonly messageId: string } | { readonly error: string };
    readonly skips?: ReadonlyArray<{ readonly reminder: Reminder; readonly reason: SkipReason }>;
    /** The wall clock: a skip replaces a claim whose lease ran out. */
    readonly wallNow: string;
  },
): CandidateState => {
  if (state.mergedInto !== undefined || state.erasedAt !== undefined) return state;
  const claims = { ...state.claims };
  const ledger = { ...state.ledger };
  for (const key of heldClaims(state, settlement.keys, settlement.token)) {
    const { token: _token, leaseUntil: _lease, runAt: _runAt, ...ref } = claims[key] as ClaimRecord;
    delete claims[key];
    ledger[key] =
      'messageId' in settlement.outcome
        ? { ...ref, status: 'sent', at: settlement.at, messageId: settlement.outcome.messageId }
        : { ...ref, status: 'failed', at: settlement.at, error: settlement.outcome.error };
  }
  return recordSkips(
    { ...state, claims, ledger },
    settlement.skips ?? [],
    settlement.at,
    settlement.wallNow,
  );
};

/**
 * Records reminders a run skipped, with their reason; one dealt with meanwhile is left alone. A
 * claim holds a skip back while its lease runs on the wall clock `wallNow`; a claim whose lease ran out was left by a dead sender, and the skip replaces
 * it, or else the reminder would stay due, and be skipped again, on every run.
 */
export const recordSkips = (
  state: CandidateState,
  skips: ReadonlyArray<{ readonly reminder: Reminder; readonly reason: SkipReason }>,
  at: string,
  wallNow: string,
): CandidateState => {
  if (state.mergedInto !== undefined || state.erasedAt !== undefined || skips.length === 0)
    return state;
  const ledger = { ...state.ledger };
  const claims = { ...state.claims };
  for (const { reminder, reason } of skips) {
    const claim = claims[reminder.key];
    if (ledger[reminder.key] !== undefined) continue;
    if (claim !== undefined && claim.leaseUntil > wallNow) continue;
    delete claims[reminder.key];
    ledger[reminder.key] = { ...refOf(reminder), status: 'skipped', at, reason };
  }
  return { ...state, ledger, claims };
};

/** Drops the claims of `token` among `keys`, so their reminders stay due (an account failure). */
export const releaseClaims = (
  state: CandidateState,
  keys: readonly string[],
  token: string,
): CandidateState => {
  const claims = { ...state.claims };
  for (const key of heldClaims(state, keys, token)) delete claims[key];
  return { ...state, claims };
};

/** Every reminder the candidate's attempts call for, whenever due. */
export const remindersOfState = (state: CandidateState, settings: RuleSettings): Reminder[] => {
  const timeZone = profileOf(state).timeZone ?? settings.defaultTimeZone;
  return credentialsOf(state).flatMap((credential) =>
    deriveReminders(
      {
        candidateId: state.candidateId,
        credentialId: credential.credentialId,
        attempts: credential.attempts,
        timeZone,
      },
      settings,
    ),
  );
};

/**
 * The due instant the due index keeps for a candidate: the earliest of the reminders not yet
 * emailed, skipped or failed (claims included, so a claim left by a dead sender is planned again).
 * `undefined` when there is none, or the candidate is an alias or erased: then it leaves the index.
 */
export const nextDueAt = (state: CandidateState, settings: RuleSettings): string | undefined => {
  if (state.mergedInto !== undefined || state.erasedAt !== undefined) return undefined;
  let earliest: string | undefined;
  for (const reminder of remindersOfState(state, settings)) {
    if (state.ledger[reminder.key] !== undefined || isCompacted(state, reminder)) continue;
    if (earliest === undefined || reminder.dueAt < earliest) earliest = reminder.dueAt;
  }
  return earliest;
};

/**
 * Bounds the ledger: beyond {@link LEDGER_KEEP} entries, the oldest ones that no run could still
 * send are folded into a per-credential watermark. "No run could still send" is judged on the
 * latest run instant in the ledger: a reminder more than `maxLatenessDays` (+1) older than that is
 * stale for it and for every later run.
 */
export const compactLedger = (state: CandidateState, settings: RuleSettings): CandidateState => {
  const entries = Object.entries(state.ledger);
  if (entries.length <= LEDGER_KEEP) return state;
  const latestRun =
    entries
      .map(([, record]) => record.at)
      .sort()
      .at(-1) ?? '';
  const cutoff = `${addDays(latestRun.slice(0, 10), -(settings.maxLatenessDays + 2))}T00:00:00Z`;
  const oldestFirst = entries
    .filter(([, record]) => record.dueAt < cutoff)
    .sort(([, a], [, b]) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
  const ledger = { ...state.ledger };
  const settledThrough: Record<string, string> = { ...(state.settledThrough ?? {}) };
  for (const [key, record] of oldestFirst.slice(0, entries.length - LEDGER_KEEP)) {
    delete ledger[key];
    const through = settledThrough[record.credentialId];
    if (through === undefined || record.dueAt > through)
      settledThrough[record.credentialId] = record.dueAt;
  }
  return { ...state, ledger, settledThrough };
};
