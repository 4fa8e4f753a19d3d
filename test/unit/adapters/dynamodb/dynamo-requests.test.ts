import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  batchWrite,
  conditionally,
  createItemReader,
  type Key,
  readMany,
} from '../../../../functions/adapters/dynamodb/dynamo-requests';
import { conditionFailed, mockedDocumentClient, TABLE, throttled } from '../../support/dynamo-mock';

/** The request helpers the repositories share, on a stubbed DynamoDB. */

const keyOf = (id: string): Key => ({ pk: `ITEM#${id}`, sk: 'ITEM' });
const itemOf = (id: string) => ({ ...keyOf(id), value: id });
const ids = (count: number) => Array.from({ length: count }, (_, index) => `i-${index}`);

/** The keys a BatchGetItem asked for. */
const keysOfBatchGet = (input: { RequestItems?: Record<string, { Keys?: unknown[] }> }) =>
  (input.RequestItems?.[TABLE]?.Keys ?? []) as Key[];

/** A BatchGetItem stub that finds every key it is asked for. */
const findingEverything = (input: { RequestItems?: Record<string, { Keys?: unknown[] }> }) => ({
  Responses: { [TABLE]: keysOfBatchGet(input).map((key) => ({ ...key, value: key.pk.slice(5) })) },
});

afterEach(() => {
  vi.useRealTimers();
});

describe('conditionally', () => {
  it('is true when the write succeeds', async () => {
    // Act
    const written = await conditionally(async () => ({}));

    // Assess
    expect(written).toBe(true);
  });

  it('is false when the condition of the write fails', async () => {
    // Act
    const written = await conditionally(async () => {
      throw conditionFailed();
    });

    // Assess
    expect(written).toBe(false);
  });

  it('knows a failed condition by its name, from another copy of the SDK', async () => {
    // Prepare
    const foreign = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
    });

    // Act
    const written = await conditionally(async () => {
      throw foreign;
    });

    // Assess
    expect(foreign).not.toBeInstanceOf(ConditionalCheckFailedException);
    expect(written).toBe(false);
  });

  it('lets any other failure through', async () => {
    // Act
    const writing = conditionally(async () => {
      throw throttled();
    });

    // Assess
    await expect(writing).rejects.toThrow(/provisioned throughput/);
  });
});

describe('batchWrite', () => {
  type Put = { PutRequest: { Item: Record<string, unknown> } };
  const puts = (count: number): Put[] =>
    ids(count).map((id) => ({ PutRequest: { Item: itemOf(id) } }));

  it('writes in batches of at most 25 requests', async () => {
    // Prepare
    const { documentClient, dynamo } = mockedDocumentClient();
    dynamo.on(BatchWriteCommand).resolves({});

    // Act
    await batchWrite(documentClient, TABLE, puts(51));

    // Assess
    const sizes = dynamo
      .commandCalls(BatchWriteCommand)
      .map((call) => call.args[0].input.RequestItems?.[TABLE]?.length);
    expect(sizes).toEqual([25, 25, 1]);
  });

  it('sends again, alone, the requests DynamoDB left unprocessed', async () => {
    // Prepare
    const { documentClient, dynamo } = mockedDocumentClient();
    const [first, second, third] = puts(3) as [Put, Put, Put];
    dynamo
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { [TABLE]: [second, third] } })
      .resolvesOnce({ UnprocessedItems: { [TABLE]: [third] } })
      .resolves({});

    // Act
    await batchWrite(documentClient, TABLE, [first, second, third]);

    // Assess
    const sent = dynamo
      .commandCalls(BatchWriteCommand)
      .map((call) => call.args[0].input.RequestItems?.[TABLE]);
    expect(sent).toEqual([[first, second, third], [second, third], [third]]);
  });

  it('gives up loudly when DynamoDB keeps leaving requests unprocessed', async () => {
    // Prepare
    vi.useFakeTimers();
    const { documentClient, dynamo } = mockedDocumentClient();
    const requests = puts(2);
    dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: { [TABLE]: requests } });

    // Act
    const writing = batchWrite(documentClient, TABLE, requests);
    const outcome = expect(writing).rejects.toThrow('DynamoDB kept items unprocessed');
    await vi.runAllTimersAsync();

    // Assess
    await outcome;
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(12);
  });

  it('sends nothing for no requests', async () => {
    // Prepare
    const { documentClient, dynamo } = mockedDocumentClient();

    // Act
    await batchWrite(documentClient, TABLE, []);

    // Assess
    expect(dynamo.calls()).toHaveLength(0);
  });
});

