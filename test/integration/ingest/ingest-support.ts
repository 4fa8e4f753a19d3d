import { createHash, randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { duePk, dueSk, shardOf } from '../../../functions/adapters/dynamodb/item-keys';
import { signWebhook } from '../../../functions/adapters/webhook-signature';
import { parseInstant, utcDateOf } from '../../../functions/domain/calendar';
import { createEventFold } from '../../../functions/domain/event-fold';
import { createEventValidator } from '../../../functions/domain/event-schemas';
import { deriveReminders } from '../../../functions/domain/reminder-rules';
import type { HttpEvent, HttpResult } from '../../../functions/handlers/http-response';
import { documentClientFor } from '../../../functions/handlers/lambda-runtime';
import type { ReminderRecord } from '../../../functions/use-cases/ports';
import { httpEvent, type TestApp, WEBHOOK_SECRET } from '../support/harness';

/** Helpers shared by the ingest integration tests (not a test file itself). */

export type TableItem = Record<string, unknown>;

/** Every item of the test's table, sorted by key so two scans compare equal. */
export const scanTable = async (testApp: TestApp): Promise<TableItem[]> => {
  const db = documentClientFor(testApp.clients.dynamodb);
  const items: TableItem[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: testApp.tableName, ConsistentRead: true, ExclusiveStartKey }),
    );
    items.push(...((page.Items ?? []) as TableItem[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const keyOf = (item: TableItem) => `${String(item.pk)}\u0000${String(item.sk)}`;
  return items.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
};

/** JSON with object keys sorted, so equal items always hash alike. */
const stableJson = (value: unknown): string => {
  if (value instanceof Set) return stableJson([...value].sort());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${stableJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
};

export interface TableSnapshot {
  readonly count: number;
  readonly hash: string;
  readonly items: readonly TableItem[];
}

/** Item count and a content hash of the whole table. */
export const snapshotTable = async (testApp: TestApp): Promise<TableSnapshot> => {
  const items = await scanTable(testApp);
  const hash = createHash('sha256').update(stableJson(items)).digest('hex');
  return { count: items.length, hash, items };
};

/** Items whose keys belong to the candidate (exact partition `CAND#<id>`). */
export const candidateItems = (items: readonly TableItem[], candidateId: string) =>
  items.filter((item) => item.pk === `CAND#${candidateId}`);

/** Pending reminders (no `status`) stored under a candidate. */
export const pendingReminderItems = (items: readonly TableItem[], candidateId: string) =>
  candidateItems(items, candidateId).filter(
    (item) => String(item.sk).startsWith('REM#') && item.status === undefined,
  );

/** The keys of a list of pending reminder records, sorted. */
export const pendingKeys = (reminders: readonly ReminderRecord[]) =>
  reminders
    .filter((reminder) => reminder.status === 'pending')
    .map((reminder) => reminder.key)
    .sort();

/** The result of a handler call with its JSON body parsed (`undefined` when it is not JSON). */
export type ParsedResult = HttpResult & { readonly json: Record<string, unknown> | undefined };

export const parse = (result: HttpResult): ParsedResult => {
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(result.body) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { ...result, json };
};

/** A `POST /v1/events` request signed with `secret` (or with the headers given replacing them). */
export const signedPost = (
  body: string,
  options: {
    readonly secret?: string;
    readonly id?: string;
    readonly at?: Date;
    readonly contentType?: string | undefined;
    readonly headers?: Record<string, string>;
    readonly omit?: readonly string[];
  } = {},
): HttpEvent => {
  const signed = signWebhook(
    options.secret ?? WEBHOOK_SECRET,
    options.id ?? `msg_${randomUUID()}`,
    options.at ?? new Date(),
    body,
  );
  const headers: Record<string, string> = {
    ...('contentType' in options
      ? options.contentType === undefined
        ? {}
        : { 'content-type': options.contentType }
      : { 'content-type': 'application/json' }),
    ...signed,
    ...options.headers,
  };
  for (const name of options.omit ?? []) delete headers[name];
  return httpEvent('POST', '/v1/events', { body, headers });
};

/** Sends a request to the ingest handler and parses the answer. */
export const send = async (testApp: TestApp, event: HttpEvent): Promise<ParsedResult> =>
  parse(await testApp.app.ingest(event));

/** Asserts the SPEC §3 error shape: exactly `error` and `message` (plus the keys named). */
export const errorKeys = (extra: readonly string[] = []) => ['error', 'message', ...extra].sort();

/** A `candidate.updated` event. */
export const updateEvent = (
  candidateId: string,
  timestamp: string,
  fields: Record<string, string | null>,
) => ({
  type: 'candidate.updated',
  timestamp,
  data: { candidateId, ...fields },
});

export const erasedEvent = (candidateId: string, timestamp: string) => ({
  type: 'candidate.erased',
  timestamp,
  data: { candidateId },
});

export const mergedEvent = (fromCandidateId: string, toCandidateId: string, timestamp: string) => ({
  type: 'account.merged',
  timestamp,
  data: { fromCandidateId, toCandidateId },
});

/** All orderings of a short list. */
export const permutations = <T>(list: readonly T[]): T[][] =>
  list.length <= 1
    ? [list.slice()]
    : list.flatMap((item, index) =>
        permutations([...list.slice(0, index), ...list.slice(index + 1)]).map((rest) => [
          item,
          ...rest,
        ]),
      );

/** Forecast entries without the candidate id, to compare candidates that differ only by id. */
export const withoutCandidate = <T extends { candidateId: string }>(entries: readonly T[]) =>
  entries.map(({ candidateId: _id, ...rest }) => rest);

/** A wide forecast window around the test data. */
export const WIDE_RANGE = { from: '2020-01-01', to: '2031-12-31' } as const;

/** The pure reference: folds events in memory (no store) the way `forecast --input` does. */
export const foldEvents = (events: readonly unknown[]) => {
  const validate = createEventValidator(() => new Date());
  const fold = createEventFold();
  for (const event of events) {
    const validation = validate(event);
    if (!validation.ok) throw new Error(`invalid test event: ${JSON.stringify(validation.issues)}`);
    fold.apply(validation.event);
  }
  return fold;
};

const byKey = (a: { key: string }, b: { key: string }) =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/**
 * The pending reminders stored for a candidate are exactly those the rules derive from the stored
 * attempts and zone, and each is filed in the due index under its due instant.
 */
export const expectPendingRemindersMatchDerived = async (testApp: TestApp, candidateId: string) => {
  const items = await scanTable(testApp);
  const record = await testApp.app.store.loadCandidate(candidateId);
  const timeZone = record.profile?.profile.timeZone ?? testApp.settings.defaultTimeZone;
  const derived = record.states
    .flatMap((state) =>
      deriveReminders(
        { candidateId, credentialId: state.credentialId, attempts: state.attempts, timeZone },
        testApp.settings,
      ),
    )
    .map((reminder) => ({ key: reminder.key, dueOn: reminder.dueOn, dueAt: reminder.dueAt }))
    .sort(byKey);
  const pending = pendingReminderItems(items, candidateId);
  expect(
    pending
      .map((item) => ({ key: String(item.reminderKey), dueOn: item.dueOn, dueAt: item.dueAt }))
      .sort(byKey),
  ).toEqual(derived);
  for (const item of pending) {
    const dueAt = String(item.dueAt);
    expect(item.duePk).toBe(duePk(utcDateOf(parseInstant(dueAt)), shardOf(candidateId)));
    expect(item.dueSk).toBe(dueSk(dueAt, candidateId, String(item.reminderKey)));
  }
  return derived;
};

/**
 * The table's content without `stateVersion`, the internal ordering token that a refresh of
 * unchanged reminders may bump: two tables equal under this view hold the same data.
 */
export const contentOf = (items: readonly TableItem[]) =>
  items.map(({ stateVersion: _version, ...rest }) => rest);
