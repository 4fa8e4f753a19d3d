import { profileWritesOf } from '../domain/candidate-profile';
import { applyAttempts, applyProfileWrites } from '../domain/candidate-state';
import { incomingAttemptOf } from '../domain/event-fold';
import type {
  AttemptRecorded,
  CandidateUpdated,
  CertificationEvent,
} from '../domain/event-schemas';
import type { RuleSettings } from '../domain/rule-settings';
import { resolveCandidate } from './candidate-changes';
import { eraseAccounts } from './erase-accounts';
import { recordMerge } from './merge-accounts';
import type { Clock, Stores, VersionedCandidate } from './ports';
import { changeSurvivingAccount } from './surviving-account';

/** What recording an event did: stored it, recognised it as already stored, or refused it. */
export type RecordOutcome = 'accepted' | 'duplicate' | 'conflict';

export interface RecordEventDeps {
  readonly stores: Pick<Stores, 'candidates' | 'attempts'>;
  readonly settings: RuleSettings;
  readonly clock: Clock;
}

/** The candidate id an event names first: the one whose item it reads. */
export const addressedIdOf = (event: CertificationEvent): string => {
  switch (event.type) {
    case 'attempt.recorded':
      return event.data.candidate.candidateId;
    case 'account.merged':
      return event.data.fromCandidateId;
    default:
      return event.data.candidateId;
  }
};

/**
 * An attempt: registered globally (its `attemptId` is unique forever), then added to the
 * surviving account with one conditional write. A registry duplicate is still written to the
 * candidate (a no-op when it is there), so a retry completes what a crash interrupted.
 */
const recordAttempt = async (
  deps: RecordEventDeps,
  event: AttemptRecorded,
  known?: VersionedCandidate,
): Promise<RecordOutcome> => {
  const addressed = event.data.candidate.candidateId;
  const { root } = await resolveCandidate(deps.stores.candidates, addressed, known);
  if (root.state.erasedAt !== undefined) return 'accepted';
  const first = incomingAttemptOf(event);
  const registration = await deps.stores.attempts.register(
    event.data.attemptId,
    first.attempt.hash,
    first.emittedAt,
  );
  if (registration.outcome === 'conflict') return 'conflict';
  // A repeat keeps the first event's time, so its profile writes change nothing.
  const incoming =
    registration.outcome === 'duplicate'
      ? incomingAttemptOf(event, registration.firstEmittedAt)
      : first;
  const written = await changeSurvivingAccount(
    { ...deps, candidates: deps.stores.candidates },
    addressed,
    (state, source) => {
      const { state: next, outcomes } = applyAttempts(state, [incoming], source);
      return { next: outcomes[0] === 'new' ? next : undefined, result: outcomes[0] };
    },
    root,
  );
  if (written.erased) {
    // An erasure read the account before this attempt was registered: forget it here.
    if (registration.outcome === 'new') await deps.stores.attempts.forget([event.data.attemptId]);
    return 'accepted';
  }
  if (written.result === 'conflict') return 'conflict';
  // Stored now for the first time, even if an earlier try got as far as the registry.
  return written.result === 'new' ? 'accepted' : 'duplicate';
};

const recordUpdate = async (
  deps: RecordEventDeps,
  event: CandidateUpdated,
  known?: VersionedCandidate,
): Promise<RecordOutcome> => {
  const writes = profileWritesOf(event);
  const written = await changeSurvivingAccount(
    { ...deps, candidates: deps.stores.candidates },
    event.data.candidateId,
    (state, source) => {
      const { state: next, changed, repeat } = applyProfileWrites(state, writes, source);
      return { next: changed ? next : undefined, result: repeat };
    },
    known,
  );
  if (written.erased) return 'accepted';
  return written.result ? 'duplicate' : 'accepted';
};

/**
 * Records one validated event (SPEC §2). Order of arrival never matters: attempts are a set,
 * profile fields last-writer-wins, merges and erasures permanent.
 *
 * @param known the addressed candidate as just read, to save a read.
 * @example
 * const outcome = await recordEvent({ stores, settings, clock }, event); // 'accepted' | 'duplicate' | 'conflict'
 */
export const recordEvent = async (
  deps: RecordEventDeps,
  event: CertificationEvent,
  known?: VersionedCandidate,
): Promise<RecordOutcome> => {
  switch (event.type) {
    case 'attempt.recorded':
      return recordAttempt(deps, event, known);
    case 'candidate.updated':
      return recordUpdate(deps, event, known);
    case 'candidate.erased': {
      const { root, path } = await resolveCandidate(
        deps.stores.candidates,
        event.data.candidateId,
        known,
      );
      const repeat = root.state.erasedAt !== undefined && (root.state.forget ?? []).length === 0;
      await eraseAccounts(deps, path, event.timestamp);
      return repeat ? 'duplicate' : 'accepted';
    }
    case 'account.merged':
      return recordMerge(deps, event, known);
  }
};
