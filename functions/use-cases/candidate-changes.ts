import { compactLedger, nextDueAt } from '../domain/candidate-ledger';
import { type CandidateState, emptyCandidate } from '../domain/candidate-state';
import { MAX_MERGE_HOPS } from '../domain/merge-rules';
import type { RuleSettings } from '../domain/rule-settings';
import type { CandidateRepository, VersionedCandidate } from './ports';

/** How often a change is re-applied after losing a race before it gives up. */
const MAX_OPTIMISTIC_ROUNDS = 40;

export interface CandidateChangeDeps {
  readonly candidates: CandidateRepository;
  readonly settings: RuleSettings;
}

/** What a change decides: the state to write (`undefined`: nothing to write) and its result. */
export interface ChangeDecision<Result> {
  readonly next?: CandidateState;
  readonly result: Result;
}

const jitter = (round: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** round)));

/** A candidate as loaded, or a fresh one at version 0 when nothing was stored. */
export const loadOrEmpty = async (
  candidates: CandidateRepository,
  candidateId: string,
): Promise<VersionedCandidate> =>
  (await candidates.load(candidateId)) ?? { state: emptyCandidate(candidateId), version: 0 };

/**
 * The one optimistic loop: applies `change` to the candidate and writes the result with one
 * conditional write on the version it saw; a writer that lost a race reads again and re-applies
 * its change, so concurrent changes never lose each other. The due-index entry and the ledger's
 * bound are worked out from the state written, so they can never disagree with it.
 *
 * @param known the candidate as the caller just read it, to save a read (versions keep it safe).
 * @example
 * const { result } = await changeCandidate(deps, 'cand-ana', ({ state }) => ({
 *   next: { ...state, unsubscribedAt: at },
 *   result: true,
 * }));
 */
export const changeCandidate = async <Result>(
  deps: CandidateChangeDeps,
  candidateId: string,
  change: (current: VersionedCandidate) => ChangeDecision<Result>,
  known?: VersionedCandidate,
): Promise<{ readonly result: Result; readonly saved: VersionedCandidate }> => {
  let current = known ?? (await loadOrEmpty(deps.candidates, candidateId));
  for (let round = 0; round < MAX_OPTIMISTIC_ROUNDS; round += 1) {
    const { next, result } = change(current);
    if (next === undefined) return { result, saved: current };
    const compacted = compactLedger(next, deps.settings);
    const dueAt = nextDueAt(compacted, deps.settings);
    const version = await deps.candidates.save(compacted, current.version, dueAt);
    if (version !== undefined) {
      return {
        result,
        saved: { state: compacted, version, ...(dueAt === undefined ? {} : { dueAt }) },
      };
    }
    await jitter(round);
    current = await loadOrEmpty(deps.candidates, candidateId);
  }
  throw new Error(`candidate ${candidateId} kept changing; try again`);
};

/** A surviving account and the ids that led to it. */
export interface ResolvedCandidate {
  readonly root: VersionedCandidate;
  /** The ids walked through, the asked one first and the root last. */
  readonly path: readonly string[];
}

/**
 * Follows merge aliases from `candidateId` to the surviving account (SPEC §2: a target that was
 * itself merged means the account it was merged into).
 */
export const resolveCandidate = async (
  candidates: CandidateRepository,
  candidateId: string,
  known?: VersionedCandidate,
): Promise<ResolvedCandidate> => {
  let current = known ?? (await loadOrEmpty(candidates, candidateId));
  const path = [candidateId];
  for (let hop = 0; hop < MAX_MERGE_HOPS && current.state.mergedInto !== undefined; hop += 1) {
    const next = current.state.mergedInto;
    if (path.includes(next)) break;
    path.push(next);
    current = await loadOrEmpty(candidates, next);
  }
  return { root: current, path };
};
