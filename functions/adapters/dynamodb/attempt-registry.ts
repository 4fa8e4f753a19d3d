import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type {
  AttemptRegistration,
  AttemptRegistry,
  RegisteredAttempt,
} from '../../use-cases/ports/attempt-registry';
import { batchWrite, conditionally, type ItemReader, readMany } from './dynamo-requests';
import { attemptKey } from './item-keys';

/**
 * The `attemptId` registry on DynamoDB: one item per attempt id holding the hash of its content
 * and when its first event was emitted; nothing personal (SPEC §11).
 */
export const createDynamoAttemptRegistry = (options: {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly reader: ItemReader;
}): AttemptRegistry => {
  const { documentClient: db, tableName: TableName, reader } = options;
  const entryOf = (item: Record<string, unknown>): RegisteredAttempt => ({
    hash: String(item.hash),
    emittedAt: Number(item.emittedAt ?? 0),
  });

  const register = async (
    attemptId: string,
    hash: string,
    emittedAt: number,
  ): Promise<AttemptRegistration> => {
    const created = await conditionally(() =>
      db.send(
        new PutCommand({
          TableName,
          Item: { ...attemptKey(attemptId), hash, emittedAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (created) return { outcome: 'new', firstEmittedAt: emittedAt };
    const existing = await reader.get(attemptKey(attemptId));
    // Deleted between the two requests (an erasure): it is new again.
    if (existing === undefined) return register(attemptId, hash, emittedAt);
    const entry = entryOf(existing);
    return {
      outcome: entry.hash === hash ? 'duplicate' : 'conflict',
      firstEmittedAt: entry.emittedAt,
    };
  };

  const lookup = (attemptIds: readonly string[]) =>
    readMany(reader, attemptIds, attemptKey, entryOf);

  return {
    register,
    lookup,
    putMany: (entries) =>
      batchWrite(
        db,
        TableName,
        entries.map(({ attemptId, hash, emittedAt }) => ({
          PutRequest: { Item: { ...attemptKey(attemptId), hash, emittedAt } },
        })),
      ),
    forget: (attemptIds) =>
      batchWrite(
        db,
        TableName,
        [...new Set(attemptIds)].map((attemptId) => ({
          DeleteRequest: { Key: attemptKey(attemptId) },
        })),
      ),
  };
};
