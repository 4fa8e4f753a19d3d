import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { TABLE_DESIGN } from '../../functions/adapters/dynamodb/table-design';
import type { ReminderFunction } from './reminder-function';

/**
 * The item actions a function may be given on the table: the ones the repositories call. Scan,
 * Query on the table, UpdateItem, DeleteItem and the transactions are left out on purpose.
 */
export type ItemAction = 'GetItem' | 'BatchGetItem' | 'PutItem' | 'BatchWriteItem';

/**
 * The partition keys (`pk`) of each kind of item of the table design, as patterns of
 * `dynamodb:LeadingKeys`. The local stack's `LOCAL#SECRETS` has none: no function can reach it.
 */
export const LEADING_KEYS = {
  candidates: 'CAND#*',
  attempts: 'ATTEMPT#*',
  webhooks: 'WEBHOOK#*',
  suppressions: 'SUPPRESS#*',
  runs: 'RUN#*',
} as const;

export type LeadingKey = (typeof LEADING_KEYS)[keyof typeof LEADING_KEYS];

/** The partition keys of the due index (`duePk`, one per shard), as a `dynamodb:LeadingKeys` pattern. */
export const DUE_INDEX_LEADING_KEY = 'DUE#*';

/** The partition keys of the address indexes (`EMAIL#<hash>`), as a `dynamodb:LeadingKeys` pattern. */
export const ADDRESS_INDEX_LEADING_KEY = 'EMAIL#*';

/**
 * Grants on the product's table, each limited to the items whose partition key matches the
 * given patterns: a `ForAllValues:StringLike` condition on `dynamodb:LeadingKeys`, which holds
 * every partition key of the request (all the keys of a `BatchGetItem` or `BatchWriteItem`).
 *
 * As a batch may mix kinds of items (the reads of one tick are coalesced into one
 * `BatchGetItem`), the patterns of one call must cover every kind the function reads or writes
 * together: one statement per call, never one per pattern.
 *
 * @example
 * const table = new TableAccess(this, tableName);
 * table.allowItems(sesEvents, ['PutItem'], [LEADING_KEYS.suppressions]);
 * table.allowDueIndexQuery(planner);
 * table.allowAddressIndexQuery(sesEvents);
 */
export class TableAccess {
  public readonly tableArn: string;
  public readonly dueIndexArn: string;
  /** The `by-email` and `by-guardian-email` indexes. */
  public readonly addressIndexArns: readonly string[];

  public constructor(scope: Construct, tableName: string) {
    this.tableArn = Stack.of(scope).formatArn({
      service: 'dynamodb',
      resource: 'table',
      resourceName: tableName,
    });
    this.dueIndexArn = `${this.tableArn}/index/${TABLE_DESIGN.dueIndex.indexName}`;
    this.addressIndexArns = [TABLE_DESIGN.emailIndex, TABLE_DESIGN.guardianEmailIndex].map(
      (index) => `${this.tableArn}/index/${index.indexName}`,
    );
  }

  /** Lets `fn` perform `actions` on the table's items whose partition key matches `leadingKeys`. */
  public allowItems(
    fn: ReminderFunction,
    actions: readonly ItemAction[],
    leadingKeys: readonly LeadingKey[],
  ): void {
    fn.allow(
      actions.map((action) => `dynamodb:${action}`),
      [this.tableArn],
      leadingKeysCondition(leadingKeys),
    );
  }

  /** Lets `fn` Query the due index (its keys only: the index projects nothing else), shard by shard. */
  public allowDueIndexQuery(fn: ReminderFunction): void {
    fn.allow(['dynamodb:Query'], [this.dueIndexArn], leadingKeysCondition([DUE_INDEX_LEADING_KEY]));
  }

  /**
   * Lets `fn` Query the address indexes by the hash of an address (their keys only: the candidate
   * ids), to find every candidate using it.
   */
  public allowAddressIndexQuery(fn: ReminderFunction): void {
    fn.allow(
      ['dynamodb:Query'],
      [...this.addressIndexArns],
      leadingKeysCondition([ADDRESS_INDEX_LEADING_KEY]),
    );
  }
}

const leadingKeysCondition = (patterns: readonly string[]) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] },
});
