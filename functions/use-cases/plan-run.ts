import type { Temporal } from 'temporal-polyfill';
import { addDays, formatInstant, utcDateOf } from '../domain/calendar';
import type { RuleSettings } from '../domain/rule-settings';
import type { CertificationStore, DueEntry } from './ports';

/** One queue message: the reminders of one candidate that a run found due. */
export interface SendRequest {
  readonly runAt: string;
  readonly candidateId: string;
  readonly dryRun?: boolean;
  readonly reminders: ReadonlyArray<
    Pick<DueEntry, 'credentialId' | 'kind' | 'dueOn' | 'reminderKey'>
  >;
}

/** Where planned work goes: SQS on AWS, an in-process queue locally. */
export interface SendQueue {
  enqueue(requests: readonly SendRequest[]): Promise<void>;
}

export interface PlanRunDeps {
  readonly store: Pick<CertificationStore, 'queryDue'>;
  readonly settings: RuleSettings;
  readonly queue: SendQueue;
  readonly shards: number;
  /** How many index queries run at once. */
  readonly concurrency?: number;
}

export interface PlanSummary {
  readonly runAt: string;
  readonly queries: number;
  readonly dueReminders: number;
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
 * The UTC dates of due instants a run at `runAt` must read: from `MAX_LATENESS_DAYS` + 1 days
 * back (older reminders are stale) to the run's own date.
 */
export const datesToRead = (runAt: Temporal.Instant, settings: RuleSettings): string[] => {
  const last = utcDateOf(runAt);
  return Array.from({ length: settings.maxLatenessDays + 2 }, (_, index) =>
    addDays(last, index - settings.maxLatenessDays - 1),
  );
};

/**
 * The planner: Queries the sparse due index (never Scans) for every reminder due by `runAt`,
 * groups them per candidate and queues one send request per candidate. Its reads grow with the
 * number of reminders due, not with the table.
 *
 * @example
 * await planRun({ store, settings, queue, shards: 8 }, Temporal.Instant.from('2027-11-29T13:00:00Z'));
 */
export const planRun = async (
  deps: PlanRunDeps,
  runAt: Temporal.Instant,
  options: { readonly dryRun?: boolean } = {},
): Promise<PlanSummary> => {
  const upTo = formatInstant(runAt.round({ smallestUnit: 'second', roundingMode: 'floor' }));
  const tasks = datesToRead(runAt, deps.settings).flatMap((date) =>
    Array.from({ length: deps.shards }, (_, shard) => () => deps.store.queryDue(date, shard, upTo)),
  );
  const found = (await runBounded(deps.concurrency ?? 16, tasks)).flat();
  const byCandidate = new Map<string, DueEntry[]>();
  for (const entry of found)
    byCandidate.set(entry.candidateId, [...(byCandidate.get(entry.candidateId) ?? []), entry]);
  const requests: SendRequest[] = [...byCandidate].map(([candidateId, entries]) => ({
    runAt: upTo,
    candidateId,
    ...(options.dryRun ? { dryRun: true } : {}),
    reminders: entries.map(({ credentialId, kind, dueOn, reminderKey }) => ({
      credentialId,
      kind,
      dueOn,
      reminderKey,
    })),
  }));
  await deps.queue.enqueue(requests);
  return {
    runAt: upTo,
    queries: tasks.length,
    dueReminders: found.length,
    candidates: requests.length,
  };
};
