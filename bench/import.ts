import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { CertificationEvent } from '../functions/domain/event-schemas';
import { importEvents } from '../functions/use-cases/import-events';
import { systemClock } from '../functions/use-cases/ports';
import type { BaselineFigure } from './baseline';
import {
  attemptEvent,
  type Endpoints,
  freshApp,
  progress,
  round,
  SETTINGS,
  secondsSince,
} from './support';

/**
 * Events `importEvents` writes at once: its default, which the CLI `import` command uses (it
 * passes no concurrency). The baseline for this figure is measured at the same concurrency.
 */
export const IMPORT_CONCURRENCY = 16;

/** Candidates per line of the generated file: 40,000 candidates for 100,000 lines. */
export const CANDIDATES_PER_LINE = 0.4;

export interface ImportFigure {
  readonly lines: number;
  readonly candidates: number;
  readonly concurrency: number;
  readonly read: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly seconds: number;
  readonly linesPerSecond: number;
  readonly requestsPerLine: number;
  readonly requestsByCommand: Record<string, number>;
  readonly baselinePutsPerSecond: number;
  /** linesPerSecond / baselinePutsPerSecond. */
  readonly ratio: number;
}

/** Writes `events` as a JSONL file, one event a line, without holding the file in memory. */
export const writeEventFile = async (
  path: string,
  events: Iterable<CertificationEvent>,
): Promise<number> => {
  const out = createWriteStream(path);
  let lines = 0;
  for (const event of events) {
    if (!out.write(`${JSON.stringify(event)}\n`)) await once(out, 'drain');
    lines += 1;
  }
  out.end();
  await once(out, 'finish');
  return lines;
};

const DAY_MS = 86_400_000;
const HISTORY_START = Date.UTC(2023, 0, 1, 9);

/**
 * A history of `lines` attempts by `candidates` candidates, in the order a programme would
 * export it (by time): round k holds every candidate's k-th attempt, some failed, most passed.
 */
function* historyEvents(lines: number, candidates: number): Generator<CertificationEvent> {
  for (let line = 0; line < lines; line += 1) {
    const candidate = line % candidates;
    const round = Math.floor(line / candidates);
    const takenAt = new Date(HISTORY_START + (round * 120 + (candidate % 100)) * DAY_MS);
    yield attemptEvent(
      `import-${line}`,
      `cand-import-${candidate}`,
      takenAt.toISOString(),
      (candidate + round) % 3 === 0 ? 'fail' : 'pass',
    );
  }
}

/**
 * Bulk import of a generated JSONL file into a fresh table through `importEvents`, the use case
 * the CLI `import` command calls.
 */
export const measureImport = async (
  endpoints: Endpoints,
  dir: string,
  lines: number,
  baseline: BaselineFigure,
): Promise<ImportFigure> => {
  const candidates = Math.max(1, Math.round(lines * CANDIDATES_PER_LINE));
  const path = join(dir, `import-${lines}.jsonl`);
  await writeEventFile(path, historyEvents(lines, candidates));
  progress(`import: ${lines} lines for ${candidates} candidates`);
  const { app, counter } = await freshApp('import', endpoints);
  counter.reset();
  const start = performance.now();
  const summary = await importEvents(
    { stores: app.stores, settings: SETTINGS, clock: systemClock },
    path,
    { concurrency: IMPORT_CONCURRENCY },
  );
  const seconds = secondsSince(start);
  const linesPerSecond = lines / seconds;
  return {
    lines,
    candidates,
    concurrency: IMPORT_CONCURRENCY,
    read: summary.read,
    imported: summary.imported,
    duplicates: summary.duplicates,
    rejected: summary.rejected.length,
    seconds: round(seconds),
    linesPerSecond: round(linesPerSecond, 1),
    requestsPerLine: round(counter.total() / lines, 2),
    requestsByCommand: counter.byCommand(),
    baselinePutsPerSecond: baseline.putsPerSecond,
    ratio: round(linesPerSecond / baseline.putsPerSecond, 3),
  };
};
