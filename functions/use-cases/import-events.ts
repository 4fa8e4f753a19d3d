import type { AttemptRecorded, CertificationEvent } from '../domain/event-schemas';
import { conflictMessage, type RejectedLine, validatedEvents } from './fold-event-file';
import { runBounded } from './plan-run';
import {
  type RecordEventDeps,
  type RecordOutcome,
  recordAttempts,
  recordEvent,
} from './record-event';

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

interface Item<Event extends CertificationEvent = CertificationEvent> {
  readonly line: number;
  readonly event: Event;
}

/**
 * Bulk-loads an events file (`.jsonl` or `.csv`) into the store through the same use case as the
 * webhook, so it is idempotent: a second import of the same file reports duplicates and changes
 * nothing. Each batch is split per candidate: a candidate's attempts are written together (one
 * profile write, one state write per credential, one refresh), candidates in parallel with bounded
 * concurrency; merges and erasures, which move or delete whole accounts, run one at a time after
 * the batch they are in.
 *
 * @example
 * const summary = await importEvents({ store, settings }, 'history.csv', { now: () => new Date() });
 */
export const importEvents = async (
  deps: RecordEventDeps,
  path: string,
  options: ImportOptions,
): Promise<ImportSummary> => {
  const rejected: RejectedLine[] = [];
  let read = 0;
  let imported = 0;
  let duplicates = 0;
  let batch: Item[] = [];

  let furthestLine = 0;
  const count = ({ line, event }: Item, outcome: RecordOutcome) => {
    if (outcome === 'conflict') rejected.push({ line, error: conflictMessage(event.type) });
    else if (outcome === 'duplicate') duplicates += 1;
    else imported += 1;
    furthestLine = Math.max(furthestLine, line);
    options.onProgress?.(furthestLine);
  };
  const record = async (item: Item) => count(item, await recordEvent(deps, item.event));

  /** One candidate's share of a batch: their attempts in one go, then their profile updates. */
  const recordCandidate = async (items: readonly Item[]) => {
    const attempts = items.filter(
      (item): item is Item<AttemptRecorded> => item.event.type === 'attempt.recorded',
    );
    const outcomes = await recordAttempts(
      deps,
      attempts.map((item) => item.event),
    );
    for (const [index, item] of attempts.entries()) count(item, outcomes[index] ?? 'accepted');
    for (const item of items) if (item.event.type !== 'attempt.recorded') await record(item);
  };

  const flush = async () => {
    const perCandidate = new Map<string, Item[]>();
    const accountWide: Item[] = [];
    for (const item of batch) {
      const { event } = item;
      if (event.type === 'account.merged' || event.type === 'candidate.erased') {
        accountWide.push(item);
        continue;
      }
      const candidateId =
        event.type === 'attempt.recorded'
          ? event.data.candidate.candidateId
          : event.data.candidateId;
      perCandidate.set(candidateId, [...(perCandidate.get(candidateId) ?? []), item]);
    }
    await runBounded(
      options.concurrency ?? 8,
      [...perCandidate.values()].map((items) => () => recordCandidate(items)),
    );
    for (const item of accountWide) await record(item);
    batch = [];
  };

  for await (const record of validatedEvents(path, options.now)) {
    read += 1;
    if ('error' in record) {
      rejected.push(record);
      continue;
    }
    batch.push(record);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  rejected.sort((a, b) => a.line - b.line);
  return { read, imported, duplicates, rejected };
};
