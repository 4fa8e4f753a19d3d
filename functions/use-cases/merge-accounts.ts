import { absorbAccount, aliasOf, type CandidateState } from '../domain/candidate-state';
import type { AccountMerged } from '../domain/event-schemas';
import { MAX_MERGE_HOPS, mergeConflicts } from '../domain/merge-rules';
import type { RuleSettings } from '../domain/rule-settings';
import { changeCandidate, loadOrEmpty } from './candidate-changes';
import { eraseAccounts } from './erase-accounts';
import type { Stores, VersionedCandidate } from './ports';
import { changeSurvivingAccount } from './surviving-account';

/**
 * What finishing a merge needs. Without `attempts` a merge that would erase (its source or
 * target was erased) is left for the merge's own event, or the next, to finish.
 */
export interface MergeDeps {
  readonly stores: Pick<Stores, 'candidates'> & Partial<Pick<Stores, 'attempts'>>;
  readonly settings: RuleSettings;
}

/** How a merge under way ended: `pending` when it needs an erasure these deps cannot make. */
export type MergeCompletion = 'accepted' | 'conflict' | 'pending';

const MAX_MERGE_ROUNDS = 20;

const isErased = (state: CandidateState) => state.erasedAt !== undefined;

/** One account on the way from a merge's target back to its source, and how it leads on. */
interface LoopStep {
  readonly candidateId: string;
  readonly next: string;
  /** Whether it leads on by a merge under way (a marker) rather than a finished one. */
  readonly underWay: boolean;
}

type MergeTarget =
  | { readonly kind: 'root'; readonly root: VersionedCandidate }
  | { readonly kind: 'loop'; readonly steps: readonly LoopStep[] }
  | { readonly kind: 'pending' };

/**
 * The account a merge into `to` lands in: `to`, or where its merges lead (SPEC §2), merges under
 * way included. A path that leads back to `sourceId` is a loop. A merge under way on the path is
 * finished first, so that what is absorbed never lands in an account that is still moving.
 */
const resolveMergeTarget = async (
  deps: MergeDeps,
  to: string,
  sourceId: string,
  at: string,
): Promise<MergeTarget> => {
  for (let round = 0; round < MAX_MERGE_ROUNDS; round += 1) {
    let current = await loadOrEmpty(deps.stores.candidates, to);
    const steps: LoopStep[] = [];
    let moving: string | undefined;
    for (let hop = 0; hop < MAX_MERGE_HOPS; hop += 1) {
      const { candidateId, mergedInto, mergingInto } = current.state;
      if (candidateId === sourceId) return { kind: 'loop', steps };
      if (mergingInto !== undefined && moving === undefined) moving = candidateId;
      const next = mergedInto ?? mergingInto;
      if (next === undefined || steps.some((step) => step.candidateId === next)) break;
      steps.push({ candidateId, next, underWay: mergedInto === undefined });
      current = await loadOrEmpty(deps.stores.candidates, next);
    }
    if (moving === undefined) return { kind: 'root', root: current };
    if ((await completeMerge(deps, moving, at)) === 'pending') return { kind: 'pending' };
  }
  throw new Error(`the merges leading from ${to} kept changing; try again`);
};

/**
 * Whether the merge of `from` wins a loop. The merges under way in it are racing each other
 * (opposite merges, through finished ones or not): the one from the smallest id wins, so exactly
 * one of them is accepted, as if they had come one after the other. A loop that holds no other
 * merge under way is made by finished ones, and the newcomer loses it.
 */
const winsLoop = (from: string, steps: readonly LoopStep[]) => {
  const rivals = steps.filter((step) => step.underWay);
  return rivals.length > 0 && rivals.every((step) => from < step.candidateId);
};

/** Drops the merge marker of `from` towards `to` (a loop was found): that merge is refused. */
const abandonMerge = async (deps: MergeDeps, from: string, to: string) => {
  const change = { candidates: deps.stores.candidates, settings: deps.settings };
  await changeCandidate(change, from, ({ state }) => {
    if (state.mergingInto !== to) return { result: undefined };
    const { mergingInto: _marker, ...rest } = state;
    return { next: rest, result: undefined };
  });
};

/**
 * Finishes the merge under way on `from` (its `mergingInto` marker), whoever started it: the
 * merge's own event, a retry of it after a crash, another merge of the same account, or a sender
 * that found the marker. Every step is a conditional write and absorbing is idempotent, so any
 * number of them may finish one merge at once:
 *
 * 1. a path from the target back to the source is a loop: the marker is dropped (`conflict`),
 *    unless the loop is opposite merges racing, which the smallest id wins ({@link winsLoop});
 * 2. if either side was erased, both are erased and the source records where it went;
 * 3. otherwise the target absorbs the source, then the source becomes an alias, conditional on
 *    the version absorbed; a source that changed meanwhile (a send completed, an event arrived)
 *    is absorbed again.
 *
 * @returns `accepted` when the source ends merged into its marker's target (or `intendedTo`),
 *   else `conflict`; `pending` when only an erasure could finish it and these deps cannot erase.
 * @example
 * await completeMerge({ stores, settings }, 'cand-old', '2027-03-01T09:00:00Z');
 */
