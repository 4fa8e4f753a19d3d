import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
} from '@aws-sdk/lib-dynamodb';

/**
 * Request helpers shared by the repositories: failed conditions as `false`, batch writes and
 * reads that finish their unprocessed parts, and a reader that coalesces the item reads of one
 * tick into one `BatchGetItem`.
 */

export type Item = Record<string, unknown>;
export type Key = { readonly pk: string; readonly sk: string };

export const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';

/** Runs `write`, treating a failed condition as `false` rather than an error. */
export const conditionally = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

const BATCH_WRITE_SIZE = 25;
const BATCH_GET_SIZE = 100;
const MAX_UNPROCESSED_ROUNDS = 12;
/** Batch requests one large read or write keeps in flight. */
const BATCH_CONCURRENCY = 8;

const backoff = (round: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(1000, 10 * 2 ** round)));

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };

/** Runs `work` over `items` with at most `limit` in flight. */
const eachBounded = async <T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
) => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};

/** Writes one batch of at most 25 requests, retrying what DynamoDB left unprocessed. */
const writeBatch = async (db: DynamoDBDocumentClient, tableName: string, batch: WriteRequest[]) => {
  let pending = batch;
  for (let round = 0; pending.length > 0; round += 1) {
    if (round >= MAX_UNPROCESSED_ROUNDS) throw new Error('DynamoDB kept items unprocessed');
    if (round > 0) await backoff(round);
    const result = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
  }
};

/** Writes `requests` (unconditional) in batches of 25, a few batches at a time. */
export const batchWrite = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
): Promise<void> => {
  const batches: WriteRequest[][] = [];
  for (let start = 0; start < requests.length; start += BATCH_WRITE_SIZE)
    batches.push(requests.slice(start, start + BATCH_WRITE_SIZE) as WriteRequest[]);
  await eachBounded(batches, BATCH_CONCURRENCY, (batch) => writeBatch(db, tableName, batch));
};

/** Reads up to 100 keys with one `BatchGetItem` (consistent), finishing unprocessed keys. */
const batchGet = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
): Promise<Item[]> => {
  const items: Item[] = [];
  let pending = [...keys];
  for (let round = 0; pending.length > 0; round += 1) {
    if (round >= MAX_UNPROCESSED_ROUNDS) throw new Error('DynamoDB kept keys unprocessed');
    if (round > 0) await backoff(round);
    const result = await db.send(
      new BatchGetCommand({
        RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } },
      }),
    );
    items.push(...((result.Responses?.[tableName] ?? []) as Item[]));
    pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
  }
  return items;
};

const keyText = (key: Key) => `${key.pk}\u0000${key.sk}`;

/** Reads items by key, with consistent reads. */
export interface ItemReader {
  get(key: Key): Promise<Item | undefined>;
  getMany(keys: readonly Key[]): Promise<Map<string, Item>>;
}

/**
 * Reads the items of several ids with one reader (batched) and decodes those that exist.
 *
 * @example
 * const found = await readMany(reader, ['a-1', 'a-2'], attemptKey, entryOf); // Map of the ids found
 */
export const readMany = async <Value>(
  reader: ItemReader,
  ids: readonly string[],
  keyOf: (id: string) => Key,
  decode: (item: Item) => Value,
): Promise<Map<string, Value>> => {
  const keys = ids.map(keyOf);
  const items = await reader.getMany(keys);
  const found = new Map<string, Value>();
  ids.forEach((id, index) => {
    const item = items.get(keyText(keys[index] as Key));
    if (item) found.set(id, decode(item));
  });
  return found;
};

/**
 * A reader that gathers the `get`s made in the same tick and sends them as one request: a single
 * key as `GetItem`, several as `BatchGetItem` (100 at a time). A use case that asks for a
 * candidate and a webhook id at once, or for an address and a guardian's, pays one request.
 *
 * @example
 * const reader = createItemReader(db, 'cert-reminders');
 * const [candidate, webhook] = await Promise.all([reader.get(a), reader.get(b)]); // one request
 */
export const createItemReader = (db: DynamoDBDocumentClient, tableName: string): ItemReader => {
  let queued: Array<{ key: Key; resolve: (item?: Item) => void; reject: (e: unknown) => void }> =
    [];

  const flush = async () => {
    const batch = queued;
    queued = [];
    const unique = new Map<string, Key>();
    for (const { key } of batch) unique.set(keyText(key), key);
    try {
      const found = new Map<string, Item>();
      const keys = [...unique.values()];
      if (keys.length === 1) {
        const [only] = keys as [Key];
        const result = await db.send(
          new GetCommand({ TableName: tableName, Key: only, ConsistentRead: true }),
        );
        if (result.Item) found.set(keyText(only), result.Item as Item);
      } else {
        const pages: Key[][] = [];
        for (let start = 0; start < keys.length; start += BATCH_GET_SIZE)
          pages.push(keys.slice(start, start + BATCH_GET_SIZE));
        // A large read (an import window) goes a few pages at a time, not all at once.
        await eachBounded(pages, BATCH_CONCURRENCY, async (page) => {
          for (const item of await batchGet(db, tableName, page))
            found.set(keyText({ pk: String(item.pk), sk: String(item.sk) }), item);
        });
      }
      for (const { key, resolve } of batch) resolve(found.get(keyText(key)));
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
  };

  const get = (key: Key) =>
    new Promise<Item | undefined>((resolve, reject) => {
      if (queued.length === 0) setImmediate(() => void flush());
      queued.push({ key, resolve, reject });
    });

  const getMany = async (keys: readonly Key[]) => {
    const items = await Promise.all(keys.map(get));
    const found = new Map<string, Item>();
    keys.forEach((key, index) => {
      const item = items[index];
      if (item) found.set(keyText(key), item);
    });
    return found;
  };

  return { get, getMany };
};
