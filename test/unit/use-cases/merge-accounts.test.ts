import { describe, expect, it } from 'vitest';
import {
  applyAttempts,
  type CandidateState,
  emptyCandidate,
  tombstoneOf,
} from '../../../functions/domain/candidate-state';
import type { AccountMerged } from '../../../functions/domain/event-schemas';
import { DEFAULT_RULE_SETTINGS } from '../../../functions/domain/rule-settings';
import { completeMerge, recordMerge } from '../../../functions/use-cases/merge-accounts';
import { incoming } from '../support/candidates';
import { memoryAttempts, memoryCandidates } from '../support/memory-stores';

const AT = '2030-01-01T00:00:00Z';
const settings = DEFAULT_RULE_SETTINGS;

const withPass = (candidateId: string, attemptId: string): CandidateState =>
  applyAttempts(
    emptyCandidate(candidateId),
    [incoming({ attemptId, takenAt: '2029-01-10T10:00:00Z' })],
    'own',
  ).state;

const merged = (from: string, to: string): AccountMerged => ({
  type: 'account.merged',
  timestamp: AT,
  data: { fromCandidateId: from, toCandidateId: to },
});

const attemptIdsOf = (state: CandidateState | undefined) =>
  Object.values(state?.credentials ?? {}).flatMap((credential) =>
    credential.attempts.map((attempt) => attempt.attemptId),
  );

const world = () => {
  const candidates = memoryCandidates();
  const attempts = memoryAttempts();
  const deps = {
    stores: { candidates: candidates.repository, attempts: attempts.registry },
    settings,
  };
  return { candidates, attempts, deps };
};

describe('recordMerge', () => {
  it('moves the attempts to the target and leaves the source an alias', async () => {
    // Prepare
    const { candidates, deps } = world();
    candidates.put(withPass('a', 'a-1'));
    candidates.put(withPass('b', 'b-1'));

    // Act
    const outcome = await recordMerge(deps, merged('a', 'b'));

    // Assess
    expect(outcome).toBe('accepted');
    expect(candidates.state('a')).toEqual({ ...emptyCandidate('a'), mergedInto: 'b' });
    expect(attemptIdsOf(candidates.state('b')).sort()).toEqual(['a-1', 'b-1']);
    expect(candidates.state('b')?.aliases).toEqual(['a']);
  });

  it('answers a repeat of the same merge as a duplicate, and a merge elsewhere as a conflict', async () => {
    // Prepare
    const { candidates, deps } = world();
    candidates.put(withPass('a', 'a-1'));
    await recordMerge(deps, merged('a', 'b'));

    // Act
    const again = await recordMerge(deps, merged('a', 'b'));
    const elsewhere = await recordMerge(deps, merged('a', 'c'));

    // Assess
    expect([again, elsewhere]).toEqual(['duplicate', 'conflict']);
    expect(candidates.state('c')).toBeUndefined();
  });

  it('refuses a merge whose target leads back to the source, leaving no marker behind', async () => {
    // Prepare
    const { candidates, deps } = world();
    await recordMerge(deps, merged('b', 'a'));

    // Act
    const outcome = await recordMerge(deps, merged('a', 'b'));

    // Assess
    expect(outcome).toBe('conflict');
    expect(candidates.state('a')?.mergingInto).toBeUndefined();
    expect(candidates.state('b')?.mergedInto).toBe('a');
  });

  it('finishes a merge a crash left under way before deciding another merge of the account', async () => {
    // Prepare: A→B wrote its marker and died.
    const { candidates, deps } = world();
    candidates.put({ ...withPass('a', 'a-1'), mergingInto: 'b' });

    // Act
    const outcome = await recordMerge(deps, merged('a', 'c'));

    // Assess
    expect(outcome).toBe('conflict');
    expect(candidates.state('a')?.mergedInto).toBe('b');
    expect(attemptIdsOf(candidates.state('b'))).toEqual(['a-1']);
    expect(candidates.state('c')).toBeUndefined();
  });

  it('finishes a merge under way on the target first, and lands where it led', async () => {
    // Prepare: B→C wrote its marker and died.
    const { candidates, deps } = world();
    candidates.put(withPass('a', 'a-1'));
    candidates.put({ ...withPass('b', 'b-1'), mergingInto: 'c' });

    // Act
    const outcome = await recordMerge(deps, merged('a', 'b'));

    // Assess
    expect(outcome).toBe('accepted');
    expect(candidates.state('b')?.mergedInto).toBe('c');
    expect(attemptIdsOf(candidates.state('c')).sort()).toEqual(['a-1', 'b-1']);
    expect(candidates.state('a')?.mergedInto).toBe('b');
  });

  it('absorbs again a source that changed between the copy and the alias write', async () => {
    // Prepare: an attempt reaches A just before A becomes an alias.
    const { candidates, deps } = world();
    candidates.put(withPass('a', 'a-1'));
    let interfered = false;
    candidates.onSave((state) => {
      if (state.candidateId !== 'a' || state.mergedInto === undefined || interfered) return;
      interfered = true;
      const current = candidates.state('a') as CandidateState;
      candidates.put(
        applyAttempts(
          current,
          [incoming({ attemptId: 'a-2', takenAt: '2029-06-01T10:00:00Z' })],
          'own',
        ).state,
      );
    });

    // Act
    const outcome = await recordMerge(deps, merged('a', 'b'));

    // Assess
    expect(outcome).toBe('accepted');
    expect(attemptIdsOf(candidates.state('b')).sort()).toEqual(['a-1', 'a-2']);
  });

  it('finishes the merges under way that make a loop before judging a new merge by them', async () => {
    // Prepare: A→B wrote its marker and died; B→A then arrives.
    const { candidates, deps } = world();
    candidates.put({ ...withPass('a', 'a-1'), mergingInto: 'b' });
    candidates.put(withPass('b', 'b-1'));

    // Act
    const outcome = await recordMerge(deps, merged('b', 'a'));

    // Assess: as if A→B had come first.
    expect(outcome).toBe('conflict');
    expect(candidates.state('a')?.mergedInto).toBe('b');
    expect(attemptIdsOf(candidates.state('b')).sort()).toEqual(['a-1', 'b-1']);
  });

  it('erases the target of a merge of an erased account, and records where the source went', async () => {
    // Prepare
    const { candidates, attempts, deps } = world();
    candidates.put(tombstoneOf(withPass('a', 'a-1'), AT));
    candidates.put(withPass('b', 'b-1'));

    // Act
    const outcome = await recordMerge(deps, merged('a', 'b'));

    // Assess
    expect(outcome).toBe('accepted');
    expect(candidates.state('b')?.erasedAt).toBe(AT);
    expect(attemptIdsOf(candidates.state('b'))).toEqual([]);
    expect(candidates.state('a')).toMatchObject({ erasedAt: AT, mergedInto: 'b' });
    expect(candidates.state('a')?.mergingInto).toBeUndefined();
    expect(attempts.forgotten.sort()).toEqual(['a-1', 'b-1']);
  });
});

