import { describe, expect, it } from 'vitest';
import { foldEventFile } from '../../../functions/use-cases/fold-event-file';
import { attemptEvent, createTestApp, uniqueId } from '../support/harness';
import { scanTable, snapshotTable } from '../support/table';
import {
  type Attempt,
  attemptHistory,
  forecastFromFile,
  forecastFromStore,
  importFile,
  now,
  temporaryFiles,
} from './import-support';
import { erasedEvent, mergedEvent, updateEvent } from './ingest-support';
import { expectAlias, expectTombstone } from './stored-layout';

/**
 * SPEC §5 `import` of a `.jsonl` file with profile updates, merges and erasures: bad lines
 * reported by number, a second import changes nothing, and the store forecasts like the pure fold
 * of the same file (`forecast --input`), however the file falls into import windows.
 */

const { writeLines } = temporaryFiles('ingest-import-jsonl-');

describe('import of a JSONL file with profile updates, merges and erasures', () => {
  const jsonlHistory = (prefix: string) => {
    const id = (name: string) => `${prefix}-${name}`;
    const attempts = attemptHistory(prefix);
    return {
      id,
      attempts,
      lines: [
        ...attempts.slice(0, 6).map((event) => JSON.stringify(event)),
        JSON.stringify(
          updateEvent(id('utc'), '2026-07-01T00:00:00Z', {
            timeZone: 'Asia/Kolkata',
            name: 'Uma Tee',
          }),
        ),
        '{"type": "attempt.recorded", "timestamp": ',
        JSON.stringify(
          updateEvent(id('utc'), '2026-06-01T00:00:00Z', { timeZone: 'America/Anchorage' }),
        ),
        JSON.stringify(
          updateEvent(id('teen'), '2026-10-01T00:00:00Z', {
            guardianEmail: null,
            timeZone: 'Atlantic/Azores',
          }),
        ),
        '',
        ...attempts.slice(6).map((event) => JSON.stringify(event)),
        JSON.stringify(mergedEvent(id('old'), id('east'), '2026-04-15T00:00:00Z')),
        JSON.stringify(erasedEvent(id('gone'), '2026-09-01T00:00:00Z')),
        JSON.stringify({
          ...attemptEvent({
            candidateId: id('bad'),
            outcome: 'pass',
            takenAt: '2026-01-01T00:00:00Z',
          }),
          data: { candidateId: id('bad') },
        }),
        JSON.stringify(
          attemptEvent({
            candidateId: id('gone'),
            attemptId: `${id('gone')}-after`,
            outcome: 'pass',
            takenAt: '2026-10-01T10:00:00Z',
          }),
        ),
        JSON.stringify(
          attemptEvent({
            candidateId: id('old'),
            attemptId: `${id('old')}-after`,
            outcome: 'fail',
            takenAt: '2026-10-05T10:00:00Z',
          }),
        ),
        JSON.stringify({
          ...(attempts[0] as Attempt),
          data: { ...(attempts[0] as Attempt).data, outcome: 'pass' },
        }),
        JSON.stringify({ type: 'candidate.renamed', timestamp: '2026-01-01T00:00:00Z', data: {} }),
      ],
    };
  };

  it('imports the good lines, rejects the bad ones by line number, and forecasts like the pure file fold', async () => {
    // Prepare
    const testApp = await createTestApp();
    const { id, lines } = jsonlHistory(uniqueId('jsonl'));
    const path = await writeLines('history.jsonl', lines);

    // Act
    const summary = await importFile(testApp, path);

    // Assess
    expect(Object.keys(summary).sort()).toEqual(['duplicates', 'imported', 'read', 'rejected']);
    expect(summary.read).toBe(lines.length - 1);
    const badLines = [8, 21, 24, 25];
    expect(summary.rejected.map((rejected) => rejected.line)).toEqual(badLines);
    expect(summary.rejected[2]?.error).toMatch(/conflict/);
    expect(summary.imported + summary.duplicates).toBe(summary.read - badLines.length);
    const fromStore = await forecastFromStore(testApp);
    const fromFile = await forecastFromFile(testApp, path);
    expect(fromStore.length).toBeGreaterThan(20);
    expect(fromStore).toEqual(fromFile);
    expect(fromStore.some((entry) => entry.candidateId === id('gone'))).toBe(false);
    expect(fromStore.some((entry) => entry.candidateId === id('old'))).toBe(false);
    expect(
      fromStore
        .filter((entry) => entry.candidateId === id('utc'))
        .every((entry) => entry.timeZone === 'Asia/Kolkata'),
    ).toBe(true);
    const items = await scanTable(testApp);
    expectTombstone(items, id('gone'), {
      attemptIds: [`${id('gone')}-a1`, `${id('gone')}-a2`, `${id('gone')}-after`],
    });
    expect(JSON.stringify(items)).not.toContain('Gone Person');
    expect(JSON.stringify(items)).not.toContain(`${id('gone')}@example.com`);
    expectAlias(items, id('old'), id('east'));
    const east = await testApp.app.store.loadCandidate(id('east'));
    expect(
      east.states.flatMap((state) => state.attempts.map((attempt) => attempt.attemptId)).sort(),
    ).toEqual(
      [`${id('east')}-a1`, `${id('east')}-a2`, `${id('old')}-a1`, `${id('old')}-after`].sort(),
    );
    const folded = await foldEventFile(path, { now });
    expect(folded.read).toBe(summary.read);
    expect(folded.rejected.map((rejected) => rejected.line)).toEqual(badLines);
  });

  it('changes nothing when the same JSONL file is imported again, and counts its attempts as duplicates', async () => {
    // Prepare
    const testApp = await createTestApp();
    const { attempts, lines } = jsonlHistory(uniqueId('jsonl-twice'));
    const path = await writeLines('twice.jsonl', lines);
    const first = await importFile(testApp, path);
    const forecastBefore = await forecastFromStore(testApp);
    const before = await snapshotTable(testApp);

    // Act
    const second = await importFile(testApp, path);

    // Assess
    const after = await snapshotTable(testApp);
    expect(after.count).toBe(before.count);
    expect(after.items).toEqual(before.items);
    expect(after.hash).toBe(before.hash);
    expect(await forecastFromStore(testApp)).toEqual(forecastBefore);
    expect(second.read).toBe(first.read);
    expect(second.rejected).toEqual(first.rejected);
    const erasedLater = 2;
    expect(second.duplicates).toBeGreaterThanOrEqual(attempts.length - erasedLater);
    expect(second.imported + second.duplicates).toBe(first.imported + first.duplicates);
  });

  it('rejects a second merge of the same account elsewhere, in the store and in the pure fold alike', async () => {
    // Prepare
    const testApp = await createTestApp();
    const prefix = uniqueId('remerge');
    const lines = [
      attemptEvent({
        candidateId: `${prefix}-a`,
        outcome: 'pass',
        takenAt: '2026-02-01T10:00:00Z',
      }),
      attemptEvent({
        candidateId: `${prefix}-b`,
        timeZone: 'Asia/Tokyo',
        credentialId: 'gcp-ace',
        outcome: 'pass',
        takenAt: '2026-03-01T10:00:00Z',
      }),
      attemptEvent({
        candidateId: `${prefix}-c`,
        timeZone: 'America/Los_Angeles',
        credentialId: 'gcp-ace',
        outcome: 'fail',
        takenAt: '2026-04-01T10:00:00Z',
      }),
      mergedEvent(`${prefix}-a`, `${prefix}-b`, '2026-05-01T00:00:00Z'),
      mergedEvent(`${prefix}-a`, `${prefix}-c`, '2026-06-01T00:00:00Z'),
    ].map((event) => JSON.stringify(event));
    const path = await writeLines('remerge.jsonl', lines);

    // Act
    const summary = await importFile(testApp, path);
    const folded = await foldEventFile(path, { now });

    // Assess
    expect(summary.rejected.map((rejected) => rejected.line)).toEqual([5]);
    expect(folded.rejected.map((rejected) => rejected.line)).toEqual([5]);
    expect(await forecastFromStore(testApp)).toEqual(await forecastFromFile(testApp, path));
  });

  it('forecasts like the pure file fold when a merge comes in an earlier batch than the target’s own profile', async () => {
    // Prepare: more than one import window (100 lines) between the merge and the target's first event
    const testApp = await createTestApp();
    const prefix = uniqueId('batches');
    const filler = Array.from({ length: 200 }, (_, index) =>
      updateEvent(`${prefix}-filler-${index}`, '2026-01-01T00:00:00Z', {}),
    );
    const lines = [
      attemptEvent({
        candidateId: `${prefix}-src`,
        timeZone: 'Asia/Tokyo',
        outcome: 'pass',
        takenAt: '2026-02-20T20:00:00Z',
      }),
      mergedEvent(`${prefix}-src`, `${prefix}-dst`, '2026-03-01T00:00:00Z'),
      ...filler,
      attemptEvent({
        candidateId: `${prefix}-dst`,
        credentialId: 'gcp-ace',
        outcome: 'pass',
        takenAt: '2026-04-01T10:00:00Z',
      }),
    ].map((event) => JSON.stringify(event));
    const path = await writeLines('batches.jsonl', lines);

    // Act
    const progress: number[] = [];
    const summary = await importFile(testApp, path, {
      windowLines: 100,
      onProgress: ({ done }) => progress.push(done),
    });

    // Assess
    expect(progress, 'three windows were written one after the other').toEqual([
      100,
      200,
      lines.length,
    ]);
    expect(summary.rejected).toEqual([]);
    const onlyTarget = (entries: Awaited<ReturnType<typeof forecastFromStore>>) =>
      entries.filter((entry) => entry.candidateId === `${prefix}-dst`);
    expect(onlyTarget(await forecastFromStore(testApp))).toEqual(
      onlyTarget(await forecastFromFile(testApp, path)),
    );
  });
});
