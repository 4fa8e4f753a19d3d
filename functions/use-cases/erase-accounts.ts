import { type CandidateState, tombstoneOf } from '../domain/candidate-state';
import type { RuleSettings } from '../domain/rule-settings';
import { changeCandidate } from './candidate-changes';
import type { Stores, VersionedCandidate } from './ports';

export interface EraseDeps {
  readonly stores: Pick<Stores, 'candidates' | 'attempts'>;
  readonly settings: RuleSettings;
}

const sameTombstone = (a: CandidateState, b: CandidateState) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Erases people (SPEC §2 `candidate.erased`, §11). Every write is conditional, in an order where a
 * crash at any point is finished by a retry of the same event:
 *
 * 1. each account becomes a tombstone that lists what is left to do (its aliases, the registry
 *    entries of its attempts); from this write on nothing is sent to it;
 * 2. the aliases (accounts merged into it, the one it was merged into, and the one a merge under
 *    way is moving it into) follow, likewise;
 * 3. the registry entries of their attempts are deleted;
 * 4. the tombstones drop their to-do lists, leaving only the erased ids.
 */
export const eraseAccounts = async (deps: EraseDeps, ids: readonly string[], at: string) => {
  const change = { candidates: deps.stores.candidates, settings: deps.settings };
  const queue = [...ids];
  const erased: VersionedCandidate[] = [];
  const done = new Set<string>();
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (done.has(id)) continue;
    done.add(id);
    const { result, saved } = await changeCandidate(change, id, ({ state }) => {
      const tombstone = tombstoneOf(state, at);
      return {
        ...(sameTombstone(tombstone, state) ? {} : { next: tombstone }),
        result: [
          ...(state.aliases ?? []),
          ...(state.mergedInto ? [state.mergedInto] : []),
          ...(state.mergingInto ? [state.mergingInto] : []),
        ],
      };
    });
    queue.push(...result);
    erased.push(saved);
  }
  await deps.stores.attempts.forget(erased.flatMap(({ state }) => [...(state.forget ?? [])]));
  for (const { state } of erased) {
    if (state.forget === undefined && state.aliases === undefined) continue;
    await changeCandidate(change, state.candidateId, ({ state: current }) => {
      const { forget: _forget, aliases: _aliases, ...rest } = current;
      return { next: rest, result: undefined };
    });
  }
};
