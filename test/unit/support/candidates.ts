import { Temporal } from 'temporal-polyfill';
import {
  claimReminders,
  recordSkips,
  settleClaims,
  settledEntries,
} from '../../../functions/domain/candidate-ledger';
import type { ProfileWrites } from '../../../functions/domain/candidate-profile';
import {
  applyAttempts,
  type CandidateState,
  contentHash,
  credentialsOf,
  emptyCandidate,
  type IncomingAttempt,
  profileOf,
} from '../../../functions/domain/candidate-state';
import type { Outcome } from '../../../functions/domain/reminder-rules';
import type { RuleSettings } from '../../../functions/domain/rule-settings';
import { decideRun, type RunDecision } from '../../../functions/domain/run-decisions';

/**
 * Builders of candidate states for the tests of the domain, the use cases and the store:
 * attempts as events bring them, and a run that settles what is due the way a sender does
 * (decide, claim, settle the claims as sent, record the skips).
 */

export interface AttemptSpec {
  readonly attemptId: string;
  readonly outcome?: Outcome;
  readonly takenAt: string;
  readonly credentialId?: string;
  readonly credentialName?: string;
  /** When the event was emitted (epoch ms); defaults to `takenAt`. */
  readonly emittedAt?: number;
  readonly profile?: ProfileWrites;
  /** Content the hash is taken of; defaults to the attempt's fields, so a change is a conflict. */
  readonly content?: string;
}

/** An attempt as an `attempt.recorded` event brings it to a candidate. */
export const incoming = (spec: AttemptSpec): IncomingAttempt => {
  const outcome = spec.outcome ?? 'pass';
  const credentialId = spec.credentialId ?? 'aws-cp';
  return {
    attempt: {
      attemptId: spec.attemptId,
      outcome,
      takenAt: spec.takenAt,
      hash: contentHash(
        spec.content ?? JSON.stringify([spec.attemptId, outcome, spec.takenAt, credentialId]),
      ),
    },
    credentialId,
    credentialName: spec.credentialName ?? 'Cloud Practitioner',
    emittedAt: spec.emittedAt ?? Date.parse(spec.takenAt),
    profile: spec.profile ?? {},
  };
};

/** A new candidate holding `attempts` (as events naming it bring them, unless `borrowed`). */
export const withAttempts = (
  candidateId: string,
  attempts: readonly IncomingAttempt[],
  source: 'own' | 'borrowed' = 'own',
): CandidateState => applyAttempts(emptyCandidate(candidateId), attempts, source).state;

/**
 * A candidate with one pass `p1` of `aws-cp` on 2027-01-10T09:00Z, its event bringing `profile`
 * (by default an address of the id's own). In UTC it anchors (worked out by hand):
 * `renewal_window_open` due 2027-10-10T00:00:00Z, `expiring_soon` (30 days) due
 * 2027-12-11T00:00:00Z and `expired` due 2028-01-10T00:00:00Z.
 */
export const passedOnce = (
  candidateId: string,
  profile: Record<string, string> = { email: `${candidateId}@example.com` },
): CandidateState =>
  withAttempts(candidateId, [
    incoming({
      attemptId: 'p1',
      takenAt: '2027-01-10T09:00:00Z',
      profile: writes(Date.parse('2027-01-10T09:00:00Z'), profile),
    }),
  ]);

/** Profile writes of the given fields, all stamped `at` (epoch ms). */
export const writes = (at: number, fields: Record<string, string | null>): ProfileWrites =>
  Object.fromEntries(
    Object.entries(fields).map(([field, value]) => [field, { value, at }]),
  ) as ProfileWrites;

/** What a run at `runAt` decides for `state`, claims judged on the wall clock `wallNow`. */
export const decideFor = (
  state: CandidateState,
  runAt: string,
  settings: RuleSettings,
  options: { readonly wallNow?: string; readonly optedOut?: boolean } = {},
): RunDecision =>
  decideRun(
    {
      profile: profileOf(state),
      credentials: credentialsOf(state),
      ledger: settledEntries(state, options.wallNow ?? runAt),
      ...(state.settledThrough === undefined ? {} : { settledThrough: state.settledThrough }),
      optedOut: options.optedOut ?? state.unsubscribedAt !== undefined,
    },
    Temporal.Instant.from(runAt),
    settings,
  );

/**
 * One run at `runAt` as a sender does it: decide, claim what is to be sent, settle the claims
 * (sent with `messageId` by default, or failed with an `error`), and record the skips (only the
 * skips when nothing is to be sent).
 */
export const runOnce = (
  state: CandidateState,
  runAt: string,
  settings: RuleSettings,
  outcome: { readonly messageId: string } | { readonly error: string } = {
    messageId: `msg-${runAt}`,
  },
): { readonly state: CandidateState; readonly decision: RunDecision } => {
  const decision = decideFor(state, runAt, settings);
  if (decision.send.length === 0)
    return { state: recordSkips(state, decision.skip, runAt, runAt), decision };
  const token = `token-${runAt}`;
  const claimed = claimReminders(state, decision.send, {
    token,
    leaseUntil: new Date(Date.parse(runAt) + 900_000).toISOString(),
    runAt,
  });
  const settled = settleClaims(claimed, {
    token,
    keys: decision.send.map((reminder) => reminder.key),
    at: runAt,
    wallNow: runAt,
    outcome,
    skips: decision.skip,
  });
  return { state: settled, decision };
};

/** 13:00 UTC (the default schedule) of a date. */
export const thirteenHundred = (date: string) => `${date}T13:00:00Z`;
