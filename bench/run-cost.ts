import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Temporal } from 'temporal-polyfill';
import type { LocalApp } from '../bin/local/local-app';
import { TABLE_DESIGN } from '../functions/adapters/dynamodb/table-design';
import type { CertificationEvent } from '../functions/domain/event-schemas';
import { documentClientFor } from '../functions/handlers/lambda-runtime';
import { importEvents } from '../functions/use-cases/import-events';
import { systemClock } from '../functions/use-cases/ports';
import { IMPORT_CONCURRENCY, writeEventFile } from './import';
import {
  attemptEvent,
  type Endpoints,
  freshApp,
  progress,
  round,
  SETTINGS,
  secondsSince,
} from './support';

/** Candidates with a reminder due at the run instant, whatever the size of the table. */
export const DUE_CANDIDATES = 200;

/** The run instant: the due candidates' renewal window opens that day (pass on 2025-03-10). */
export const RUN_AT = Temporal.Instant.from('2025-12-10T13:00:00Z');

export interface RunCostFigure {
  readonly candidates: number;
  readonly due: number;
  readonly seedSeconds: number;
  readonly runSeconds: number;
  readonly emailsSent: number;
  readonly failed: number;
  readonly plannerRequests: number;
  readonly senderRequests: number;
  readonly requestsPerEmailedCandidate: number;
  readonly requestsByCommand: Record<string, number>;
  /** What a planner that Scans the table instead would read, measured on the same table. */
  readonly scanPlanner: {
    readonly requests: number;
    readonly itemsScanned: number;
    /** Item sizes by DynamoDB's rules (names + values), summed over the scanned items. */
    readonly bytesScanned: number;
  };
}

/**
 * Loads `events` into the app's store. Seeding lives here alone: today it goes through
 * `importEvents` on a generated file (the fastest path the store offers), and when the store
 * changes it is the one place to switch to a faster path.
 */
export const seedCandidates = async (
  app: Pick<LocalApp, 'stores'>,
  events: Iterable<CertificationEvent>,
): Promise<void> => {
  const dir = await mkdtemp(join(tmpdir(), 'cert-reminders-seed-'));
  try {
    const path = join(dir, 'seed.jsonl');
    const lines = await writeEventFile(path, events);
    const summary = await importEvents(
      { stores: app.stores, settings: SETTINGS, clock: systemClock },
      path,
      { concurrency: IMPORT_CONCURRENCY },
    );
    if (summary.imported !== lines)
      throw new Error(`seeding imported ${summary.imported} of ${lines} events`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

const DAY_MS = 86_400_000;

/**
 * One attempt per candidate: the first `due` passed on 2025-03-10, so their renewal window opens
 * at {@link RUN_AT}; the others passed or failed later, so every reminder of theirs is still to come.
 */
function* tableEvents(candidates: number, due: number): Generator<CertificationEvent> {
  for (let index = 0; index < candidates; index += 1) {
    const id = `cand-run-${index}`;
    if (index < due) yield attemptEvent(`run-${index}`, id, '2025-03-10T09:00:00Z');
    else if (index % 5 === 0)
      // A failure from late November: the retake opens 25 days later, after the run.
      yield attemptEvent(
        `run-${index}`,
        id,
        new Date(Date.UTC(2025, 10, 20, 9) + (index % 10) * DAY_MS).toISOString(),
        'fail',
      );
    else
      yield attemptEvent(
        `run-${index}`,
        id,
        new Date(Date.UTC(2025, 4, 1, 9) + (index % 180) * DAY_MS).toISOString(),
      );
  }
}

/** DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers ~1 byte per 2 digits). */
const sizeOf = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint')
    return Math.ceil(String(value).replace(/[-.]/g, '').length / 2) + 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, item) => sum + sizeOf(item), 0);
  if (Array.isArray(value))
    return 3 + value.reduce((sum: number, item) => sum + 1 + sizeOf(item), 0);
  return (
    3 +
    Object.entries(value as Record<string, unknown>).reduce(
      (sum, [name, item]) => sum + Buffer.byteLength(name) + 1 + sizeOf(item),
      0,
    )
  );
};
const itemBytes = (item: Record<string, unknown>) =>
  Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + sizeOf(value),
    0,
  );

/** Which part of a run sent a request: the planner reads the due index and records the run. */
const plannerOrSender = (command: string, input: Record<string, unknown>) => {
  if (command === 'Query' && input.IndexName === TABLE_DESIGN.dueIndex.indexName) return 'planner';
  const item = (input.Item ?? input.Key) as { pk?: unknown } | undefined;
  const pk = typeof item?.pk === 'string' ? item.pk : (item?.pk as { S?: string } | undefined)?.S;
  if (pk?.startsWith('RUN#')) return 'planner';
  return 'sender';
};

/**
 * One real run (the local app's planner, in-process queue, sender and the SES emulator) on a
 * table of `candidates` candidates of which {@link DUE_CANDIDATES} have a reminder due, then the
 * reads a Scan-based planner would need on the same table.
 */
export const measureRunCost = async (
  endpoints: Endpoints,
  candidates: number,
): Promise<RunCostFigure> => {
  const due = Math.min(DUE_CANDIDATES, candidates);
  const { app, config, clients, counter } = await freshApp(`run-${candidates}`, endpoints);
  progress(`run: seeding ${candidates} candidates (${due} due)`);
  const seedStart = performance.now();
  await seedCandidates(app, tableEvents(candidates, due));
  const seedSeconds = secondsSince(seedStart);

  progress(`run: one run over ${candidates} candidates`);
  counter.reset();
  counter.tagWith(plannerOrSender);
  const runStart = performance.now();
  const report = await app.run(RUN_AT);
  const runSeconds = secondsSince(runStart);
  counter.tagWith(undefined);
  const groups = counter.byGroup();
  const requestsByCommand = counter.byCommand();
  const emailsSent = report.emails.length;

  progress(`run: a full Scan of the ${candidates}-candidate table`);
  const db = documentClientFor(clients.dynamodb);
  let requests = 0;
  let itemsScanned = 0;
  let bytesScanned = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: config.tableName, ExclusiveStartKey }));
    requests += 1;
    itemsScanned += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) bytesScanned += itemBytes(item);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);

  const plannerRequests = groups.planner ?? 0;
  const senderRequests = groups.sender ?? 0;
  return {
    candidates,
    due,
    seedSeconds: round(seedSeconds),
    runSeconds: round(runSeconds),
    emailsSent,
    failed: report.failed.length,
    plannerRequests,
    senderRequests,
    requestsPerEmailedCandidate: round(
      (plannerRequests + senderRequests) / Math.max(1, emailsSent),
      2,
    ),
    requestsByCommand,
    scanPlanner: { requests, itemsScanned, bytesScanned },
  };
};
