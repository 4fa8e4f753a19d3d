import { describe, expect, it } from 'vitest';
import { foldEventFile } from '../../../functions/use-cases/fold-event-file';
import { createTestApp, uniqueId } from '../support/harness';
import { snapshotTable } from '../support/table';
import {
  type Attempt,
  attemptHistory,
  CSV_HEADER,
  csvRow,
  forecastFromFile,
  forecastFromStore,
  importFile,
  now,
  temporaryFiles,
} from './import-support';

/**
 * SPEC §5 `import` of a `.csv` file and `forecast`: a bulk load, idempotent, bad rows reported by
 * line number; the forecast read back from the store equals the one computed purely from the same
 * file (`forecast --input`), and the CSV and JSONL forms of a history forecast alike.
 */

const { writeLines } = temporaryFiles('ingest-import-csv-');

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
    expect(after.items).toEqual(before.items);
    expect(after.hash).toBe(before.hash);
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
