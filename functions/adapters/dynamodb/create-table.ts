import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DESIGN } from './table-design';

/** The global secondary indexes of {@link TABLE_DESIGN}, as CreateTable and UpdateTable take them. */
const designedIndexes = (): Array<{ index: GlobalSecondaryIndex; attributes: string[] }> => {
  const { dueIndex, emailIndex, guardianEmailIndex } = TABLE_DESIGN;
  return [
    {
      index: {
        IndexName: dueIndex.indexName,
        KeySchema: [
          { AttributeName: dueIndex.partitionKey, KeyType: 'HASH' },
          { AttributeName: dueIndex.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: dueIndex.projection },
      },
      attributes: [dueIndex.partitionKey, dueIndex.sortKey],
    },
    ...[emailIndex, guardianEmailIndex].map((index) => ({
      index: {
        IndexName: index.indexName,
        KeySchema: [{ AttributeName: index.partitionKey, KeyType: 'HASH' as const }],
        Projection: { ProjectionType: index.projection },
      },
      attributes: [index.partitionKey],
    })),
  ];
};

const stringAttributes = (names: readonly string[]) =>
  names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const }));

const isMissingTable = (error: unknown) =>
  error instanceof ResourceNotFoundException ||
  (error as Error).name === 'ResourceNotFoundException';

const waitUntilActive = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<TableDescription> => {
  for (let wait = 0; wait < 200; wait += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === 'ACTIVE',
    );
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return Table;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`table ${tableName} did not become active`);
};

/**
 * Adds the designed indexes a table made before them lacks, one UpdateTable each (DynamoDB
 * creates one index per call). An emulator that cannot add an index to a table (dynalite
 * ignores the request) is told apart: the data directory then has to be made afresh.
 */
const addMissingIndexes = async (
  client: DynamoDBClient,
  tableName: string,
  table: TableDescription,
): Promise<void> => {
  const present = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const { index, attributes } of designedIndexes()) {
    if (present.has(index.IndexName)) continue;
    const cannotAdd = (why: string) =>
      new Error(
        `table ${tableName} predates the index ${index.IndexName}, which this DynamoDB cannot add ` +
          `(${why}): start from an empty data directory (or delete the table) and ingest the events again`,
      );
    let updated: TableDescription | undefined;
    try {
      ({ TableDescription: updated } = await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: stringAttributes(attributes),
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      ));
    } catch (error) {
      throw cannotAdd((error as Error).message);
    }
    if (!(updated?.GlobalSecondaryIndexes ?? []).some((gsi) => gsi.IndexName === index.IndexName))
      throw cannotAdd('the request was ignored');
    await waitUntilActive(client, tableName);
  }
};

/**
 * Creates the table and its indexes from {@link TABLE_DESIGN} when it is missing, adds the
 * indexes an older table lacks, and waits until it is active. Used by the local stack and the
 * tests; on AWS the CDK stateful stack owns the table.
 *
 * @returns whether the table was created now.
 * @example
 * await ensureTable(new DynamoDBClient({ endpoint: 'http://127.0.0.1:8000' }), 'cert-reminders');
 */
export const ensureTable = async (client: DynamoDBClient, tableName: string): Promise<boolean> => {
  const { partitionKey, sortKey } = TABLE_DESIGN;
  const indexes = designedIndexes();
  let created = false;
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!isMissingTable(error)) throw error;
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: stringAttributes([
            partitionKey,
            sortKey,
            ...indexes.flatMap(({ attributes }) => attributes),
          ]),
          KeySchema: [
            { AttributeName: partitionKey, KeyType: 'HASH' },
            { AttributeName: sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: indexes.map(({ index }) => index),
        }),
      );
    } catch (createError) {
      // Another process created it meanwhile: wait for it like for our own.
      if ((createError as Error).name !== 'ResourceInUseException') throw createError;
    }
    created = true;
  }
  const table = await waitUntilActive(client, tableName);
  if (!created) await addMissingIndexes(client, tableName, table);
  return created;
};
