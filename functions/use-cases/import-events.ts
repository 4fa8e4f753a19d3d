import { readEventFile } from '../adapters/event-file-reader';
import { type CertificationEvent, createEventValidator } from '../domain/event-schemas';
import { conflictMessage, describeIssues, type RejectedLine } from './fold-event-file';
import { runBounded } from './plan-run';
import { type RecordEventDeps, recordEvent } from './record-event';

export interface ImportSummary {
  readonly read: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly rejected: readonly RejectedLine[];
}

export interface ImportOptions {
  readonly now: () => Date;
  /** Events written at once. */
  readonly concurrency?: number;
  /** Called as lines are done, for progress. */
  readonly onProgress?: (line: number) => void;
}

const BATCH = 200;

/**
 * Bulk-loads an events file (`.jsonl` or `.csv`) into the store through the same use case as the
 * webhook, so it is idempotent: a second import of the same file reports duplicates and changes
 * nothing. Attempts and profile updates are written with bounded concurrency; merges and
 * erasures, which move or delete whole accounts, run one at a time after the batch they are in.
 *
 * @example
 * const summary = await importEvents({ store, settings }, 'history.csv', { now: () => new Date() });
 */
export const importEvents = async (
  deps: RecordEventDeps,
  path: string,
  options: ImportOptions,
): Promise<ImportSummary> => {
  const validate = createEventValidator(options.now);
  const rejected: RejectedLine[] = [];
  let read = 0;
  let imported = 0;
  let duplicates = 0;
  let batch: Array<{ line: number; event: CertificationEvent }> = [];

  const record = async ({ line, event }: { line: number; event: CertificationEvent }) => {
    const outcome = await recordEvent(deps, event);
    if (outcome === 'conflict') rejected.push({ line, error: conflictMessage(event.type) });
    else if (outcome === 'duplicate') duplicates += 1;
    else imported += 1;
    options.onProgress?.(line);
  };

  const flush = async () => {
    const accountWide = (event: CertificationEvent) =>
      event.type === 'account.merged' || event.type === 'candidate.erased';
    await runBounded(
      options.concurrency ?? 8,
      batch.filter((item) => !accountWide(item.event)).map((item) => () => record(item)),
    );
    for (const item of batch.filter((entry) => accountWide(entry.event))) await record(item);
    batch = [];
  };

  for await (const line of readEventFile(path)) {
    read += 1;
    if ('error' in line) {
      rejected.push({ line: line.line, error: line.error });
      continue;
    }
    const validation = validate(line.value);
    if (!validation.ok) {
      rejected.push({ line: line.line, error: describeIssues(validation.issues) });
      continue;
    }
    batch.push({ line: line.line, event: validation.event });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  rejected.sort((a, b) => a.line - b.line);
  return { read, imported, duplicates, rejected };
};
