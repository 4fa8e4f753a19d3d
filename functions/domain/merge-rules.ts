import type { CandidateState } from './candidate-state';

/*
 * The rules of merges that the store's use cases share with the fold, apart from the event
 * schemas, so that a function that only follows merges (the sender) does not bundle them.
 */

/** How deep a chain of merges may go before it is taken for a loop. */
export const MAX_MERGE_HOPS = 32;

/**
 * Whether `account.merged` from `from` into `to` must be refused (SPEC §2): `from` is already an
 * alias of another account, or the target is, or leads to, the source.
 */
export const mergeConflicts = (
  source: CandidateState,
  targetRoot: string,
  to: string,
): 'conflict' | 'duplicate' | undefined => {
  if (source.mergedInto !== undefined) return source.mergedInto === to ? 'duplicate' : 'conflict';
  return targetRoot === source.candidateId ? 'conflict' : undefined;
};
