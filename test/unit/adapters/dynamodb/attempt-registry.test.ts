import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDynamoAttemptRegistry } from '../../../../functions/adapters/dynamodb/attempt-registry';
import { createItemReader } from '../../../../functions/adapters/dynamodb/dynamo-requests';
import type { AttemptRegistry } from '../../../../functions/use-cases/ports';
import { conditionFailed, mockedDocumentClient, TABLE, throttled } from '../../support/dynamo-mock';

/** The `attemptId` registry on a stubbed DynamoDB: the requests it sends and what it makes of the answers. */

const EMITTED_AT = Date.parse('2027-01-10T09:01:00Z');
const FIRST_EMITTED_AT = Date.parse('2027-01-10T09:00:00Z');
const KEY = { pk: 'ATTEMPT#a-1', sk: 'ATTEMPT' };

const entries = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    attemptId: `a-${index}`,
    hash: `hash-${index}`,
    emittedAt: EMITTED_AT + index,
  }));

const batchSizes = (stub: ReturnType<typeof mockedDocumentClient>['dynamo']) =>
  stub
    .commandCalls(BatchWriteCommand)
    .map((call) => call.args[0].input.RequestItems?.[TABLE]?.length);

let stub: ReturnType<typeof mockedDocumentClient>['dynamo'];
let attempts: AttemptRegistry;

beforeEach(() => {
  const { documentClient, dynamo } = mockedDocumentClient();
  stub = dynamo;
  attempts = createDynamoAttemptRegistry({
    documentClient,
    tableName: TABLE,
    reader: createItemReader(documentClient, TABLE),
  });
});

describe('register', () => {
  it('registers a new attempt id with a PutItem conditioned on no entry existing', async () => {
    // Prepare
    stub.on(PutCommand).resolves({});

    // Act
    const registration = await attempts.register('a-1', 'hash-1', EMITTED_AT);

    // Assess
    expect(registration).toEqual({ outcome: 'new', firstEmittedAt: EMITTED_AT });
    expect(stub.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: { ...KEY, hash: 'hash-1', emittedAt: EMITTED_AT },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('calls a known id with the same content hash a duplicate, dated by its first event', async () => {
    // Prepare
    stub.on(PutCommand).rejects(conditionFailed());
    stub.on(GetCommand).resolves({ Item: { ...KEY, hash: 'hash-1', emittedAt: FIRST_EMITTED_AT } });

    // Act
    const registration = await attempts.register('a-1', 'hash-1', EMITTED_AT);

    // Assess
    expect(registration).toEqual({ outcome: 'duplicate', firstEmittedAt: FIRST_EMITTED_AT });
  });

  it('calls a known id with another content hash a conflict', async () => {
    // Prepare
    stub.on(PutCommand).rejects(conditionFailed());
    stub.on(GetCommand).resolves({ Item: { ...KEY, hash: 'hash-0', emittedAt: FIRST_EMITTED_AT } });

    // Act
    const registration = await attempts.register('a-1', 'hash-1', EMITTED_AT);

    // Assess
    expect(registration).toEqual({ outcome: 'conflict', firstEmittedAt: FIRST_EMITTED_AT });
  });

  it('reads the known entry with a consistent GetItem', async () => {
    // Prepare
    stub.on(PutCommand).rejects(conditionFailed());
    stub.on(GetCommand).resolves({ Item: { ...KEY, hash: 'hash-1', emittedAt: FIRST_EMITTED_AT } });

    // Act
    await attempts.register('a-1', 'hash-1', EMITTED_AT);

    // Assess
    expect(stub.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: KEY,
      ConsistentRead: true,
    });
  });

  it('registers again an entry deleted between the write and the read (an erasure)', async () => {
    // Prepare
    stub.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    stub.on(GetCommand).resolves({});

    // Act
    const registration = await attempts.register('a-1', 'hash-1', EMITTED_AT);

    // Assess
    expect(registration).toEqual({ outcome: 'new', firstEmittedAt: EMITTED_AT });
    expect(stub.commandCalls(PutCommand)).toHaveLength(2);
  });

  it('lets any other failure of the write reach the caller, reading nothing', async () => {
    // Prepare
    stub.on(PutCommand).rejects(throttled());

    // Act
    const registering = attempts.register('a-1', 'hash-1', EMITTED_AT);

    // Assess
    await expect(registering).rejects.toThrow(/provisioned throughput/);
    expect(stub.commandCalls(GetCommand)).toHaveLength(0);
  });
});

describe('lookup', () => {
  it('reads the entries of several ids with one consistent BatchGetItem', async () => {
    // Prepare
    stub.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });

    // Act
    await attempts.lookup(['a-1', 'a-2']);

    // Assess
    expect(stub.commandCalls(BatchGetCommand)[0]?.args[0].input).toEqual({
      RequestItems: {
        [TABLE]: {
          Keys: [KEY, { pk: 'ATTEMPT#a-2', sk: 'ATTEMPT' }],
          ConsistentRead: true,
        },
      },
    });
  });

  it('answers the entries that exist by id, and nothing for the others', async () => {
    // Prepare
    stub.on(BatchGetCommand).resolves({
      Responses: {
        [TABLE]: [{ pk: 'ATTEMPT#a-2', sk: 'ATTEMPT', hash: 'hash-2', emittedAt: EMITTED_AT }],
      },
    });

    // Act
    const found = await attempts.lookup(['a-1', 'a-2']);

    // Assess
    expect([...found.entries()]).toEqual([['a-2', { hash: 'hash-2', emittedAt: EMITTED_AT }]]);
  });
});

describe('putMany', () => {
  it('writes the entries unconditionally with BatchWriteItem, 25 at a time', async () => {
    // Prepare
    stub.on(BatchWriteCommand).resolves({});

    // Act
    await attempts.putMany(entries(60));

    // Assess
    expect(batchSizes(stub)).toEqual([25, 25, 10]);
  });

  it('writes each entry as its key, its content hash and when its first event was emitted', async () => {
    // Prepare
    stub.on(BatchWriteCommand).resolves({});

    // Act
    await attempts.putMany(entries(1));

    // Assess
    expect(stub.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems).toEqual({
      [TABLE]: [
        {
          PutRequest: {
            Item: { pk: 'ATTEMPT#a-0', sk: 'ATTEMPT', hash: 'hash-0', emittedAt: EMITTED_AT },
          },
        },
      ],
    });
  });

  it('sends nothing when there is nothing to write', async () => {
    // Act
    await attempts.putMany([]);

    // Assess
    expect(stub.calls()).toHaveLength(0);
  });
});

describe('forget', () => {
  it('deletes the entries with BatchWriteItem, 25 at a time', async () => {
    // Prepare
    stub.on(BatchWriteCommand).resolves({});

    // Act
    await attempts.forget(entries(30).map(({ attemptId }) => attemptId));

    // Assess
    expect(batchSizes(stub)).toEqual([25, 5]);
  });

  it('deletes an id given twice once', async () => {
    // Prepare
    stub.on(BatchWriteCommand).resolves({});

    // Act
    await attempts.forget(['a-1', 'a-1']);

    // Assess
    expect(stub.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems).toEqual({
      [TABLE]: [{ DeleteRequest: { Key: KEY } }],
    });
  });
});