describe('completeMerge', () => {
  it('is a conflict when nothing is under way and the account was not merged', async () => {
    // Prepare
    const { candidates, deps } = world();
    candidates.put(withPass('a', 'a-1'));

    // Act & Assess
    expect(await completeMerge(deps, 'a', AT)).toBe('conflict');
  });

  it('is a conflict for a merge whose account landed in another target meanwhile', async () => {
    // Prepare: A→B's marker was dropped, and A→C landed.
    const { candidates, deps } = world();
    candidates.put({ ...emptyCandidate('a'), mergedInto: 'c' });

    // Act
    const forB = await completeMerge(deps, 'a', AT, 'b');
    const forAnyone = await completeMerge(deps, 'a', AT);

    // Assess
    expect([forB, forAnyone]).toEqual(['conflict', 'accepted']);
  });

  it('settles opposite merges racing as if one came first: the smallest id wins', async () => {
    // Prepare: A→B and B→A both wrote their markers.
    const { candidates, deps } = world();
    candidates.put({ ...withPass('a', 'a-1'), mergingInto: 'b' });
    candidates.put({ ...withPass('b', 'b-1'), mergingInto: 'a' });

    // Act
    const outcomes = [await completeMerge(deps, 'b', AT), await completeMerge(deps, 'a', AT)];

    // Assess
    expect(outcomes).toEqual(['conflict', 'accepted']);
    expect(candidates.state('a')?.mergedInto).toBe('b');
    expect(candidates.state('b')?.mergingInto).toBeUndefined();
    expect(attemptIdsOf(candidates.state('b')).sort()).toEqual(['a-1', 'b-1']);
  });

  it('answers accepted when a merge that lost the loop landed before its marker could be dropped', async () => {
    // Prepare: B→A and A→B both marked; B→A's own first run lands it while this one decides.
    const { candidates, deps } = world();
    candidates.put({ ...withPass('a', 'a-1'), mergingInto: 'b' });
    candidates.put({ ...withPass('b', 'b-1'), mergingInto: 'a' });
    candidates.onSave((state) => {
      if (state.candidateId !== 'b' || state.mergingInto !== undefined || state.mergedInto) return;
      candidates.onSave(undefined);
      candidates.put({ ...emptyCandidate('b'), mergedInto: 'a' });
    });

    // Act
    const outcome = await completeMerge(deps, 'b', AT);

    // Assess
    expect(outcome).toBe('accepted');
    expect(candidates.state('b')?.mergedInto).toBe('a');
  });

  it('lets the winner of such a race drop the other marker itself', async () => {
    // Prepare
    const { candidates, deps } = world();
    candidates.put({ ...withPass('a', 'a-1'), mergingInto: 'b' });
    candidates.put({ ...withPass('b', 'b-1'), mergingInto: 'a' });

    // Act
    const first = await completeMerge(deps, 'a', AT);
    const second = await completeMerge(deps, 'b', AT);

    // Assess
    expect([first, second]).toEqual(['accepted', 'conflict']);
    expect(candidates.state('b')?.mergingInto).toBeUndefined();
  });

  it('refuses the newcomer of a loop through a finished merge', async () => {
    // Prepare: B was merged into A; A→B then wrote its marker.
    const { candidates, deps } = world();
    await recordMerge(deps, merged('b', 'a'));
    const a = candidates.state('a') as CandidateState;
    candidates.put({ ...a, mergingInto: 'b' });

    // Act
    const outcome = await completeMerge(deps, 'a', AT);

    // Assess
    expect(outcome).toBe('conflict');
    expect(candidates.state('a')?.mergingInto).toBeUndefined();
  });

  it('leaves a merge that must erase to whoever can erase (a sender cannot)', async () => {
    // Prepare
    const { candidates } = world();
    candidates.put({ ...withPass('a', 'a-1'), mergingInto: 'b' });
    candidates.put(tombstoneOf(withPass('b', 'b-1'), AT));

    // Act
    const outcome = await completeMerge(
      { stores: { candidates: candidates.repository }, settings },
      'a',
      AT,
    );

    // Assess
    expect(outcome).toBe('pending');
    expect(candidates.state('a')?.mergingInto).toBe('b');
    expect(attemptIdsOf(candidates.state('a'))).toEqual(['a-1']);
  });
});
