import type { CandidateState } from '../domain/candidate-state';
import { MAX_MERGE_HOPS } from '../domain/merge-rules';
import { type CandidateChangeDeps, changeCandidate, resolveCandidate } from './candidate-changes';
import type { VersionedCandidate } from './ports';

type Survivor<Result> =
  | { readonly erased: true }
  | { readonly erased: false; readonly result: Result; readonly saved: VersionedCandidate };

/**
 * Applies a change to the account that an id leads to after merges: `own` when the event named
 * that account, `borrowed` when it named one merged into it. If the account is merged away while
 * the change is under way, the change follows it; if the person is erased, nothing is written.
 *
 * @example
 * await changeSurvivingAccount(deps, 'cand-teen', (state, source) => ({ next: …, result: … }));
 */
export const changeSurvivingAccount = async <Result>(
  deps: CandidateChangeDeps,
  addressedId: string,
  change: (
    state: CandidateState,
    source: 'own' | 'borrowed',
  ) => { readonly next?: CandidateState; readonly result: Result },
  known?: VersionedCandidate,
): Promise<Survivor<Result>> => {
  let { root } = await resolveCandidate(deps.candidates, addressedId, known);
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop += 1) {
    const rootId = root.state.candidateId;
    type Step = { kind: 'moved' } | { kind: 'erased' } | { kind: 'done'; value: Result };
    const { result, saved } = await changeCandidate<Step>(
      deps,
      rootId,
      (current) => {
        if (current.state.erasedAt !== undefined) return { result: { kind: 'erased' } };
        if (current.state.mergedInto !== undefined) return { result: { kind: 'moved' } };
        const decision = change(current.state, addressedId === rootId ? 'own' : 'borrowed');
        return {
          ...(decision.next === undefined ? {} : { next: decision.next }),
          result: { kind: 'done', value: decision.result },
        };
      },
      root,
    );
    if (result.kind === 'erased') return { erased: true };
    if (result.kind === 'done') return { erased: false, result: result.value, saved };
    root = (await resolveCandidate(deps.candidates, rootId, saved)).root;
  }
  throw new Error(`the merges from ${addressedId} do not end`);
};
