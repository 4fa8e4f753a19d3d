import {
  type CandidateState,
  isActive,
  profileOf,
} from '../../../functions/domain/candidate-state';
import type {
  AttemptRegistry,
  CandidateRepository,
  VersionedCandidate,
} from '../../../functions/use-cases/ports';

/**
 * In-memory stores with the store's one guarantee, a conditional write on the version, for the
 * use cases' unit tests. `beforeSave` lets a test change the world just before a chosen write
 * (the write another process made first); it runs once per call of `save`.
 */
export const memoryCandidates = () => {
  const items = new Map<string, VersionedCandidate>();
  let beforeSave: ((state: CandidateState) => Promise<void> | void) | undefined;
  const repository: CandidateRepository = {
    load: async (id) => items.get(id),
    loadMany: async (ids) =>
      new Map(
        ids.flatMap((id) => (items.has(id) ? [[id, items.get(id) as VersionedCandidate]] : [])),
      ),
    save: async (state, expectedVersion, dueAt) => {
      const hook = beforeSave;
      if (hook) await hook(state);
      const current = items.get(state.candidateId)?.version ?? 0;
      if (current !== expectedVersion) return undefined;
      const version = current + 1;
      items.set(state.candidateId, { state, version, ...(dueAt === undefined ? {} : { dueAt }) });
      return version;
    },
    queryDue: async function* () {},
    candidatesUsingAddress: async (address) => {
      const wanted = address.trim().toLowerCase();
      const uses = (state: CandidateState) => {
        const { email, guardianEmail } = profileOf(state);
        return [email, guardianEmail].some((used) => used?.trim().toLowerCase() === wanted);
      };
      return [...items.values()]
        .filter(({ state }) => isActive(state) && uses(state))
        .map(({ state }) => state.candidateId)
        .sort();
    },
    scanCandidates: async function* () {
      yield [...items.values()];
    },
  };
  return {
    repository,
    state: (id: string) => items.get(id)?.state,
    /** Writes a state directly, as a previous process left it. */
    put: (state: CandidateState) => {
      const version = (items.get(state.candidateId)?.version ?? 0) + 1;
      items.set(state.candidateId, { state, version });
    },
    onSave: (hook: typeof beforeSave) => {
      beforeSave = hook;
    },
  };
};

/** An attempt registry in memory that remembers what was forgotten. */
export const memoryAttempts = () => {
  const forgotten: string[] = [];
  const registry: AttemptRegistry = {
    register: async (_id, _hash, emittedAt) => ({ outcome: 'new', firstEmittedAt: emittedAt }),
    lookup: async () => new Map(),
    putMany: async () => {},
    forget: async (ids) => {
      forgotten.push(...ids);
    },
  };
  return { registry, forgotten };
};