export const completeMerge = async (
  deps: MergeDeps,
  from: string,
  at: string,
  /** The target the caller's merge named: landing elsewhere is then its `conflict`. */
  intendedTo?: string,
): Promise<MergeCompletion> => {
  const { candidates, attempts } = deps.stores;
  const change = { candidates, settings: deps.settings };
  for (let round = 0; round < MAX_MERGE_ROUNDS; round += 1) {
    const source = await loadOrEmpty(candidates, from);
    const to = source.state.mergingInto;
    if (to === undefined) {
      const landed = source.state.mergedInto;
      return landed !== undefined && (intendedTo ?? landed) === landed ? 'accepted' : 'conflict';
    }
    const target = await resolveMergeTarget(deps, to, from, at);
    if (target.kind === 'pending') return 'pending';
    if (target.kind === 'loop') {
      if (!winsLoop(from, target.steps)) {
        // Dropped only if still under way: the merge may have landed meanwhile.
        await abandonMerge(deps, from, to);
        const after = await loadOrEmpty(candidates, from);
        return after.state.mergedInto === to ? 'accepted' : 'conflict';
      }
      for (const step of target.steps)
        if (step.underWay) await abandonMerge(deps, step.candidateId, step.next);
      continue;
    }
    if (isErased(source.state) || isErased(target.root.state)) {
      if (attempts === undefined) return 'pending';
      await eraseAccounts(
        { stores: { candidates, attempts }, settings: deps.settings },
        [from, target.root.state.candidateId],
        at,
      );
      // The erased source still records where it went, so a merge of it elsewhere is a conflict.
      const { result } = await changeCandidate(change, from, ({ state }) => {
        if (state.mergingInto !== to) return { result: state.mergedInto === to };
        const { mergingInto: _marker, ...rest } = state;
        return { next: { ...rest, mergedInto: to }, result: true };
      });
      return result ? 'accepted' : 'conflict';
    }
    const absorbed = await changeSurvivingAccount(
      change,
      target.root.state.candidateId,
      (state) => ({ next: absorbAccount(state, source.state), result: undefined }),
      target.root,
    );
    if (!absorbed.erased && (await candidates.save(aliasOf(from, to), source.version, undefined))) {
      return 'accepted';
    }
  }
  throw new Error(`account ${from} kept changing during its merge; try again`);
};

/**
 * `account.merged` (SPEC §2). The merge is decided by one conditional write on the source, its
 * marker (`mergingInto`); from then on the source emails nothing and every other merge of it
 * waits for this one, so two merges of one account can never both land, and a merge refused
 * never leaves a copy in its target. {@link completeMerge} then does the rest; a crash anywhere
 * is finished by a retry of the event, by the next merge of the account or by a sender.
 *
 * @example
 * await recordMerge({ stores, settings }, mergedEvent); // 'accepted' | 'duplicate' | 'conflict'
 */
export const recordMerge = async (
  deps: MergeDeps & { readonly stores: Pick<Stores, 'candidates' | 'attempts'> },
  event: AccountMerged,
  known?: VersionedCandidate,
): Promise<'accepted' | 'duplicate' | 'conflict'> => {
  const { fromCandidateId: from, toCandidateId: to } = event.data;
  const { candidates } = deps.stores;
  const change = { candidates, settings: deps.settings };
  let source = known ?? (await loadOrEmpty(candidates, from));
  for (let round = 0; round < MAX_MERGE_ROUNDS; round += 1) {
    const under = source.state.mergingInto;
    if (under === to) break;
    if (under !== undefined) {
      // Another merge of this account is under way: its outcome decides this one.
      await completeMerge(deps, from, event.timestamp);
      source = await loadOrEmpty(candidates, from);
      continue;
    }
    const target = await resolveMergeTarget(deps, to, from, event.timestamp);
    if (target.kind === 'loop' && target.steps.some((step) => step.underWay)) {
      // Merges under way make the loop: whether they land decides this one, so finish them.
      for (const step of target.steps)
        if (step.underWay) await completeMerge(deps, step.candidateId, event.timestamp);
      source = await loadOrEmpty(candidates, from);
      continue;
    }
    const targetRoot = target.kind === 'root' ? target.root.state.candidateId : from;
    const refused = mergeConflicts(source.state, targetRoot, to);
    if (refused !== undefined) return refused;
    const { result: marked, saved } = await changeCandidate(
      change,
      from,
      ({ state }) =>
        state.mergedInto !== undefined || state.mergingInto !== undefined
          ? { result: false }
          : { next: { ...state, mergingInto: to }, result: true },
      source,
    );
    if (marked) break;
    source = saved;
  }
  const outcome = await completeMerge(deps, from, event.timestamp, to);
  return outcome === 'accepted' ? 'accepted' : 'conflict';
};
