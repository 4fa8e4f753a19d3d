import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createInProcessQueue } from '../../../functions/adapters/in-process-queue';
import type { SendRequest } from '../../../functions/use-cases/ports';

const request = (candidateId: string): SendRequest => ({
  runAt: '2027-11-29T13:00:00Z',
  candidateId,
});

const requests = (count: number) =>
  Array.from({ length: count }, (_, index) => request(`cand-${index + 1}`));

const candidateOf = (record: SQSRecord) => (JSON.parse(record.body) as SendRequest).candidateId;

/**
 * A sender handler double: records every batch it receives and reports as failed the messages
 * for which `fails(candidateId, receiveCount)` is true.
 */
const fakeHandler = (
  fails: (candidateId: string, receiveCount: number) => boolean = () => false,
) => {
  const batches: SQSRecord[][] = [];
  const handler = vi.fn(async (event: SQSEvent): Promise<SQSBatchResponse> => {
    batches.push(event.Records);
    return {
      batchItemFailures: event.Records.filter((record) =>
        fails(candidateOf(record), Number(record.attributes.ApproximateReceiveCount)),
      ).map((record) => ({ itemIdentifier: record.messageId })),
    };
  });
  return { handler, batches };
};

/** Every delivery of every message, as `candidate@receiveCount`, in delivery order. */
const deliveries = (batches: readonly SQSRecord[][]) =>
  batches.flatMap((batch) =>
    batch.map((record) => `${candidateOf(record)}@${record.attributes.ApproximateReceiveCount}`),
  );

