import { createHash } from 'node:crypto';
import { BatchGetCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { createItemReader } from '../../../../functions/adapters/dynamodb/dynamo-requests';
import {
  createDynamoRunLog,
  createDynamoSuppressionList,
  createDynamoWebhookMemory,
  WEBHOOK_MEMORY_SECONDS,
} from '../../../../functions/adapters/dynamodb/small-registries';
import { mockedDocumentClient, TABLE } from '../../support/dynamo-mock';

/** The webhook memory, the suppression list and the run log on a stubbed DynamoDB. */

const NOW = new Date('2027-03-01T10:00:00.500Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
const WEBHOOK_KEY = { pk: 'WEBHOOK#msg_1', sk: 'WEBHOOK' };

/** SHA-256 in hex, worked out here rather than taken from the code under test. */
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let stub: ReturnType<typeof mockedDocumentClient>['dynamo'];
let options: Parameters<typeof createDynamoWebhookMemory>[0];

beforeEach(() => {
  const { documentClient, dynamo } = mockedDocumentClient();
  stub = dynamo;
  options = { documentClient, tableName: TABLE, reader: createItemReader(documentClient, TABLE) };
});

describe('the webhook memory', () => {
  it('remembers an id until eight days after the given instant, in epoch seconds', async () => {
    // Prepare
    stub.on(PutCommand).resolves({});
    const webhooks = createDynamoWebhookMemory(options);

    // Act
    await webhooks.remember('msg_1', NOW);

    // Assess
    expect(WEBHOOK_MEMORY_SECONDS).toBe(8 * 24 * 3600);
    expect(stub.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: { ...WEBHOOK_KEY, expiresAt: NOW_SECONDS + 8 * 24 * 3600 },
    });
  });

  it('has seen an id whose record expires after the given instant', async () => {
    // Prepare
    stub.on(GetCommand).resolves({ Item: { ...WEBHOOK_KEY, expiresAt: NOW_SECONDS + 1 } });
    const webhooks = createDynamoWebhookMemory(options);

    // Act
    const seen = await webhooks.isSeen('msg_1', NOW);

    // Assess
    expect(seen).toBe(true);
  });

  it('has forgotten an id whose record expired by the given instant, though TTL has not deleted it yet', async () => {
    // Prepare
    stub.on(GetCommand).resolves({ Item: { ...WEBHOOK_KEY, expiresAt: NOW_SECONDS } });
    const webhooks = createDynamoWebhookMemory(options);

    // Act
    const seen = await webhooks.isSeen('msg_1', NOW);

    // Assess
    expect(seen).toBe(false);
  });

  it('judges the expiry on the clock it is given, not the host clock', async () => {
    // Prepare: a record that expired in 2027 is still live for a clock set in 2020
    stub.on(GetCommand).resolves({ Item: { ...WEBHOOK_KEY, expiresAt: NOW_SECONDS } });
    const webhooks = createDynamoWebhookMemory(options);

    // Act
    const seen = await webhooks.isSeen('msg_1', new Date('2020-01-01T00:00:00Z'));

    // Assess
    expect(seen).toBe(true);
  });

  it('has not seen an id it holds no record of, reading it consistently', async () => {
    // Prepare
    stub.on(GetCommand).resolves({});
    const webhooks = createDynamoWebhookMemory(options);

    // Act
    const seen = await webhooks.isSeen('msg_1', NOW);

    // Assess
    expect(seen).toBe(false);
    expect(stub.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: WEBHOOK_KEY,
      ConsistentRead: true,
    });
  });
});

describe('the suppression list', () => {
  it('keys a suppression by the SHA-256 of the lowercased address, with its reason and when', async () => {
    // Prepare
    stub.on(PutCommand).resolves({});
    const suppressions = createDynamoSuppressionList(options);

    // Act
    await suppressions.suppress(' Ana.Silva@Example.COM ', 'bounce', '2027-03-01T10:00:00Z');

    // Assess
    expect(stub.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        pk: `SUPPRESS#${sha256('ana.silva@example.com')}`,
        sk: 'SUPPRESS',
        reason: 'bounce',
        at: '2027-03-01T10:00:00Z',
      },
    });
  });

  it('never writes the address itself', async () => {
    // Prepare
    stub.on(PutCommand).resolves({});
    const suppressions = createDynamoSuppressionList(options);

    // Act
    await suppressions.suppress('ana.silva@example.com', 'complaint', '2027-03-01T10:00:00Z');

    // Assess
    const written = JSON.stringify(stub.commandCalls(PutCommand)[0]?.args[0].input).toLowerCase();
    expect(written).not.toContain('ana.silva');
    expect(written).not.toContain('example.com');
  });

  it('reads the hashes of every address asked about with one BatchGetItem', async () => {
    // Prepare
    stub.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    const suppressions = createDynamoSuppressionList(options);

    // Act
    await suppressions.suppressed(['ana@example.com', 'guardian@example.com']);

    // Assess
    const calls = stub.commandCalls(BatchGetCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.RequestItems?.[TABLE]?.Keys).toEqual([
      { pk: `SUPPRESS#${sha256('ana@example.com')}`, sk: 'SUPPRESS' },
      { pk: `SUPPRESS#${sha256('guardian@example.com')}`, sk: 'SUPPRESS' },
    ]);
  });

  it('answers the addresses asked about, as given, that are suppressed', async () => {
    // Prepare
    stub.on(BatchGetCommand).resolves({
      Responses: {
        [TABLE]: [{ pk: `SUPPRESS#${sha256('ana@example.com')}`, sk: 'SUPPRESS', reason: 'x' }],
      },
    });
    const suppressions = createDynamoSuppressionList(options);

    // Act
    const suppressed = await suppressions.suppressed(['Ana@Example.com', 'guardian@example.com']);

    // Assess
    expect([...suppressed]).toEqual(['Ana@Example.com']);
  });

  it('sends nothing when asked about no address', async () => {
    // Prepare
    const suppressions = createDynamoSuppressionList(options);

    // Act
    const suppressed = await suppressions.suppressed([]);

    // Assess
    expect(suppressed.size).toBe(0);
    expect(stub.calls()).toHaveLength(0);
  });
});

describe('the run log', () => {
  it('records a run as one item keyed by its instant, holding the instant and the summary', async () => {
    // Prepare
    stub.on(PutCommand).resolves({});
    const runs = createDynamoRunLog(options);

    // Act
    await runs.recordRun('2027-10-10T13:00:00Z', { queries: 16, candidates: 3 });

    // Assess
    expect(stub.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        pk: 'RUN#2027-10-10T13:00:00Z',
        sk: 'RUN',
        runAt: '2027-10-10T13:00:00Z',
        queries: 16,
        candidates: 3,
      },
    });
  });
});
