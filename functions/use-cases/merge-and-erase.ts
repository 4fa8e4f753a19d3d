import {
  absorbAccount,
  aliasOf,
  type CandidateState,
  tombstoneOf,
} from '../domain/candidate-state';
import { mergeConflicts } from '../domain/event-fold';
import type { AccountMerged } from '../domain/event-schemas';
import type { RuleSettings } from '../domain/rule-settings';
import { changeCandidate, loadOrEmpty, resolveCandidate } from './candidate-changes';
import type { Stores, VersionedCandidate } from './ports';
import { changeSurvivingAccount } from './surviving-account';

interface Deps {
  readonly stores: Pick<Stores, 'candidates' | 'attempts'>;
  readonly settings: RuleSettings;
}

const MAX_MERGE_ROUNDS = 20;

const sameTombstone = (a: CandidateState, b: CandidateState) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Erases people (SPEC §2 `candidate.erased`, §11). Every write is conditional, in an order where a
 * crash at any point is finished by a retry of the same event:
 *
 * 1. each account becomes a tombstone that lists what is left to do (its aliases, the registry
 *    entries of its attempts); from this write on nothing is sent to it;
 * 2. the aliases (accounts merged into it, and the one it was merged into) follow, likewise;
 * 3. the registry entries of their attempts are deleted;
 * 4. the tombstones drop their to-do lists, leaving only the erased ids.
 */
export const eraseAccounts = async (deps: Deps, ids: readonly string[], at: string) => {
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
        result: [...(state.aliases ?? []), ...(state.mergedInto ? [state.mergedInto] : [])],
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

/**
 * `account.merged` (SPEC §2): the target absorbs the source (attempts, ledger, claims in flight,
 * profile, opt-out), then the source becomes an alias if it did not change meanwhile; otherwise
 * the target absorbs it again (absorbing is idempotent). Written in this order, a crash between
 * the two writes leaves the source as it was and the target with a copy, and a retry of the event
 * ends in the right state; a send under way on the source is completed on the target, whose
 * copied claim keeps every other sender off it.
 */
export const recordMerge = async (
  deps: Deps,
  event: AccountMerged,
  known?: VersionedCandidate,
): Promise<'accepted' | 'duplicate' | 'conflict'> => {
  const { fromCandidateId: from, toCandidateId: to } = event.data;
  const { candidates } = deps.stores;
  let source = known ?? (await loadOrEmpty(candidates, from));
  for (let round = 0; round < MAX_MERGE_ROUNDS; round += 1) {
    const target = (await resolveCandidate(candidates, to)).root;
    const refused = mergeConflicts(source.state, target.state.candidateId, to);
    if (refused !== undefined) return refused;
    if (source.state.erasedAt !== undefined || target.state.erasedAt !== undefined) {
      await eraseAccounts(deps, [from, target.state.candidateId], event.timestamp);
      // The erased source still records where it went, so a merge of it elsewhere is a conflict.
      await changeCandidate({ candidates, settings: deps.settings }, from, ({ state }) => ({
        ...(state.mergedInto === undefined ? { next: { ...state, mergedInto: to } } : {}),
        result: undefined,
      }));
      return 'accepted';
    }
    const absorbed = await changeSurvivingAccount(
      { candidates, settings: deps.settings },
      to,
      (state) => ({ next: absorbAccount(state, source.state), result: undefined }),
      target,
    );
    if (!absorbed.erased && (await candidates.save(aliasOf(from, to), source.version, undefined))) {
      return 'accepted';
    }
    source = await loadOrEmpty(candidates, from);
  }
  throw new Error(`account ${from} kept changing during its merge; try again`);
};
