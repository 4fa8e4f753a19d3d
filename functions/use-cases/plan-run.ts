import { formatInstant, type Instant } from '../domain/calendar';
import type { CandidateRepository, SendQueue, SendRequest } from './ports';

export interface PlanRunDeps {
  readonly candidates: Pick<CandidateRepository, 'queryDue'>;
  readonly queue: SendQueue;
  readonly shards: number;
  /** Messages queued at once. */
  readonly enqueueBatch?: number;
}

export interface PlanSummary {
  readonly runAt: string;
  /** Index Queries made (pages included). */
  readonly queries: number;
  readonly candidates: number;
}

/** Runs `tasks` with at most `limit` in flight. */
export const runBounded = async <T>(
  limit: number,
  tasks: ReadonlyArray<() => Promise<T>>,
): Promise<T[]> => {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next;
      next += 1;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
};

/**
 * The planner: reads each shard of the due index (a priority queue: one entry per candidate, its
 * earliest due instant) for the entries due by `runAt`, and queues one send request per candidate.
 * It never Scans: its reads grow with the candidates due, not with the table, and a reminder
 * never falls out of reach, however late.
 *
 * @example
 * await planRun({ candidates, queue, shards: 16 }, Temporal.Instant.from('2027-11-29T13:00:00Z'));
 */
export const planRun = async (
  deps: PlanRunDeps,
  runAt: Instant,
  options: { readonly dryRun?: boolean } = {},
): Promise<PlanSummary> => {
  // To the second, cut down: a fraction never makes a reminder due early.
  const upTo = formatInstant(runAt);
  let queries = 0;
  let candidates = 0;
  const batch = deps.enqueueBatch ?? 500;
  const readShard = async (shard: number) => {
    let pending: SendRequest[] = [];
    for await (const page of deps.candidates.queryDue(shard, upTo)) {
      queries += 1;
      for (const { candidateId } of page) {
        pending.push({ runAt: upTo, candidateId, ...(options.dryRun ? { dryRun: true } : {}) });
        candidates += 1;
      }
      if (pending.length >= batch) {
        await deps.queue.enqueue(pending);
        pending = [];
      }
    }
    if (pending.length > 0) await deps.queue.enqueue(pending);
  };
  await Promise.all(Array.from({ length: deps.shards }, (_, shard) => readShard(shard)));
  return { runAt: upTo, queries, candidates };
};
