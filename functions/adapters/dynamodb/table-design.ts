/**
 * The single-table design, defined once and used by the repositories, the local stack (which
 * creates the table in the emulator) and the CDK stateful stack.
 *
 * Items (all keyed by `pk` / `sk`):
 *
 * | item                | pk                      | sk          | holds                                   |
 * |---------------------|-------------------------|-------------|-----------------------------------------|
 * | candidate           | `CAND#<id>`             | `CANDIDATE` | the whole candidate (`data`), `version` |
 * | attempt registry    | `ATTEMPT#<attemptId>`   | `ATTEMPT`   | hash of the attempt's content           |
 * | webhook-id memory   | `WEBHOOK#<id>`          | `WEBHOOK`   | `expiresAt` (TTL)                       |
 * | suppression         | `SUPPRESS#<sha256>`     | `SUPPRESS`  | reason, when (no address)               |
 * | run                 | `RUN#<run instant>`     | `RUN`       | the run's summary                       |
 * | local secrets       | `LOCAL#SECRETS`         | `LOCAL#SECRETS` | the local stack's secrets (never on AWS) |
 *
 * A candidate is one item: a change of a candidate is one conditional write of it (see
 * `candidate-repository.ts`). Global items exist only where uniqueness is global.
 *
 * The due index is a sharded priority queue: a candidate with a reminder not yet dealt with
 * carries `duePk` = `DUE#<shard>` and `dueSk` = `<earliest such due instant>#<candidateId>`; one
 * entry per candidate, absent when there is nothing to send. A run reads, for each shard, the
 * entries due by its instant: its reads grow with the candidates due, not with the table, and no
 * reminder can fall outside a window of dates.
 *
 * The address indexes find every candidate using an address (a bounce or a complaint names them
 * all, SPEC §8) without keeping the address (SPEC §11): a candidate with a profile email carries
 * `emailKey` = `EMAIL#<sha256 of the lowercased address>` (the hash of the suppression list), and
 * one with a guardian email `guardianKey`, built the same way. Two sparse keys-only indexes, one
 * per attribute, as one item has one value per attribute: `by-email` and `by-guardian-email`.
 * Aliases, tombstones and candidates without an address carry neither, so they are in neither.
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
    /** Keys only: the candidate id is in `pk`; nothing personal is projected. */
    projection: 'KEYS_ONLY',
  },
  /** Every candidate whose profile email is an address: sparse, keys only (the id is in `pk`). */
  emailIndex: {
    indexName: 'by-email',
    partitionKey: 'emailKey',
    projection: 'KEYS_ONLY',
  },
  /** Every candidate whose guardian email is an address: sparse, keys only. */
  guardianEmailIndex: {
    indexName: 'by-guardian-email',
    partitionKey: 'guardianKey',
    projection: 'KEYS_ONLY',
  },
  /** Shards of the due index, to spread a busy day's candidates over partitions. */
  dueShards: 16,
} as const;

export type TableDesign = typeof TABLE_DESIGN;
