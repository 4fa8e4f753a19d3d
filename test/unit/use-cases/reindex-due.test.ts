import { describe, expect, it } from 'vitest';
import { nextDueAt } from '../../../functions/domain/candidate-ledger';
import type { CandidateState } from '../../../functions/domain/candidate-state';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../../functions/domain/rule-settings';
import { reindexDue } from '../../../functions/use-cases/reindex-due';
import { passedOnce } from '../support/candidates';
import { memoryCandidates } from '../support/memory-stores';

const OLD_RULES: RuleSettings = DEFAULT_RULE_SETTINGS;
const NEW_RULES: RuleSettings = {
  ...DEFAULT_RULE_SETTINGS,
  sendHour: (DEFAULT_RULE_SETTINGS.sendHour + 5) % 24,
};

/** Candidates as a process under the old rules left them. */
const storedUnder = async (settings: RuleSettings, states: readonly CandidateState[]) => {
  const store = memoryCandidates();
  for (const state of states) await store.repository.save(state, 0, nextDueAt(state, settings));
  return store;
};

describe('reindexDue', () => {
  it('rewrites every entry computed under other rules, and only those', async () => {
    // Prepare
    const a = passedOnce('cand-a');
    const b = passedOnce('cand-b');
    const merged: CandidateState = { ...passedOnce('cand-m'), mergedInto: 'cand-a' };
    const store = await storedUnder(OLD_RULES, [a, b, merged]);
    const progress: number[] = [];

    // Act
    const report = await reindexDue(
      { candidates: store.repository, settings: NEW_RULES },
      { segments: 2, onProgress: ({ scanned }) => progress.push(scanned) },
    );

    // Assess
    expect(report).toEqual({ scanned: 3, rewritten: 2 });
    expect(progress.at(-1)).toBe(3);
    for (const state of [a, b]) {
      const stored = await store.repository.load(state.candidateId);
      expect(stored?.dueAt).toBe(nextDueAt(state, NEW_RULES));
      expect(stored?.dueAt).not.toBe(nextDueAt(state, OLD_RULES));
      expect(stored?.version).toBe(2);
    }
    expect((await store.repository.load('cand-m'))?.version).toBe(1);
  });

  it('rewrites nothing when the index already follows the rules', async () => {
    // Prepare
    const store = await storedUnder(NEW_RULES, [passedOnce('cand-a'), passedOnce('cand-b')]);

    // Act
    const report = await reindexDue({ candidates: store.repository, settings: NEW_RULES });

    // Assess
    expect(report).toEqual({ scanned: 2, rewritten: 0 });
    expect((await store.repository.load('cand-a'))?.version).toBe(1);
  });

  it('leaves a candidate that changed meanwhile to its change, and keeps that change', async () => {
    // Prepare
    const state = passedOnce('cand-a');
    const store = await storedUnder(OLD_RULES, [state]);
    const changed: CandidateState = { ...state, unsubscribedAt: '2027-01-01T00:00:00Z' };
    let raced = false;
    store.onSave(async () => {
      if (raced) return;
      raced = true;
      // Another writer, already under the new rules, writes first.
      await store.repository.save(changed, 1, nextDueAt(changed, NEW_RULES));
    });

    // Act
    const report = await reindexDue({ candidates: store.repository, settings: NEW_RULES });

    // Assess
    const stored = await store.repository.load('cand-a');
    expect(report).toEqual({ scanned: 1, rewritten: 0 });
    expect(stored?.state).toEqual(changed);
    expect(stored?.version).toBe(2);
    expect(stored?.dueAt).toBe(nextDueAt(changed, NEW_RULES));
  });

  it('rewrites a candidate whose racing writer still used the old rules', async () => {
    // Prepare
    const state = passedOnce('cand-a');
    const store = await storedUnder(OLD_RULES, [state]);
    const changed: CandidateState = { ...state, unsubscribedAt: '2027-01-01T00:00:00Z' };
    let raced = false;
    store.onSave(async () => {
      if (raced) return;
      raced = true;
      await store.repository.save(changed, 1, nextDueAt(changed, OLD_RULES));
    });

    // Act
    const report = await reindexDue({ candidates: store.repository, settings: NEW_RULES });

    // Assess
    const stored = await store.repository.load('cand-a');
    expect(report).toEqual({ scanned: 1, rewritten: 1 });
    expect(stored?.state).toEqual(changed);
    expect(stored?.version).toBe(3);
    expect(stored?.dueAt).toBe(nextDueAt(changed, NEW_RULES));
  });
});
