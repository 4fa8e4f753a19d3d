import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type Clock, type SendQueue, type SendRequest, systemClock } from '../use-cases/ports';

export interface InProcessQueueOptions {
  /** Messages handed to the handler at once (SQS: up to 10). */
  readonly batchSize?: number;
  /** Deliveries of one message before it is dead-lettered (the SQS queue's `maxReceiveCount`). */
  readonly maxReceives?: number;
  /** Pause before redelivering failed messages. */
  readonly retryDelayMs?: number;
  readonly onDeadLetter?: (request: SendRequest) => void;
  /** The wall clock, for the records' timestamps. */
  readonly clock?: Clock;
}

const recordOf = (
  request: SendRequest,
  id: string,
  receiveCount: number,
  sentAt: number,
): SQSRecord => ({
  messageId: id,
  receiptHandle: id,
  body: JSON.stringify(request),
  attributes: {
    ApproximateReceiveCount: String(receiveCount),
    SentTimestamp: String(sentAt),
    SenderId: 'local',
    ApproximateFirstReceiveTimestamp: String(sentAt),
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:local:000000000000:send-queue',
  awsRegion: 'local',
});

/**
 * The local stand-in for the SQS send queue: the same message shape, delivered to the same sender
 * handler in batches, with failed messages redelivered and finally dead-lettered, like SQS with
 * `reportBatchItemFailures` and a redrive policy.
 *
 * @example
 * const queue = createInProcessQueue(makeSender(deps));
 * await planRun({ store, settings, queue, shards }, runAt);
 */
export const createInProcessQueue = (
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>,
  options: InProcessQueueOptions = {},
): SendQueue => {
  const batchSize = options.batchSize ?? 10;
  const maxReceives = options.maxReceives ?? 5;
  let sequence = 0;
  return {
    async enqueue(requests) {
      let pending = requests.map((request) => ({
        id: `local-${++sequence}`,
        request,
        receives: 0,
      }));
      while (pending.length > 0) {
        const failed: typeof pending = [];
        for (let start = 0; start < pending.length; start += batchSize) {
          const batch = pending
            .slice(start, start + batchSize)
            .map((message) => ({ ...message, receives: message.receives + 1 }));
          const response = await handler({
            Records: batch.map((m) =>
              recordOf(m.request, m.id, m.receives, (options.clock ?? systemClock).now().getTime()),
            ),
          });
          const failedIds = new Set(
            response.batchItemFailures.map((failure) => failure.itemIdentifier),
          );
          failed.push(...batch.filter((message) => failedIds.has(message.id)));
        }
        pending = failed.filter((message) => message.receives < maxReceives);
        for (const message of failed.filter((m) => m.receives >= maxReceives))
          options.onDeadLetter?.(message.request);
        if (pending.length > 0)
          await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 200));
      }
    },
  };
};
