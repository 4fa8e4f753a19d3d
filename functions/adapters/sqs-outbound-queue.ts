import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { OutboundMessage } from '../domain/outbound-events';
import type { OutboundEvents } from '../use-cases/ports';

/** The longest visibility timeout SQS accepts (12 hours). */
export const SQS_MAX_VISIBILITY_SECONDS = 12 * 3600;

/**
 * The outbound queue on SQS, as its publishers see it: events sent ten at a time, each message
 * the event's `webhook-id`, type and body.
 *
 * @example
 * const outbound = createSqsOutboundEvents({ client: new SQSClient({}), queueUrl });
 * await outbound.publish([reminderSent({ … })]);
 */
export const createSqsOutboundEvents = ({
  client,
  queueUrl,
}: {
  readonly client: SQSClient;
  readonly queueUrl: string;
}): OutboundEvents => ({
  async publish(messages) {
    for (let start = 0; start < messages.length; start += 10) {
      const entries = messages.slice(start, start + 10).map((message, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify(message),
      }));
      const result = await client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
      );
      if ((result.Failed ?? []).length > 0)
        throw new Error(`SQS refused ${result.Failed?.length} outbound events`);
    }
  },
});

/**
 * Reads an outbound queue message body back; throws on anything that is not one.
 *
 * @example
 * const message = outboundMessageOf(record.body);
 */
export const outboundMessageOf = (body: string): OutboundMessage => {
  const parsed = JSON.parse(body) as Partial<OutboundMessage>;
  if (
    typeof parsed.webhookId !== 'string' ||
    typeof parsed.type !== 'string' ||
    typeof parsed.body !== 'string'
  )
    throw new Error('not an outbound event');
  return { webhookId: parsed.webhookId, type: parsed.type, body: parsed.body };
};

/**
 * Puts a received message back on the queue after `delayMs` (its visibility timeout, at most
 * SQS's 12 hours): the delay before the next delivery attempt.
 *
 * @example
 * await retryLater({ client, queueUrl }, record.receiptHandle, 30_000);
 */
export const retryLater = async (
  { client, queueUrl }: { readonly client: SQSClient; readonly queueUrl: string },
  receiptHandle: string,
  delayMs: number,
): Promise<void> => {
  await client.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl,
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: Math.min(
        SQS_MAX_VISIBILITY_SECONDS,
        Math.max(0, Math.ceil(delayMs / 1000)),
      ),
    }),
  );
};