describe('createInProcessQueue', () => {
  it.each([
    [23, 10, [10, 10, 3]],
    [10, 10, [10]],
    [7, 3, [3, 3, 1]],
    [1, 10, [1]],
  ])('hands %i messages to the handler in batches of %i: %j', async (count, batchSize, sizes) => {
    // Prepare
    const { handler, batches } = fakeHandler();
    const queue = createInProcessQueue(handler, { batchSize, retryDelayMs: 0 });

    // Act
    await queue.enqueue(requests(count));

    // Assess
    expect(batches.map((batch) => batch.length)).toEqual(sizes);
    expect(deliveries(batches)).toEqual(requests(count).map((r) => `${r.candidateId}@1`));
  });

  it('uses batches of 10 by default', async () => {
    // Prepare
    const { handler, batches } = fakeHandler();
    const queue = createInProcessQueue(handler, { retryDelayMs: 0 });

    // Act
    await queue.enqueue(requests(12));

    // Assess
    expect(batches.map((batch) => batch.length)).toEqual([10, 2]);
  });

  it('does not call the handler for an empty enqueue', async () => {
    // Prepare
    const { handler } = fakeHandler();
    const queue = createInProcessQueue(handler);

    // Act
    await queue.enqueue([]);

    // Assess
    expect(handler).not.toHaveBeenCalled();
  });

  it('delivers SQS-shaped records whose body is the request as JSON', async () => {
    // Prepare
    const { handler, batches } = fakeHandler();
    const queue = createInProcessQueue(handler, { retryDelayMs: 0 });
    const sent = { ...request('cand-1'), dryRun: true };

    // Act
    await queue.enqueue([sent]);

    // Assess
    const record = batches[0]?.[0] as SQSRecord;
    expect(JSON.parse(record.body)).toEqual(sent);
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      receiptHandle: record.messageId,
      messageAttributes: {},
      attributes: { ApproximateReceiveCount: '1', SenderId: 'local' },
    });
    expect(record.messageId).toMatch(/^local-\d+$/);
    expect(record.eventSourceARN).toMatch(/^arn:aws:sqs:/);
    expect(Number(record.attributes.SentTimestamp)).toBeGreaterThan(0);
    expect(Number(record.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThan(0);
  });

  it('gives every message its own id, across enqueues', async () => {
    // Prepare
    const { handler, batches } = fakeHandler();
    const queue = createInProcessQueue(handler, { retryDelayMs: 0 });

    // Act
    await queue.enqueue(requests(3));
    await queue.enqueue(requests(2));

    // Assess
    const ids = batches.flat().map((record) => record.messageId);
    expect(new Set(ids).size).toBe(5);
  });

  it('redelivers a failed message, with a growing receive count, until it succeeds', async () => {
    // Prepare: cand-2 fails on its first two deliveries.
    const { handler, batches } = fakeHandler(
      (candidateId, receives) => candidateId === 'cand-2' && receives < 3,
    );
    const onDeadLetter = vi.fn();
    const queue = createInProcessQueue(handler, { retryDelayMs: 1, onDeadLetter });

    // Act
    await queue.enqueue(requests(3));

    // Assess
    expect(deliveries(batches)).toEqual([
      'cand-1@1',
      'cand-2@1',
      'cand-3@1',
      'cand-2@2',
      'cand-2@3',
    ]);
    const ids = batches.map((batch) => batch.map((record) => record.messageId));
    expect(ids[1]).toEqual([ids[0]?.[1]]);
    expect(ids[2]).toEqual([ids[0]?.[1]]);
    expect(onDeadLetter).not.toHaveBeenCalled();
  });

  it('redelivers only the failed messages of a batch, still in batches', async () => {
    // Prepare: with batches of 2, cand-1, cand-3 and cand-4 fail once.
    const { handler, batches } = fakeHandler(
      (candidateId, receives) =>
        ['cand-1', 'cand-3', 'cand-4'].includes(candidateId) && receives < 2,
    );
    const queue = createInProcessQueue(handler, { batchSize: 2, retryDelayMs: 0 });

    // Act
    await queue.enqueue(requests(5));

    // Assess
    expect(batches.map((batch) => batch.map(candidateOf))).toEqual([
      ['cand-1', 'cand-2'],
      ['cand-3', 'cand-4'],
      ['cand-5'],
      ['cand-1', 'cand-3'],
      ['cand-4'],
    ]);
  });

  it.each([
    ['maxReceives 3', 3, 3],
    ['maxReceives 1', 1, 1],
    ['the default maxReceives', undefined, 5],
  ])(
    'with %s, dead-letters a message that keeps failing after that many deliveries',
    async (_label, maxReceives, limit) => {
      // Prepare
      const { handler, batches } = fakeHandler((candidateId) => candidateId === 'cand-2');
      const onDeadLetter = vi.fn();
      const queue = createInProcessQueue(handler, {
        retryDelayMs: 0,
        onDeadLetter,
        ...(maxReceives === undefined ? {} : { maxReceives }),
      });

      // Act
      await queue.enqueue(requests(3));

      // Assess
      const tries = deliveries(batches).filter((delivery) => delivery.startsWith('cand-2@'));
      expect(tries).toEqual(Array.from({ length: limit }, (_, index) => `cand-2@${index + 1}`));
      expect(onDeadLetter).toHaveBeenCalledTimes(1);
      expect(onDeadLetter).toHaveBeenCalledWith(request('cand-2'));
    },
  );

  it('calls onDeadLetter once per dead-lettered message', async () => {
    // Prepare
    const { handler } = fakeHandler((candidateId) => candidateId !== 'cand-2');
    const onDeadLetter = vi.fn();
    const queue = createInProcessQueue(handler, { maxReceives: 2, retryDelayMs: 0, onDeadLetter });

    // Act
    await queue.enqueue(requests(3));

    // Assess
    expect(onDeadLetter.mock.calls.map(([dead]) => (dead as SendRequest).candidateId)).toEqual([
      'cand-1',
      'cand-3',
    ]);
  });

  it('drops a message that keeps failing when nobody listens for dead letters', async () => {
    // Prepare
    const { handler, batches } = fakeHandler(() => true);
    const queue = createInProcessQueue(handler, { maxReceives: 2, retryDelayMs: 0 });

    // Act
    const done = queue.enqueue(requests(1));

    // Assess
    await expect(done).resolves.toBeUndefined();
    expect(deliveries(batches)).toEqual(['cand-1@1', 'cand-1@2']);
  });

  it('ignores failures reported for messages that are not in the batch', async () => {
    // Prepare
    const handler = vi.fn(
      async (): Promise<SQSBatchResponse> => ({
        batchItemFailures: [{ itemIdentifier: 'not-a-message' }],
      }),
    );
    const queue = createInProcessQueue(handler, { retryDelayMs: 0 });

    // Act
    await queue.enqueue(requests(2));

    // Assess
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('waits retryDelayMs before redelivering', async () => {
    // Prepare
    vi.useFakeTimers();
    try {
      const { handler } = fakeHandler((_candidate, receives) => receives < 2);
      const queue = createInProcessQueue(handler, { retryDelayMs: 1_000 });

      // Act
      const done = queue.enqueue(requests(1));
      await vi.advanceTimersByTimeAsync(999);
      const before = handler.mock.calls.length;
      await vi.advanceTimersByTimeAsync(1);
      await done;

      // Assess
      expect(before).toBe(1);
      expect(handler).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('waits 200 ms by default before redelivering', async () => {
    // Prepare
    vi.useFakeTimers();
    try {
      const { handler } = fakeHandler((_candidate, receives) => receives < 2);
      const queue = createInProcessQueue(handler);

      // Act
      const done = queue.enqueue(requests(1));
      await vi.advanceTimersByTimeAsync(199);
      const before = handler.mock.calls.length;
      await vi.advanceTimersByTimeAsync(1);
      await done;

      // Assess
      expect(before).toBe(1);
      expect(handler).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
