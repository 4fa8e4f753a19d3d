import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ensureTable } from '../../../../functions/adapters/dynamodb/create-table';
import { TABLE } from '../../support/dynamo-mock';

/** Creating the table and its indexes when missing, and adding missing indexes, on a stubbed DynamoDB. */

const INDEXES = ['due-index', 'by-email', 'by-guardian-email'];

const clientOnStub = () => {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return { client, dynamo: mockClient(client) };
};

const missing = () =>
  new ResourceNotFoundException({
    message: `Requested resource not found: Table: ${TABLE} not found`,
    $metadata: { httpStatusCode: 400 },
  });

const described = (
  tableStatus: TableDescription['TableStatus'],
  indexStatus: 'CREATING' | 'ACTIVE' = 'ACTIVE',
  indexes: readonly string[] = INDEXES,
) => ({
  Table: {
    TableName: TABLE,
    TableStatus: tableStatus,
    GlobalSecondaryIndexes: indexes.map((IndexName) => ({ IndexName, IndexStatus: indexStatus })),
  },
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ensureTable', () => {
  it('creates a missing table with its keys, the KEYS_ONLY due index and address indexes, billed per request', async () => {
    // Prepare
    const { client, dynamo } = clientOnStub();
    dynamo.on(DescribeTableCommand).rejectsOnce(missing()).resolves(described('ACTIVE'));
    dynamo.on(CreateTableCommand).resolves({});

    // Act
    await ensureTable(client, TABLE);

    // Assess
    expect(dynamo.commandCalls(CreateTableCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'duePk', AttributeType: 'S' },
        { AttributeName: 'dueSk', AttributeType: 'S' },
        { AttributeName: 'emailKey', AttributeType: 'S' },
        { AttributeName: 'guardianKey', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'due-index',
          KeySchema: [
            { AttributeName: 'duePk', KeyType: 'HASH' },
            { AttributeName: 'dueSk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: 'by-email',
          KeySchema: [{ AttributeName: 'emailKey', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: 'by-guardian-email',
          KeySchema: [{ AttributeName: 'guardianKey', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
  });

  it('says it created the table', async () => {
    // Prepare
    const { client, dynamo } = clientOnStub();
    dynamo.on(DescribeTableCommand).rejectsOnce(missing()).resolves(described('ACTIVE'));
    dynamo.on(CreateTableCommand).resolves({});

    // Act
    const created = await ensureTable(client, TABLE);

    // Assess
    expect(created).toBe(true);
  });

  it('leaves an existing table alone and says so', async () => {
    // Prepare
    const { client, dynamo } = clientOnStub();
    dynamo.on(DescribeTableCommand).resolves(described('ACTIVE'));

    // Act
    const created = await ensureTable(client, TABLE);

    // Assess
    expect(created).toBe(false);
    expect(dynamo.commandCalls(CreateTableCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });

  it('adds the indexes an older table lacks, one UpdateTable each, and waits for each', async () => {
    // Prepare
    const { client, dynamo } = clientOnStub();
    dynamo
      .on(DescribeTableCommand)
      .resolvesOnce(described('ACTIVE', 'ACTIVE', ['due-index']))
      .resolvesOnce(described('ACTIVE', 'ACTIVE', ['due-index']))
      .resolvesOnce(described('ACTIVE', 'ACTIVE', ['due-index', 'by-email']))
      .resolves(described('ACTIVE'));
    dynamo
      .on(UpdateTableCommand)
      .resolvesOnce({ TableDescription: described('UPDATING', 'CREATING', INDEXES).Table })
      .resolves({ TableDescription: described('UPDATING', 'CREATING', INDEXES).Table });

    // Act
    const created = await ensureTable(client, TABLE);

    // Assess
    expect(created).toBe(false);
    expect(dynamo.commandCalls(UpdateTableCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'emailKey', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'by-email',
              KeySchema: [{ AttributeName: 'emailKey', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          },
        ],
      },
      {
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'guardianKey', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'by-guardian-email',
              KeySchema: [{ AttributeName: 'guardianKey', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          },
        ],
      },
    ]);
  });

  it('says to start afresh when the emulator cannot add an index to an older table', async () => {
    // Prepare
    const { client, dynamo } = clientOnStub();
    dynamo.on(DescribeTableCommand).resolves(described('ACTIVE', 'ACTIVE', ['due-index']));
    dynamo
      .on(UpdateTableCommand)
      .rejects(
        Object.assign(new Error('ProvisionedThroughput is required'), { name: 'Validation' }),
      );

    // Act
    const ensuring = ensureTable(client, TABLE);

    // Assess
    await expect(ensuring).rejects.toThrow(
      /predates the index by-email.*start from an empty data directory/,
    );
  });

  it('knows a missing table by the name of the error, from another copy of the SDK', async () => {
    // Prepare
    const { client, dynamo } = clientOnStub();
    const foreign = Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
    dynamo.on(DescribeTableCommand).rejectsOnce(foreign).resolves(described('ACTIVE'));
    dynamo.on(CreateTableCommand).resolves({});

    // Act
    const created = await ensureTable(client, TABLE);

    // Assess
    expect(created).toBe(true);
  });

  it('waits until the table and its due index are both active', async () => {
    // Prepare
    vi.useFakeTimers();
    const { client, dynamo } = clientOnStub();
    dynamo
      .on(DescribeTableCommand)
      .rejectsOnce(missing())
      .resolvesOnce(described('CREATING', 'CREATING'))
      .resolvesOnce(described('ACTIVE', 'CREATING'))
      .resolves(described('ACTIVE'));
    dynamo.on(CreateTableCommand).resolves({});

    // Act
    const ensuring = ensureTable(client, TABLE);
    await vi.runAllTimersAsync();
    await ensuring;

    // Assess
    expect(dynamo.commandCalls(DescribeTableCommand)).toHaveLength(4);
  });

  it('gives up when the table never becomes active', async () => {
    // Prepare
    vi.useFakeTimers();
    const { client, dynamo } = clientOnStub();
    dynamo.on(DescribeTableCommand).resolves(described('CREATING'));

    // Act
    const ensuring = ensureTable(client, TABLE);
    const outcome = expect(ensuring).rejects.toThrow(`table ${TABLE} did not become active`);
    await vi.runAllTimersAsync();

    // Assess
    await outcome;
  });

  it('lets any other failure to describe the table through, creating nothing', async () => {
    // Prepare
    const { client, dynamo } = clientOnStub();
    dynamo.on(DescribeTableCommand).rejects(new Error('connect ECONNREFUSED 127.0.0.1:8000'));

    // Act
    const ensuring = ensureTable(client, TABLE);

    // Assess
    await expect(ensuring).rejects.toThrow('ECONNREFUSED');
    expect(dynamo.commandCalls(CreateTableCommand)).toHaveLength(0);
  });
});
