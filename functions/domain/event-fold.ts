import { epochMillisecondsOf } from './calendar';
import {
  type CandidateProfile,
  mergeWrites,
  type ProfileWrites,
  profileFromWrites,
  profileWritesOf,
} from './candidate-profile';
import { type AttemptRecorded, attemptFingerprint, type CertificationEvent } from './event-schemas';
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

interface StoredAttempt {
  readonly candidateId: string;
  readonly credentialId: string;
  readonly attempt: Attempt;
  readonly fingerprint: string;
}

interface NameWrite {
  readonly value: string;
  readonly at: number;
}

/**
 * Folds events into candidates, in any order, purely in memory. This is the reference semantics
 * of SPEC §2 that the store reproduces:
 *
 * - attempts are a set keyed by `attemptId`; a repeat with other content is a conflict and is
 *   left out;
 * - profile fields and credential names are last-writer-wins by event `timestamp`;
 * - `account.merged` makes the source an alias of the target: attempts of both belong to the
 *   target; the target's own profile wins, the source's is used only when the target has none;
 * - `candidate.erased` erases the person: every account merged with the erased one too.
 *
 * @example
 * const fold = createEventFold();
 * for (const event of events) fold.apply(event);
 * const candidates = fold.candidates();
 */
export const createEventFold = () => {
  const attempts = new Map<string, StoredAttempt>();
  const profiles = new Map<string, ProfileWrites>();
  const credentialNames = new Map<string, NameWrite>();
  const aliases = new Map<string, string>();
  const erased = new Set<string>();

  const nameKey = (candidateId: string, credentialId: string) =>
    `${candidateId}\u0000${credentialId}`;

  const applyAttempt = (event: AttemptRecorded): FoldOutcome => {
    const { attemptId, candidate, credential, outcome, takenAt } = event.data;
    const fingerprint = attemptFingerprint(event);
    const known = attempts.get(attemptId);
    if (known !== undefined) return known.fingerprint === fingerprint ? 'duplicate' : 'conflict';
    attempts.set(attemptId, {
      candidateId: candidate.candidateId,
      credentialId: credential.credentialId,
      attempt: { attemptId, outcome, takenAt },
      fingerprint,
    });
    const at = epochMillisecondsOf(event.timestamp);
    const key = nameKey(candidate.candidateId, credential.credentialId);
    const name = credentialNames.get(key);
    if (name === undefined || at > name.at || (at === name.at && credential.name > name.value)) {
      credentialNames.set(key, { value: credential.name, at });
    }
    return 'imported';
  };

  const apply = (event: CertificationEvent): FoldOutcome => {
    switch (event.type) {
      case 'attempt.recorded': {
        const outcome = applyAttempt(event);
        // A duplicate or a conflict changes nothing.
        if (outcome === 'imported') recordProfile(event.data.candidate.candidateId, event);
        return outcome;
      }
      case 'candidate.updated':
        recordProfile(event.data.candidateId, event);
        return 'imported';
      case 'candidate.erased':
        erased.add(event.data.candidateId);
        return 'imported';
      case 'account.merged': {
        const { fromCandidateId: from, toCandidateId: to } = event.data;
        const known = aliases.get(from);
        if (known !== undefined) return known === to ? 'duplicate' : 'conflict';
        if (canonical(to) === from) return 'conflict';
        aliases.set(from, to);
        return 'imported';
      }
    }
  };

  const recordProfile = (candidateId: string, event: CertificationEvent) => {
    const { writes } = mergeWrites(profiles.get(candidateId) ?? {}, profileWritesOf(event));
    profiles.set(candidateId, writes);
  };

  /** Follows merges to the surviving account (cycles, which `apply` refuses, stop the walk). */
  const canonical = (candidateId: string): string => {
    const seen = new Set<string>();
    let current = candidateId;
    while (aliases.has(current) && !seen.has(current)) {
      seen.add(current);
      current = aliases.get(current) as string;
    }
    return current;
  };

  const candidates = (): CandidateView[] => {
    const members = new Map<string, string[]>();
    const everyId = new Set<string>([...profiles.keys(), ...aliases.keys(), ...aliases.values()]);
    for (const stored of attempts.values()) everyId.add(stored.candidateId);
    for (const id of everyId) {
      const root = canonical(id);
      members.set(root, [...(members.get(root) ?? []), id]);
    }
    const erasedRoots = new Set<string>();
    for (const [root, ids] of members) if (ids.some((id) => erased.has(id))) erasedRoots.add(root);
    for (const id of erased) erasedRoots.add(canonical(id));

    const byCandidate = new Map<string, Map<string, Attempt[]>>();
    for (const stored of attempts.values()) {
      const root = canonical(stored.candidateId);
      if (erasedRoots.has(root)) continue;
      const credentials = byCandidate.get(root) ?? new Map<string, Attempt[]>();
      credentials.set(stored.credentialId, [
        ...(credentials.get(stored.credentialId) ?? []),
        stored.attempt,
      ]);
      byCandidate.set(root, credentials);
    }

    const views: CandidateView[] = [];
    for (const [root, ids] of members) {
      if (erasedRoots.has(root)) continue;
      const own = profiles.get(root);
      let writes: ProfileWrites = own ?? {};
      if (own === undefined) {
        for (const id of ids) writes = mergeWrites(writes, profiles.get(id) ?? {}).writes;
      }
      const credentials = [...(byCandidate.get(root) ?? new Map<string, Attempt[]>())]
        .map(([credentialId, list]) => ({
          credentialId,
          name: credentialNameOf(ids, credentialId),
          attempts: list,
        }))
        .sort((a, b) =>
          a.credentialId < b.credentialId ? -1 : a.credentialId > b.credentialId ? 1 : 0,
        );
      views.push({ candidateId: root, profile: profileFromWrites(root, writes), credentials });
    }
    return views.sort((a, b) =>
      a.candidateId < b.candidateId ? -1 : a.candidateId > b.candidateId ? 1 : 0,
    );
  };

  const credentialNameOf = (ids: readonly string[], credentialId: string): string => {
    let best: NameWrite | undefined;
    for (const id of ids) {
      const name = credentialNames.get(nameKey(id, credentialId));
      if (name && (!best || name.at > best.at || (name.at === best.at && name.value > best.value)))
        best = name;
    }
    return best?.value ?? credentialId;
  };

  return { apply, candidates, canonical };
};

export type EventFold = ReturnType<typeof createEventFold>;
