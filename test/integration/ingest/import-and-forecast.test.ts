import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedCandidates } from '../../../bin/cli/open-store';
import { foldEventFile } from '../../../functions/use-cases/fold-event-file';
import { forecast } from '../../../functions/use-cases/forecast';
import { importEvents } from '../../../functions/use-cases/import-events';
import { attemptEvent, createTestApp, type TestApp, uniqueId } from '../support/harness';
import {
  contentOf,
  erasedEvent,
  mergedEvent,
  scanTable,
  snapshotTable,
  updateEvent,
  WIDE_RANGE,
} from './ingest-support';

/**
 * SPEC §5 `import` and `forecast`: a bulk load of a `.jsonl` or `.csv` file, idempotent, bad lines
 * reported by number; and the forecast read back from the store equals the one computed purely
 * from the same file (`forecast --input`).
 */

const now = () => new Date();
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'ingest-import-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

type Attempt = ReturnType<typeof attemptEvent>;

/** The attempts of a few candidates: zones west and east of UTC, none, and a teen with a guardian. */
const attemptHistory = (prefix: string): Attempt[] => {
  const id = (name: string) => `${prefix}-${name}`;
  const attempt = (
    name: string,
    extra: Omit<Parameters<typeof attemptEvent>[0], 'candidateId' | 'attemptId'> & { n: number },
  ) => {
    const { n, ...rest } = extra;
    return attemptEvent({ candidateId: id(name), attemptId: `${id(name)}-a${n}`, ...rest });
  };
  return [
    attempt('west', {
      n: 1,
      timeZone: 'America/Los_Angeles',
      name: 'Wes Tern',
      outcome: 'fail',
      takenAt: '2026-01-15T07:30:00Z',
    }),
    attempt('west', {
      n: 2,
      timeZone: 'America/Los_Angeles',
      name: 'Wes Tern',
      outcome: 'pass',
      takenAt: '2026-02-28T06:00:00Z',
    }),
    attempt('east', {
      n: 1,
      timeZone: 'Asia/Tokyo',
      name: 'Silva, Bo',
      outcome: 'pass',
      takenAt: '2026-03-31T15:30:00Z',
    }),
    attempt('east', {
      n: 2,
      timeZone: 'Asia/Tokyo',
      name: 'Silva, Bo',
      credentialId: 'gcp-ace',
      credentialName: 'GCP "ACE"',
      outcome: 'fail',
      takenAt: '2026-10-20T16:00:00Z',
    }),
    attempt('kiri', {
      n: 1,
      timeZone: 'Pacific/Kiritimati',
      outcome: 'pass',
      takenAt: '2025-12-31T10:30:00Z',
    }),
    attempt('teen', {
      n: 1,
      timeZone: 'Europe/Lisbon',
      guardianEmail: `${id('teen')}.parent@example.com`,
      outcome: 'pass',
      takenAt: '2025-11-30T23:30:00Z',
    }),
    attempt('teen', {
      n: 2,
      timeZone: 'Europe/Lisbon',
      guardianEmail: `${id('teen')}.parent@example.com`,
      outcome: 'fail',
      takenAt: '2026-09-01T08:00:00Z',
    }),
    attempt('utc', { n: 1, outcome: 'pass', takenAt: '2026-05-31T23:59:00Z' }),
    attempt('utc', {
      n: 2,
      credentialId: 'gcp-ace',
      credentialName: 'GCP ACE',
      outcome: 'fail',
      takenAt: '2026-06-15T12:00:00Z',
    }),
    attempt('utc', {
      n: 3,
      credentialId: 'gcp-ace',
      credentialName: 'GCP ACE',
      outcome: 'pass',
      takenAt: '2026-07-20T12:00:00Z',
    }),
    attempt('old', {
      n: 1,
      timeZone: 'Australia/Sydney',
      outcome: 'pass',
      takenAt: '2026-01-31T20:00:00Z',
    }),
    attempt('gone', {
      n: 1,
      name: 'Gone Person',
      outcome: 'pass',
      takenAt: '2026-02-10T10:00:00Z',
    }),
    attempt('gone', {
      n: 2,
      name: 'Gone Person',
      credentialId: 'gcp-ace',
      credentialName: 'GCP ACE',
      outcome: 'fail',
      takenAt: '2026-08-10T10:00:00Z',
    }),
  ];
};

const csvField = (value: string | undefined) =>
  value === undefined ? '' : /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

const CSV_HEADER =
  'attemptId,candidateId,email,name,timeZone,credentialId,credentialName,outcome,takenAt,guardianEmail';

const csvRow = (event: Attempt) => {
  const { attemptId, candidate, credential, outcome, takenAt } = event.data;
  const withOptional = candidate as typeof candidate & {
    name?: string;
    timeZone?: string;
    guardianEmail?: string;
  };
  return [
    attemptId,
    candidate.candidateId,
    candidate.email,
    withOptional.name,
    withOptional.timeZone,
    credential.credentialId,
    credential.name,
    outcome,
    takenAt,
    withOptional.guardianEmail,
  ]
    .map(csvField)
    .join(',');
};

