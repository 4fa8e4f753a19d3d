import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { CandidateState } from '../../../functions/domain/candidate-state';
import { documentClientFor } from '../../../functions/handlers/lambda-runtime';
import type { TestApp } from './harness';

/**
 * Reading a test's table as raw items, to check what is (and is not) stored: one item per
 * candidate (`CAND#<id>` / `CANDIDATE`, the state as JSON in `data`), and the global items
 * `ATTEMPT#<attemptId>`, `WEBHOOK#<id>`, `SUPPRESS#<sha256>` and `RUN#<runAt>`.
 */

export type TableItem = Record<string, unknown>;

/** Every item of the test's table, sorted by key so two scans compare equal. */
export const scanTable = async (testApp: Pick<TestApp, 'clients' | 'tableName'>) => {
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
export const snapshotTable = async (
  testApp: Pick<TestApp, 'clients' | 'tableName'>,
): Promise<TableSnapshot> => {
  const items = await scanTable(testApp);
  const hash = createHash('sha256').update(stableJson(items)).digest('hex');
  return { count: items.length, hash, items };
};

/** Items whose keys belong to the candidate (exact partition `CAND#<id>`). */
export const candidateItems = (items: readonly TableItem[], candidateId: string) =>
  items.filter((item) => item.pk === `CAND#${candidateId}`);

/** The state a candidate item holds in its `data` attribute. */
export const stateOfItem = (item: TableItem): CandidateState =>
  JSON.parse(String(item.data)) as CandidateState;

/** The `attemptId` registry entries among `items` of the attempts named. */
export const attemptItems = (items: readonly TableItem[], attemptIds: readonly string[]) => {
  const keys = new Set(attemptIds.map((attemptId) => `ATTEMPT#${attemptId}`));
  return items.filter((item) => keys.has(String(item.pk)));
};
