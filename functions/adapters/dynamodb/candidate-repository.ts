import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CandidateState } from '../../domain/candidate-state';
import type {
  CandidateRepository,
  DueEntry,
  VersionedCandidate,
} from '../../use-cases/ports/candidate-repository';
import { decodeCandidate, encodeCandidate } from './candidate-codec';
import { conditionally, type ItemReader, readMany } from './dynamo-requests';
import {
  addressKey,
  CANDIDATE_SK,
  candidateIdOfPk,
  candidateKey,
  duePk,
  dueSkUpTo,
} from './item-keys';
import { TABLE_DESIGN } from './table-design';

export interface DynamoCandidateRepositoryOptions {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly reader: ItemReader;
  /** Parallel Scan segments for operator listings. */
  readonly scanSegments?: number;
}

/**
 * Candidates as one item each on DynamoDB (see `table-design.ts`). `save` is one conditional
 * `PutItem` on the version; the due-index keys travel in the same item, so the index can never
 * disagree with the candidate.
 *
 * @example
 * const candidates = createDynamoCandidateRepository({ documentClient, tableName, reader });
 * const found = await candidates.load('cand-ana');
 */
export const createDynamoCandidateRepository = ({
  documentClient: db,
  tableName: TableName,
  reader,
  scanSegments = 4,
}: DynamoCandidateRepositoryOptions): CandidateRepository => {
  const { dueIndex, emailIndex, guardianEmailIndex } = TABLE_DESIGN;

  const load = async (candidateId: string): Promise<VersionedCandidate | undefined> => {
    const item = await reader.get(candidateKey(candidateId));
    return item ? decodeCandidate(item) : undefined;
  };

  const loadMany = (candidateIds: readonly string[]) =>
    readMany(reader, candidateIds, candidateKey, decodeCandidate);

  const save = async (
    state: CandidateState,
    expectedVersion: number,
    dueAt: string | undefined,
  ): Promise<number | undefined> => {
    const version = expectedVersion + 1;
    const written = await conditionally(() =>
      db.send(
        new PutCommand({
          TableName,
          Item: encodeCandidate(state, version, dueAt),
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        }),
      ),
    );
    return written ? version : undefined;
  };

  async function* queryDue(shard: number, upTo: string): AsyncIterable<readonly DueEntry[]> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName,
          IndexName: dueIndex.indexName,
          KeyConditionExpression: '#pk = :pk AND #sk <= :upTo',
          ExpressionAttributeNames: { '#pk': dueIndex.partitionKey, '#sk': dueIndex.sortKey },
          ExpressionAttributeValues: { ':pk': duePk(shard), ':upTo': dueSkUpTo(upTo) },
          ExclusiveStartKey,
        }),
      );
      yield (page.Items ?? []).map((item) => {
        const sortKey = String(item[dueIndex.sortKey]);
        return {
          candidateId: candidateIdOfPk(String(item.pk)),
          dueAt: sortKey.slice(0, sortKey.indexOf('#')),
        };
      });
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }

  /** The candidate ids of one address index's entries for `key`, every page. */
  const queryAddressIndex = async (
    index: typeof emailIndex | typeof guardianEmailIndex,
    key: string,
  ): Promise<string[]> => {
    const ids: string[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName,
          IndexName: index.indexName,
          KeyConditionExpression: '#key = :key',
          ExpressionAttributeNames: { '#key': index.partitionKey },
          ExpressionAttributeValues: { ':key': key },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) ids.push(candidateIdOfPk(String(item.pk)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return ids;
  };

  const candidatesUsingAddress = async (address: string): Promise<string[]> => {
    const key = addressKey(address);
    const found = await Promise.all(
      [emailIndex, guardianEmailIndex].map((index) => queryAddressIndex(index, key)),
    );
    return [...new Set(found.flat())].sort();
  };

  async function* scanSegment(
    segment: number,
    total: number,
  ): AsyncGenerator<VersionedCandidate[]> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new ScanCommand({
          TableName,
          Segment: segment,
          TotalSegments: total,
          FilterExpression: 'sk = :sk',
          ExpressionAttributeValues: { ':sk': CANDIDATE_SK },
          ExclusiveStartKey,
        }),
      );
      yield (page.Items ?? []).map(decodeCandidate);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }

  /** A parallel Scan: each segment read page by page, pages handed on as they come. */
  async function* scanCandidates(
    segments = scanSegments,
  ): AsyncIterable<readonly VersionedCandidate[]> {
    const readers = Array.from({ length: segments }, (_, segment) =>
      scanSegment(segment, segments),
    );
    const pending = new Map(
      readers.map((reader, index) => [index, reader.next().then((page) => ({ index, page }))]),
    );
    while (pending.size > 0) {
      const { index, page } = await Promise.race(pending.values());
      if (page.done) {
        pending.delete(index);
        continue;
      }
      const reader = readers[index] as AsyncGenerator<VersionedCandidate[]>;
      pending.set(
        index,
        reader.next().then((next) => ({ index, page: next })),
      );
      yield page.value;
    }
  }

  return { load, loadMany, save, queryDue, candidatesUsingAddress, scanCandidates };
};
