import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSqsSendQueue } from '../../../functions/adapters/sqs-send-queue';
import type { SendRequest } from '../../../functions/use-cases/ports';

/** The send queue on a stubbed SQS: one message per request, ten to a batch, refusals retried. */

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/send-queue';
const RUN_AT = '2027-10-10T13:00:00Z';

const requests = (count: number): SendRequest[] =>
  Array.from({ length: count }, (_, index) => ({ runAt: RUN_AT, candidateId: `cand-${index}` }));

const queueOnStub = () => {
  const client = new SQSClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const sqs = mockClient(client);
  return { sqs, queue: createSqsSendQueue({ client, queueUrl: QUEUE_URL }) };
};

/** The candidates of each batch sent, in order. */
const batchesSent = (sqs: ReturnType<typeof queueOnStub>['sqs']) =>
  sqs
    .commandCalls(SendMessageBatchCommand)
    .map((call) =>
      (call.args[0].input.Entries ?? []).map(
        (entry) => (JSON.parse(entry.MessageBody ?? '{}') as SendRequest).candidateId,
      ),
    );

afterEach(() => {
  vi.useRealTimers();
});

describe('createSqsSendQueue', () => {
  it('sends the requests to the queue in batches of at most ten', async () => {
    // Prepare
    const { sqs, queue } = queueOnStub();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    // Act
    await queue.enqueue(requests(25));

    // Assess
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((call) => call.args[0].input.QueueUrl)).toEqual([
      QUEUE_URL,
      QUEUE_URL,
      QUEUE_URL,
    ]);
    expect(batchesSent(sqs).map((batch) => batch.length)).toEqual([10, 10, 5]);
  });

  it('sends each request as the JSON of a message with an id unique in its batch', async () => {
    // Prepare
    const { sqs, queue } = queueOnStub();
    sqs.on(SendMessageBatchCommand).resolves({});
    const dryRun: SendRequest = { runAt: RUN_AT, candidateId: 'cand-ana', dryRun: true };

    // Act
    await queue.enqueue([dryRun, ...requests(2)]);

    // Assess
    const entries = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries ?? [];
    expect(new Set(entries.map((entry) => entry.Id)).size).toBe(3);
    expect(entries.map((entry) => JSON.parse(entry.MessageBody ?? ''))).toEqual([
      dryRun,
      ...requests(2),
    ]);
  });

  it('sends again, alone, the entries SQS refused', async () => {
    // Prepare
    vi.useFakeTimers();
    const { sqs, queue } = queueOnStub();
    sqs
      .on(SendMessageBatchCommand)
      .callsFakeOnce((input: { Entries: Array<{ Id: string }> }) => ({
        Successful: [],
        Failed: [input.Entries[1], input.Entries[2]].map((entry) => ({
          Id: entry?.Id,
          SenderFault: false,
          Code: 'InternalError',
        })),
      }))
      .resolves({});

    // Act
    const enqueueing = queue.enqueue(requests(3));
    await vi.runAllTimersAsync();
    await enqueueing;

    // Assess
    expect(batchesSent(sqs)).toEqual([
      ['cand-0', 'cand-1', 'cand-2'],
      ['cand-1', 'cand-2'],
    ]);
  });

  it('fails loudly when SQS refuses entries five times', async () => {
    // Prepare
    vi.useFakeTimers();
    const { sqs, queue } = queueOnStub();
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({
      Failed: [{ Id: input.Entries[0]?.Id, SenderFault: false, Code: 'InternalError' }],
    }));

    // Act
    const enqueueing = queue.enqueue(requests(2));
    const outcome = expect(enqueueing).rejects.toThrow('SQS refused 1 messages five times');
    await vi.runAllTimersAsync();

    // Assess
    await outcome;
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(5);
  });

  it('lets a failed request reach the caller', async () => {
    // Prepare
    const { sqs, queue } = queueOnStub();
    sqs.on(SendMessageBatchCommand).rejects(new Error('getaddrinfo ENOTFOUND sqs'));

    // Act
    const enqueueing = queue.enqueue(requests(1));

    // Assess
    await expect(enqueueing).rejects.toThrow('ENOTFOUND');
  });

  it('sends nothing for no requests', async () => {
    // Prepare
    const { sqs, queue } = queueOnStub();

    // Act
    await queue.enqueue([]);

    // Assess
    expect(sqs.calls()).toHaveLength(0);
  });
});
