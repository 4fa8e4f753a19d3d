import type { TestApp } from '../../integration/support/harness';
import { scanTable, type TableItem } from '../../integration/support/table';

/** The table as a map from item key to its content, to tell exactly what a batch changed. */
export type TableState = ReadonlyMap<
  string,
  { readonly pk: string; readonly text: string; readonly item: TableItem }
>;

/** JSON with object keys sorted, so equal items always compare equal. */
export const stableJson = (value: unknown): string => {
  if (value instanceof Set) return stableJson([...value].sort());
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${stableJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
};

const keyOf = (item: TableItem) => `${String(item.pk)}\u0000${String(item.sk)}`;

export const readTable = async (
  testApp: Pick<TestApp, 'clients' | 'tableName'>,
): Promise<TableState> => {
  const items = await scanTable(testApp);
  return new Map(
    items.map((item) => [keyOf(item), { pk: String(item.pk), text: JSON.stringify(item), item }]),
  );
};

export interface TableChange {
  readonly pk: string;
  readonly change: 'added' | 'changed' | 'removed';
  /** The item after the change (before it, for a removal). */
  readonly text: string;
}

/** Every item added, changed or removed between two reads. */
export const diffTables = (before: TableState, after: TableState): TableChange[] => {
  const changes: TableChange[] = [];
  for (const [key, now] of after) {
    const was = before.get(key);
    if (was === undefined) changes.push({ pk: now.pk, change: 'added', text: now.text });
    // Plain JSON first (cheap); attribute order alone is no change.
    else if (was.text !== now.text && stableJson(was.item) !== stableJson(now.item))
      changes.push({ pk: now.pk, change: 'changed', text: now.text });
  }
  for (const [key, was] of before)
    if (!after.has(key)) changes.push({ pk: was.pk, change: 'removed', text: was.text });
  return changes;
};
