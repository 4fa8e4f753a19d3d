import { epochMillisecondsOf } from './calendar';
import { type CandidateProfile, profileWritesOf } from './candidate-profile';
import {
  absorbAccount,
  aliasOf,
  applyAttempts,
  applyProfileWrites,
  type CandidateState,
  contentHash,
  emptyCandidate,
  type IncomingAttempt,
  isActive,
  tombstoneOf,
  viewOf,
} from './candidate-state';
import {
  type AccountMerged,
  type AttemptRecorded,
  attemptFingerprint,
  type CertificationEvent,
} from './event-schemas';
import { MAX_MERGE_HOPS, mergeConflicts } from './merge-rules';
import type { Attempt } from './reminder-rules';

/** What folding one event did. */
export type FoldOutcome = 'imported' | 'duplicate' | 'conflict';

/** One credential of a candidate: its display name and every attempt at it. */
export interface CredentialAttempts {
  readonly credentialId: string;
  readonly name: string;
  readonly attempts: readonly Attempt[];
}

/** A candidate as the events describe them, after merges and erasures. */
export interface CandidateView {
  readonly candidateId: string;
  readonly profile: CandidateProfile;
  readonly credentials: readonly CredentialAttempts[];
}

/** An `attempt.recorded` event as a candidate takes it in. */
export const incomingAttemptOf = (event: AttemptRecorded, emittedAt?: number): IncomingAttempt => {
  const { attemptId, credential, outcome, takenAt } = event.data;
  const at = emittedAt ?? epochMillisecondsOf(event.timestamp);
  return {
    attempt: { attemptId, outcome, takenAt, hash: contentHash(attemptFingerprint(event)) },
    credentialId: credential.credentialId,
    credentialName: credential.name,
    emittedAt: at,
    profile: profileWritesOf({ ...event, timestamp: new Date(at).toISOString() }),
  };
};

/**
 * Folds events into candidates, in any order, purely in memory: the engine behind
 * `forecast --input`. Every change of a candidate is made by the same transitions the store uses
 * (`candidate-state.ts`), so the file path and the store implement SPEC §2 once:
 *
 * - attempts are a set keyed by `attemptId`; a repeat with other content is a conflict;
 * - profile fields and credential names are last-writer-wins by event `timestamp`;
 * - `account.merged` moves the source into the target, which keeps its own profile;
 * - `candidate.erased` erases the person: every account merged with the erased one too.
 *
 * @example
 * const fold = createEventFold();
 * for (const event of events) fold.apply(event);
 * const candidates = fold.candidates();
 */
export const createEventFold = () => {
  const states = new Map<string, CandidateState>();
  /** The attempt registry: content hash and first emission of every attemptId. */
  const registry = new Map<string, { readonly hash: string; readonly at: number }>();

  const stateOf = (id: string) => states.get(id) ?? emptyCandidate(id);

  /** Follows merges to the surviving account (cycles, which `apply` refuses, stop the walk). */
  const canonical = (candidateId: string): string => {
    let current = candidateId;
    for (let hop = 0; hop < MAX_MERGE_HOPS; hop += 1) {
      const next = states.get(current)?.mergedInto;
      if (next === undefined) return current;
      current = next;
    }
    return current;
  };

  const erase = (ids: readonly string[], at: string) => {
    for (const id of ids) {
      const tombstone = tombstoneOf(stateOf(id), at);
      for (const attemptId of tombstone.forget ?? []) registry.delete(attemptId);
      for (const alias of tombstone.aliases ?? [])
        states.set(alias, tombstoneOf(stateOf(alias), at));
      const { forget: _forget, aliases: _aliases, ...rest } = tombstone;
      states.set(id, rest);
    }
  };

  const applyAttempt = (event: AttemptRecorded): FoldOutcome => {
    const addressed = event.data.candidate.candidateId;
    const root = stateOf(canonical(addressed));
    if (root.erasedAt !== undefined) return 'imported';
    const registered = registry.get(event.data.attemptId);
    const incoming = incomingAttemptOf(event, registered?.at);
    if (registered !== undefined && registered.hash !== incoming.attempt.hash) return 'conflict';
    registry.set(event.data.attemptId, { hash: incoming.attempt.hash, at: incoming.emittedAt });
    const { state, outcomes } = applyAttempts(
      root,
      [incoming],
      addressed === root.candidateId ? 'own' : 'borrowed',
    );
    states.set(state.candidateId, state);
    if (outcomes[0] === 'conflict') return 'conflict';
    return registered === undefined && outcomes[0] === 'new' ? 'imported' : 'duplicate';
  };

  const applyMerge = (event: AccountMerged): FoldOutcome => {
    const { fromCandidateId: from, toCandidateId: to } = event.data;
    const source = stateOf(from);
    const target = stateOf(canonical(to));
    const refused = mergeConflicts(source, target.candidateId, to);
    if (refused !== undefined) return refused;
    if (source.erasedAt !== undefined || target.erasedAt !== undefined) {
      erase([from, target.candidateId], event.timestamp);
      states.set(from, { ...stateOf(from), mergedInto: to });
      return 'imported';
    }
    states.set(target.candidateId, absorbAccount(target, source));
    states.set(from, aliasOf(from, to));
    return 'imported';
  };

  const apply = (event: CertificationEvent): FoldOutcome => {
    switch (event.type) {
      case 'attempt.recorded':
        return applyAttempt(event);
      case 'candidate.updated': {
        const addressed = event.data.candidateId;
        const root = stateOf(canonical(addressed));
        if (root.erasedAt !== undefined) return 'imported';
        const { state, repeat } = applyProfileWrites(
          root,
          profileWritesOf(event),
          addressed === root.candidateId ? 'own' : 'borrowed',
        );
        states.set(state.candidateId, state);
        return repeat ? 'duplicate' : 'imported';
      }
      case 'candidate.erased': {
        const root = canonical(event.data.candidateId);
        const repeat = stateOf(root).erasedAt !== undefined;
        erase([event.data.candidateId, root], event.timestamp);
        return repeat ? 'duplicate' : 'imported';
      }
      case 'account.merged':
        return applyMerge(event);
    }
  };

  const candidates = (): CandidateView[] =>
    [...states.values()]
      .filter(isActive)
      .map(viewOf)
      .sort((a, b) => (a.candidateId < b.candidateId ? -1 : a.candidateId > b.candidateId ? 1 : 0));

  return { apply, candidates, canonical, state: (id: string) => states.get(id) };
};

export type EventFold = ReturnType<typeof createEventFold>;
