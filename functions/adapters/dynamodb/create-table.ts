import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DESIGN } from './table-design';

/**
 * Creates the table and its due index from {@link TABLE_DESIGN} when it is missing, and waits until
 * it is active. Used by the local stack and the tests; on AWS the CDK stateful stack owns the table.
 *
 * @returns whether the table was created now.
 * @example
 * await ensureTable(new DynamoDBClient({ endpoint: 'http://127.0.0.1:8000' }), 'cert-reminders');
 */
export const ensureTable = async (client: DynamoDBClient, tableName: string): Promise<boolean> => {
  const { partitionKey, sortKey, dueIndex } = TABLE_DESIGN;
  let created = false;
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (
      !(error instanceof ResourceNotFoundException) &&
      (error as Error).name !== 'ResourceNotFoundException'
    )
      throw error;
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            partitionKey,
            sortKey,
            dueIndex.partitionKey,
            dueIndex.sortKey,
          ].map((AttributeName) => ({
            AttributeName,
            AttributeType: 'S',
          })),
          KeySchema: [
            { AttributeName: partitionKey, KeyType: 'HASH' },
            { AttributeName: sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: dueIndex.indexName,
              KeySchema: [
                { AttributeName: dueIndex.partitionKey, KeyType: 'HASH' },
                { AttributeName: dueIndex.sortKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          ],
        }),
      );
    } catch (createError) {
      // Another process created it meanwhile: wait for it like for our own.
      if ((createError as Error).name !== 'ResourceInUseException') throw createError;
    }
    created = true;
  }
  for (let wait = 0; wait < 200; wait += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === 'ACTIVE',
    );
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return created;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`table ${tableName} did not become active`);
};
