import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoStores } from '../../../../functions/adapters/dynamodb/dynamo-stores';
import { mockedDocumentClient, TABLE } from '../../support/dynamo-mock';

/** Every repository on one table, on a stubbed DynamoDB. */

describe('createDynamoStores', () => {
  it('reads what different stores ask for in the same tick with one BatchGetItem', async () => {
    // Prepare
    const { documentClient, dynamo } = mockedDocumentClient();
    dynamo.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    const stores = createDynamoStores({ documentClient, tableName: TABLE });

    // Act
    await Promise.all([
      stores.candidates.load('cand-ana'),
      stores.webhooks.isSeen('msg_1', new Date('2027-03-01T10:00:00Z')),
    ]);

    // Assess
    const calls = dynamo.commandCalls(BatchGetCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.RequestItems?.[TABLE]?.Keys).toEqual([
      { pk: 'CAND#cand-ana', sk: 'CANDIDATE' },
      { pk: 'WEBHOOK#msg_1', sk: 'WEBHOOK' },
    ]);
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });
});
