import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import {
  createSqsOutboundEvents,
  outboundMessageOf,
  retryLater,
} from '../../../functions/adapters/sqs-outbound-queue';
import { candidateUnsubscribed } from '../../../functions/domain/outbound-events';

/** The outbound queue on a stubbed SQS: events ten to a batch; retries by visibility. */

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/outbound';

const stubbed = () => {
  const client = new SQSClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return { client, sqs: mockClient(client) };
};
const events = (count: number) =>
  Array.from({ length: count }, (_, index) =>
    candidateUnsubscribed({ candidateId: `cand-${index}`, at: '2027-11-29T10:00:00.000Z' }),
  );

describe('createSqsOutboundEvents', () => {
  it('sends each event as one message, ten to a batch, readable back as it was', async () => {
    // Prepare
    const { client, sqs } = stubbed();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const published = events(12);

    // Act
    await createSqsOutboundEvents({ client, queueUrl: QUEUE_URL }).publish(published);

    // Assess
    const batches = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(batches.map((batch) => batch.Entries?.length)).toEqual([10, 2]);
    expect(batches.every((batch) => batch.QueueUrl === QUEUE_URL)).toBe(true);
    const bodies = batches.flatMap((batch) => batch.Entries ?? []).map((e) => e.MessageBody ?? '');
    expect(bodies.map(outboundMessageOf)).toEqual(published);
  });

  it('throws when SQS refuses an entry (the publisher then logs and counts it)', async () => {
    // Prepare
    const { client, sqs } = stubbed();
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }],
    });

    // Act & Assess
    await expect(
      createSqsOutboundEvents({ client, queueUrl: QUEUE_URL }).publish(events(1)),
    ).rejects.toThrow('SQS refused 1 outbound events');
  });
});

describe('retryLater', () => {
  it('sets the message’s visibility to the delay in whole seconds, at most 12 hours', async () => {
    // Prepare
    const { client, sqs } = stubbed();
    sqs.on(ChangeMessageVisibilityCommand).resolves({});

    // Act
    await retryLater({ client, queueUrl: QUEUE_URL }, 'receipt-1', 30_000);
    await retryLater({ client, queueUrl: QUEUE_URL }, 'receipt-2', 100 * 3_600_000);

    // Assess
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: QUEUE_URL, ReceiptHandle: 'receipt-1', VisibilityTimeout: 30 },
      { QueueUrl: QUEUE_URL, ReceiptHandle: 'receipt-2', VisibilityTimeout: 43_200 },
    ]);
  });
});

describe('outboundMessageOf', () => {
  it('refuses a body that is not an outbound event', () => {
    // Assess
    expect(() => outboundMessageOf('{"runAt":"2027-11-29T13:00:00Z"}')).toThrow();
  });
});
