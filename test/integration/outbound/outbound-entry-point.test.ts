import { randomUUID } from 'node:crypto';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { candidateUnsubscribed } from '../../../functions/domain/outbound-events';
import { OUTBOUND_SECRET, signedAtItsOwnTimestamp, startReceiver } from './outbound-support';

/**
 * The outbound Lambda entry point itself (middy, Powertools, configuration from the
 * environment), against a real HTTP receiver; SQS is stubbed, as only the retry's
 * `ChangeMessageVisibility` reaches it.
 */

const context = {
  functionName: 'outbound',
  awsRequestId: randomUUID(),
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/outbound';
const sqs = mockClient(SQSClient);
const saved = { ...process.env };
let answer = 204;
const receiverReady = startReceiver(() => answer);

const recordOf = (receiveCount: number): SQSRecord => ({
  messageId: `m-${receiveCount}`,
  receiptHandle: `r-${receiveCount}`,
  body: JSON.stringify(
    candidateUnsubscribed({ candidateId: 'cand-entry', at: '2027-11-29T10:00:00.000Z' }),
  ),
  attributes: {
    ApproximateReceiveCount: String(receiveCount),
    SentTimestamp: '0',
    SenderId: 'test',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:outbound',
  awsRegion: 'us-east-1',
});

beforeAll(async () => {
  const receiver = await receiverReady;
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    OUTBOUND_QUEUE_URL: QUEUE_URL,
    OUTBOUND_WEBHOOK_URL: receiver.url,
    OUTBOUND_WEBHOOK_SECRET: OUTBOUND_SECRET,
    POWERTOOLS_METRICS_NAMESPACE: 'CertRemindersTest',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_DEV: 'true',
  });
});
afterEach(() => sqs.reset());
afterAll(async () => {
  process.env = saved;
  sqs.restore();
  await (await receiverReady).close();
});

describe('the outbound Lambda entry point', () => {
  it('delivers a record signed, and delays a refused one by the schedule’s next delay', async () => {
    // Prepare
    const receiver = await receiverReady;
    const { handler } = await import('../../../functions/handlers/outbound');
    sqs.on(ChangeMessageVisibilityCommand).resolves({});

    // Act
    const delivered = await handler({ Records: [recordOf(1)] }, context);
    answer = 500;
    const refused = await handler({ Records: [recordOf(2)] }, context);

    // Assess
    expect(delivered).toEqual({ batchItemFailures: [] });
    expect(refused).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }] });
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests.every(signedAtItsOwnTimestamp)).toBe(true);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: QUEUE_URL, ReceiptHandle: 'r-2', VisibilityTimeout: 120 },
    ]);
  });
});