const writeLines = async (name: string, lines: readonly string[]) => {
  const path = join(directory, name);
  await writeFile(path, `${lines.join('\n')}\n`, 'utf8');
  return path;
};

const forecastFromStore = async (testApp: TestApp) =>
  forecast(await storedCandidates(testApp.app), testApp.settings, WIDE_RANGE);

const forecastFromFile = async (testApp: TestApp, path: string) =>
  forecast((await foldEventFile(path, { now })).fold.candidates(), testApp.settings, WIDE_RANGE);

const importFile = (testApp: TestApp, path: string) =>
  importEvents({ store: testApp.app.store, settings: testApp.settings }, path, { now });

describe('import of a CSV file', () => {
  it('imports every good row, reports bad rows by line number, and forecasts like the pure file fold', async () => {
    // Prepare
    const testApp = await createTestApp();
    const history = attemptHistory(uniqueId('csv'));
    const rows = history.map(csvRow);
    const lines = [
      CSV_HEADER,
      ...rows.slice(0, 4),
      'only,three,columns',
      ...rows.slice(4, 8),
      '',
      `${rows[0]?.split(',')[0]}-x,"unbalanced,quote`,
      ...rows.slice(8),
      rows[2] as string,
      csvRow({
        ...(history[1] as Attempt),
        data: {
          ...(history[1] as Attempt).data,
          attemptId: 'csv-bad-outcome',
          outcome: 'maybe' as 'pass',
        },
      }),
    ];
    const path = await writeLines('history.csv', lines);

    // Act
    const summary = await importFile(testApp, path);

    // Assess
    expect(Object.keys(summary).sort()).toEqual(['duplicates', 'imported', 'read', 'rejected']);
    expect(summary.read).toBe(lines.length - 2);
    expect(summary.imported).toBe(history.length);
    expect(summary.duplicates).toBe(1);
    expect(summary.rejected.map((rejected) => rejected.line)).toEqual([6, 12, lines.length]);
    for (const rejected of summary.rejected) {
      expect(Object.keys(rejected).sort()).toEqual(['error', 'line']);
      expect(rejected.error).toEqual(expect.any(String));
    }
    expect(summary.rejected[2]?.error).toMatch(/outcome/);
    const fromStore = await forecastFromStore(testApp);
    expect(fromStore.length).toBeGreaterThan(20);
    expect(fromStore).toEqual(await forecastFromFile(testApp, path));
    const folded = await foldEventFile(path, { now });
    expect(folded.read).toBe(summary.read);
    expect(folded.rejected).toEqual(summary.rejected);
  });

  it('changes nothing and reports only duplicates when the same file is imported again', async () => {
    // Prepare
    const testApp = await createTestApp();
    const history = attemptHistory(uniqueId('csv-twice'));
    const path = await writeLines('twice.csv', [CSV_HEADER, ...history.map(csvRow)]);
    const first = await importFile(testApp, path);
    const before = await snapshotTable(testApp);

    // Act
    const second = await importFile(testApp, path);

    // Assess
    expect(first).toEqual({
      read: history.length,
      imported: history.length,
      duplicates: 0,
      rejected: [],
    });
    expect(second).toEqual({
      read: history.length,
      imported: 0,
      duplicates: history.length,
      rejected: [],
    });
    const after = await snapshotTable(testApp);
    expect(after.count).toBe(before.count);
    expect(contentOf(after.items)).toEqual(contentOf(before.items));
  });

  it('forecasts the same from a CSV file and from the equivalent JSONL file', async () => {
    // Prepare
    const testApp = await createTestApp();
    const history = attemptHistory(uniqueId('same'));
    const csv = await writeLines('same.csv', [CSV_HEADER, ...history.map(csvRow)]);
    const jsonl = await writeLines(
      'same.jsonl',
      history.map((event) => JSON.stringify(event)),
    );

    // Act
    const fromCsv = await forecastFromFile(testApp, csv);
    const fromJsonl = await forecastFromFile(testApp, jsonl);

    // Assess
    expect(fromCsv.length).toBeGreaterThan(20);
    expect(fromCsv).toEqual(fromJsonl);
  });
});

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
    expect(items.filter((item) => item.pk === `CAND#${id('gone')}`).map((item) => item.sk)).toEqual(
      ['ERASED'],
    );
    expect(JSON.stringify(items)).not.toContain('Gone Person');
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
    expect(contentOf(after.items)).toEqual(contentOf(before.items));
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
    // Prepare: more than one import batch (200 lines) between the merge and the target's first event
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
    const summary = await importFile(testApp, path);

    // Assess
    expect(summary.rejected).toEqual([]);
    const onlyTarget = (entries: Awaited<ReturnType<typeof forecastFromStore>>) =>
      entries.filter((entry) => entry.candidateId === `${prefix}-dst`);
    expect(onlyTarget(await forecastFromStore(testApp))).toEqual(
      onlyTarget(await forecastFromFile(testApp, path)),
    );
  });
});
