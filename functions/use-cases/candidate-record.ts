import { isCompacted, type ReminderRef, remindersOfState } from '../domain/candidate-ledger';
import type { CandidateProfile, ProfileWrites } from '../domain/candidate-profile';
import { profileOf, profileWritesOfState } from '../domain/candidate-state';
import type { Attempt } from '../domain/reminder-rules';
import type { RuleSettings } from '../domain/rule-settings';
import type { SkipReason } from '../domain/run-decisions';
import { loadOrEmpty, resolveCandidate } from './candidate-changes';
import type { CandidateRepository, VersionedCandidate } from './ports';

/** One reminder of a candidate as operators see it: pending, claimed, or dealt with. */
export interface ReminderRecord extends ReminderRef {
  readonly key: string;
  readonly status: 'pending' | 'claimed' | 'sent' | 'skipped' | 'failed';
  readonly messageId?: string;
  readonly reason?: SkipReason;
  readonly error?: string;
  /** The run instant that dealt with it. */
  readonly resolvedAt?: string;
  /** For claims: the wall-clock end of the lease. */
  readonly leaseUntil?: string;
}

/** A candidate as the CLI, the console and the tests read it. */
export interface CandidateRecord {
  readonly candidateId: string;
  readonly version: number;
  readonly profile?: {
    readonly profile: CandidateProfile;
    readonly writes: ProfileWrites;
    readonly unsubscribedAt?: string;
    readonly borrowed?: boolean;
  };
  readonly states: ReadonlyArray<{
    readonly credentialId: string;
    readonly credentialName: string;
    readonly attempts: readonly Attempt[];
  }>;
  readonly reminders: readonly ReminderRecord[];
  readonly erased: boolean;
  readonly mergedInto?: string;
}

/** The read model of a stored candidate; pending reminders are those its attempts call for. */
export const candidateRecordOf = (
  { state, version }: VersionedCandidate,
  settings: RuleSettings,
): CandidateRecord => {
  const hasProfile = state.own !== undefined || state.borrowed !== undefined;
  const reminders: ReminderRecord[] = [];
  for (const [key, entry] of Object.entries(state.ledger)) {
    const { status, at, messageId, reason, error, ...ref } = entry;
    reminders.push({
      key,
      ...ref,
      status,
      resolvedAt: at,
      ...(messageId ? { messageId } : {}),
      ...(reason ? { reason } : {}),
      ...(error ? { error } : {}),
    });
  }
  for (const [key, { token: _token, runAt: _runAt, leaseUntil, ...ref }] of Object.entries(
    state.claims,
  ))
    reminders.push({ key, ...ref, status: 'claimed', leaseUntil });
  const dealtWith = new Set(reminders.map((reminder) => reminder.key));
  for (const reminder of remindersOfState(state, settings)) {
    // Reminders folded into the ledger's watermark were dealt with, as the sender judges them.
    if (dealtWith.has(reminder.key) || isCompacted(state, reminder)) continue;
    const { key, credentialId, kind, anchorAttemptId, daysBefore, dueOn, dueAt } = reminder;
    reminders.push({
      key,
      credentialId,
      kind,
      anchorAttemptId,
      ...(daysBefore === undefined ? {} : { daysBefore }),
      dueOn,
      dueAt,
      status: 'pending',
    });
  }
  return {
    candidateId: state.candidateId,
    version,
    ...(hasProfile
      ? {
          profile: {
            profile: profileOf(state),
            writes: profileWritesOfState(state),
            ...(state.unsubscribedAt ? { unsubscribedAt: state.unsubscribedAt } : {}),
            ...(state.own === undefined ? { borrowed: true } : {}),
          },
        }
      : {}),
    states: Object.entries(state.credentials).map(([credentialId, credential]) => ({
      credentialId,
      credentialName: credential.name.value,
      attempts: credential.attempts.map(({ attemptId, outcome, takenAt }) => ({
        attemptId,
        outcome,
        takenAt,
      })),
    })),
    reminders,
    erased: state.erasedAt !== undefined,
    ...(state.mergedInto ? { mergedInto: state.mergedInto } : {}),
  };
};

/**
 * Reads candidates for people and tools: one id's record as stored, and where an id leads.
 *
 * @example
 * const reader = createCandidateReader({ candidates, settings });
 * const { candidateId } = await reader.resolveCandidate('cand-teen');
 * const record = await reader.loadCandidate(candidateId);
 */
export const createCandidateReader = (deps: {
  readonly candidates: CandidateRepository;
  readonly settings: RuleSettings;
}) => ({
  loadCandidate: async (candidateId: string): Promise<CandidateRecord> =>
    candidateRecordOf(await loadOrEmpty(deps.candidates, candidateId), deps.settings),
  resolveCandidate: async (candidateId: string) => {
    const { root } = await resolveCandidate(deps.candidates, candidateId);
    return { candidateId: root.state.candidateId, erased: root.state.erasedAt !== undefined };
  },
});

export type CandidateReader = ReturnType<typeof createCandidateReader>;
