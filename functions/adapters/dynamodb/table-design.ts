/**
 * The single-table design, defined once and used by the repository, the local stack (which
 * creates the table in the emulator) and the CDK stateful stack.
 *
 * Items (all keyed by `pk` / `sk`):
 *
 * | item                | pk                  | sk                                  |
 * |---------------------|---------------------|-------------------------------------|
 * | candidate profile   | `CAND#<id>`         | `PROFILE`                           |
 * | erasure tombstone   | `CAND#<id>`         | `ERASED`                            |
 * | merge alias         | `CAND#<id>`         | `MERGED`                            |
 * | credential state    | `CAND#<id>`         | `STATE#<credentialId>`              |
 * | reminder / ledger   | `CAND#<id>`         | `REM#<credentialId>#<kind>#<anchor>[#<days>]` |
 * | attempt registry    | `ATTEMPT#<attemptId>` | `ATTEMPT`                         |
 * | webhook-id dedupe   | `WEBHOOK#<id>`      | `WEBHOOK`                           |
 * | run marker          | `RUN#<date>`        | `RUN`                               |
 *
 * The due index is sparse: only reminders not yet emailed or skipped carry its keys. Its
 * partition key is `DUE#<UTC date of the due instant>#<shard>` and its sort key
 * `<due instant>#<candidateId>#<reminder key>`, so a run reads, for each date it may need and
 * each shard, exactly the reminders due by its instant.
 */
export const TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds after which DynamoDB TTL may delete the item (webhook ids). */
  timeToLiveAttribute: 'expiresAt',
  dueIndex: {
    indexName: 'due-index',
    partitionKey: 'duePk',
    sortKey: 'dueSk',
    /** Attributes the index projects besides the keys: all a planner needs, nothing personal. */
    projectedAttributes: ['candidateId', 'credentialId', 'kind', 'dueOn', 'dueAt', 'reminderKey'],
  },
  /** Shards of each due date, to spread a busy day's reminders over partitions. */
  dueShards: 8,
} as const;

export type TableDesign = typeof TABLE_DESIGN;