describe('the item reader', () => {
  it('reads the gets of one tick with one consistent BatchGetItem', async () => {
    // Prepare
    const { documentClient, dynamo } = mockedDocumentClient();
    dynamo.on(BatchGetCommand).callsFake(findingEverything);
    const reader = createItemReader(documentClient, TABLE);

    // Act
    await Promise.all([reader.get(keyOf('a')), reader.get(keyOf('b')), reader.get(keyOf('c'))]);

    // Assess
    const calls = dynamo.commandCalls(BatchGetCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      RequestItems: {
        [TABLE]: { Keys: [keyOf('a'), keyOf('b'), keyOf('c')], ConsistentRead: true },
      },
    });
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('gives every waiter its own item, and nothing to one whose item does not exist', async () => {
    // Prepare
    const { documentClient, dynamo } = mockedDocumentClient();
    dynamo.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [itemOf('b'), itemOf('a')] } });
    const reader = createItemReader(documentClient, TABLE);

    // Act
    const found = await Promise.all(['a', 'missing', 'b'].map((id) => reader.get(keyOf(id))));

    // Assess
    expect(found).toEqual([itemOf('a'), undefined, itemOf('b')]);
  });

  it('reads a single key with a consistent GetItem', async () => {
    // Prepare
    const { documentClient, dynamo } = mockedDocumentClient();
    dynamo.on(GetCommand).resolves({ Item: itemOf('a') });
    const reader = createItemReader(documentClient, TABLE);

    // Act
    const item = await reader.get(keyOf('a'));

    // Assess
    expect(item).toEqual(itemOf('a'));
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: keyOf('a'),
      ConsistentRead: true,
    });
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('reads a key asked for twice in one tick once', async () => {
    // Prepare
    const { documentClient, dynamo } = mockedDocumentClient();
    dynamo.on(GetCommand).resolves({ Item: itemOf('a') });
    const reader = createItemReader(documentClient, TABLE);

    // Act
    const found = await Promise.all([reader.get(keyOf('a')), reader.get(keyOf('a'))]);

    // Assess
    expect(found).toEqual([itemOf('a'), itemOf('a')]);
    expect(dynamo.calls()).toHaveLength(1);
  });

  it('reads the gets of a later tick with a request of their own', async () => {
    // Prepare
    const { documentClient, dynamo } = mockedDocumentClient();
    dynamo.on(GetCommand).resolves({});
    const reader = createItemReader(documentClient, TABLE);

    // Act
    await reader.get(keyOf('a'));
    await reader.get(keyOf('b'));

    // Assess
    expect(dynamo.commandCalls(GetCommand).map((call) => call.args[0].input.Key)).toEqual([
      keyOf('a'),
      keyOf('b'),
    ]);
  });

  it('splits more than 100 keys into BatchGetItems of at most 100', async () => {
    // Prepare
    const { documentClient, dynamo } = mockedDocumentClient();
    dynamo.on(BatchGetCommand).callsFake(findingEverything);
    const reader = createItemReader(documentClient, TABLE);

    // Act
    const found = await reader.getMany(ids(250).map(keyOf));

    // Assess
    const sizes = dynamo
      .commandCalls(BatchGetCommand)
      .map((call) => keysOfBatchGet(call.args[0].input).length);
    expect(sizes).toEqual([100, 100, 50]);
    expect(found.size).toBe(250);
  });

  it('asks again, alone, for the keys DynamoDB left unprocessed', async () => {
    // Prepare
    const { documentClient, dynamo } = mockedDocumentClient();
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [itemOf('a')] },
        UnprocessedKeys: { [TABLE]: { Keys: [keyOf('b')] } },
      })
      .resolvesOnce({ Responses: { [TABLE]: [itemOf('b')] } });
    const reader = createItemReader(documentClient, TABLE);

    // Act
    const found = await Promise.all([reader.get(keyOf('a')), reader.get(keyOf('b'))]);

    // Assess
    expect(found).toEqual([itemOf('a'), itemOf('b')]);
    const asked = dynamo
      .commandCalls(BatchGetCommand)
      .map((call) => keysOfBatchGet(call.args[0].input));
    expect(asked).toEqual([[keyOf('a'), keyOf('b')], [keyOf('b')]]);
  });

  it('gives up loudly when DynamoDB keeps leaving keys unprocessed', async () => {
    // Prepare
    vi.useFakeTimers();
    const { documentClient, dynamo } = mockedDocumentClient();
    dynamo
      .on(BatchGetCommand)
      .resolves({ UnprocessedKeys: { [TABLE]: { Keys: [keyOf('a'), keyOf('b')] } } });
    const reader = createItemReader(documentClient, TABLE);

    // Act
    const reading = reader.getMany([keyOf('a'), keyOf('b')]);
    const outcome = expect(reading).rejects.toThrow('DynamoDB kept keys unprocessed');
    await vi.runAllTimersAsync();

    // Assess
    await outcome;
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(12);
  });

  it('fails every waiter of a request that fails', async () => {
    // Prepare
    const { documentClient, dynamo } = mockedDocumentClient();
    dynamo.on(BatchGetCommand).rejects(throttled());
    const reader = createItemReader(documentClient, TABLE);

    // Act
    const outcomes = await Promise.allSettled([reader.get(keyOf('a')), reader.get(keyOf('b'))]);

    // Assess
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    for (const outcome of outcomes)
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({
        name: 'ProvisionedThroughputExceededException',
      });
  });

  it('fails every waiter of a large read when one of its pages fails', async () => {
    // Prepare
    const { documentClient, dynamo } = mockedDocumentClient();
    dynamo
      .on(BatchGetCommand)
      .callsFakeOnce(findingEverything)
      .rejectsOnce(throttled())
      .callsFake(findingEverything);
    const reader = createItemReader(documentClient, TABLE);

    // Act
    const outcomes = await Promise.allSettled(ids(150).map((id) => reader.get(keyOf(id))));

    // Assess
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
  });
});

describe('readMany', () => {
  it('answers the decoded items of the ids found, by id, with one batched read', async () => {
    // Prepare
    const { documentClient, dynamo } = mockedDocumentClient();
    dynamo.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [itemOf('b')] } });
    const reader = createItemReader(documentClient, TABLE);

    // Act
    const found = await readMany(reader, ['a', 'b'], keyOf, (item) => String(item.value));

    // Assess
    expect([...found.entries()]).toEqual([['b', 'b']]);
    expect(dynamo.calls()).toHaveLength(1);
  });
});
