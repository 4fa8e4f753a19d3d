import { expect } from 'vitest';
import { shardOf } from '../../../functions/adapters/dynamodb/item-keys';
import { deriveReminders } from '../../../functions/domain/reminder-rules';
import type { DueEntry } from '../../../functions/use-cases/ports';
import type { TestApp } from '../support/harness';
import {
  attemptItems,
  candidateItems,
  scanTable,
  stateOfItem,
  type TableItem,
} from '../support/table';

/**
 * What the ingest tests expect of the table itself: one item per candidate, filed once in the due
 * index under its earliest pending due instant; an erased person leaves only a tombstone, a merged
 * account only an alias. (Not a test file itself.)
 */

const byKey = (a: { key: string }, b: { key: string }) =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/** The attributes of a candidate item that is out of the due index and the address indexes. */
const UNINDEXED_ATTRIBUTES = ['data', 'pk', 'sk', 'version'];

/** The address-index keys a candidate item may carry besides (hashes of its addresses). */
const ADDRESS_ATTRIBUTES = ['emailKey', 'guardianKey'];

/** The instant one second before an ISO instant, written like the due instants (no fraction). */
const secondBefore = (instant: string) =>
  new Date(Date.parse(instant) - 1000).toISOString().replace('.000Z', 'Z');

/** A candidate's entries in the due index at or before `upTo`, read through the index itself. */
export const dueEntriesOf = async (
  testApp: TestApp,
  candidateId: string,
  upTo: string,
): Promise<DueEntry[]> => {
  const found: DueEntry[] = [];
  for await (const page of testApp.app.stores.candidates.queryDue(shardOf(candidateId), upTo))
    found.push(...page.filter((entry) => entry.candidateId === candidateId));
  return found;
};

/**
 * The pending reminders of a candidate are exactly those the rules derive from the stored attempts
 * and zone (so none was emailed, skipped or claimed), and the candidate's one item is filed in the
 * due index under the earliest of them: `duePk` = `DUE#<shard>`, `dueSk` = `<dueAt>#<id>`, found
 * by a query of the index up to that instant and not by one up to a second before. A candidate
 * with nothing pending is out of the index.
 *
 * @returns the derived reminders, sorted by key.
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
  const pending = record.reminders
    .filter((reminder) => reminder.status === 'pending')
    .map((reminder) => ({ key: reminder.key, dueOn: reminder.dueOn, dueAt: reminder.dueAt }))
    .sort(byKey);
  expect(pending).toEqual(derived);

  const stored = candidateItems(items, candidateId);
  if (record.version === 0) {
    expect(stored).toEqual([]);
    expect(derived).toEqual([]);
    return derived;
  }
  expect(stored.map((item) => item.sk)).toEqual(['CANDIDATE']);
  const item = stored[0] as TableItem;
  expect(item.version).toBe(record.version);
  expect(stateOfItem(item).candidateId).toBe(candidateId);
  const earliest = derived.map((reminder) => reminder.dueAt).sort()[0];
  if (earliest === undefined) {
    expect(
      Object.keys(item)
        .filter((attribute) => !ADDRESS_ATTRIBUTES.includes(attribute))
        .sort(),
    ).toEqual(UNINDEXED_ATTRIBUTES);
    expect(await dueEntriesOf(testApp, candidateId, '9999-12-31T23:59:59Z')).toEqual([]);
    return derived;
  }
  expect(item.duePk).toBe(`DUE#${shardOf(candidateId)}`);
  expect(item.dueSk).toBe(`${earliest}#${candidateId}`);
  expect(await dueEntriesOf(testApp, candidateId, earliest)).toEqual([
    { candidateId, dueAt: earliest },
  ]);
  expect(await dueEntriesOf(testApp, candidateId, secondBefore(earliest))).toEqual([]);
  return derived;
};

/** The one item of a candidate, which holds nothing but its keys, version and `data`. */
const onlyUnindexedItem = (items: readonly TableItem[], candidateId: string) => {
  const stored = candidateItems(items, candidateId);
  expect(stored.map((item) => item.sk)).toEqual(['CANDIDATE']);
  const item = stored[0] as TableItem;
  expect(Object.keys(item).sort()).toEqual(UNINDEXED_ATTRIBUTES);
  return item;
};

/**
 * After an erasure, all the table holds of the person is the tombstone item: `erasedAt` (and where
 * an erased alias led), no profile, attempts, ledger or claims, out of the due index; and none of
 * the `attemptId` registry entries of their attempts is left.
 */
export const expectTombstone = (
  items: readonly TableItem[],
  candidateId: string,
  options: { readonly attemptIds: readonly string[]; readonly mergedInto?: string },
) => {
  const item = onlyUnindexedItem(items, candidateId);
  expect(stateOfItem(item)).toEqual({
    candidateId,
    credentials: {},
    ledger: {},
    claims: {},
    erasedAt: expect.any(String),
    ...(options.mergedInto === undefined ? {} : { mergedInto: options.mergedInto }),
  });
  expect(attemptItems(items, options.attemptIds)).toEqual([]);
};

/**
 * After a merge, the source is an alias of the target and holds nothing else (no profile,
 * attempts, ledger or claims), out of the due index; the target lists it among its aliases.
 */
export const expectAlias = (items: readonly TableItem[], from: string, to: string) => {
  const item = onlyUnindexedItem(items, from);
  expect(stateOfItem(item)).toEqual({
    candidateId: from,
    credentials: {},
    ledger: {},
    claims: {},
    mergedInto: to,
  });
  const [target] = candidateItems(items, to);
  expect(target, `the target ${to} is stored`).toBeDefined();
  expect(stateOfItem(target as TableItem).aliases).toContain(from);
};
