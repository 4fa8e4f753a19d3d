import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Temporal } from 'temporal-polyfill';
import { encodeCandidate } from '../functions/adapters/dynamodb/candidate-codec';
import { batchWrite } from '../functions/adapters/dynamodb/dynamo-requests';
import { TABLE_DESIGN } from '../functions/adapters/dynamodb/table-design';
import { nextDueAt } from '../functions/domain/candidate-ledger';
import { applyAttempts, emptyCandidate } from '../functions/domain/candidate-state';
import { incomingAttemptOf } from '../functions/domain/event-fold';
import type { AttemptRecorded } from '../functions/domain/event-schemas';
import { documentClientFor } from '../functions/handlers/lambda-runtime';
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
 * Loads one `attempt.recorded` per candidate into the table. Seeding lives here alone. It writes
 * each candidate's item as the store would (the pure transitions, the item codec and the due
 * index entry the rules derive), in unconditional batches of 25: a table of a million candidates
 * is ready in minutes, and what the run then costs does not depend on how the table was filled.
 * (`import` itself is measured by its own figure.)
 */
export const seedCandidates = async (
  target: { readonly documentClient: DynamoDBDocumentClient; readonly tableName: string },
  events: Iterable<AttemptRecorded>,
): Promise<void> => {
  let batch: Array<{ PutRequest: { Item: Record<string, unknown> } }> = [];
  const pending: Promise<void>[] = [];
  const flush = async () => {
    const requests = batch;
    batch = [];
    pending.push(batchWrite(target.documentClient, target.tableName, requests));
    if (pending.length >= 8) await Promise.all(pending.splice(0));
  };
  for (const event of events) {
    const { state } = applyAttempts(
      emptyCandidate(event.data.candidate.candidateId),
      [incomingAttemptOf(event)],
      'own',
    );
    batch.push({ PutRequest: { Item: encodeCandidate(state, 1, nextDueAt(state, SETTINGS)) } });
    if (batch.length >= 25 * 8) await flush();
  }
  if (batch.length > 0) await flush();
  await Promise.all(pending);
};

const DAY_MS = 86_400_000;

/**
 * One attempt per candidate: the first `due` passed on 2025-03-10, so their renewal window opens
 * at {@link RUN_AT}; the others passed or failed later, so every reminder of theirs is still to come.
 */
function* tableEvents(candidates: number, due: number): Generator<AttemptRecorded> {
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
  await seedCandidates(
    { documentClient: documentClientFor(clients.dynamodb), tableName: config.tableName },
    tableEvents(candidates, due),
  );
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
