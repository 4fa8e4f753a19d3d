import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SendQueue, SendRequest } from '../use-cases/ports';

/**
 * The send queue on SQS: one message per candidate, sent ten at a time; entries SQS refuses are
 * retried a few times before the planner fails loudly (the schedule then retries the run, and
 * claims make that safe).
 *
 * @example
 * const queue = createSqsSendQueue({ client: new SQSClient({}), queueUrl });
 */
export const createSqsSendQueue = ({
  client,
  queueUrl,
}: {
  client: SQSClient;
  queueUrl: string;
}): SendQueue => ({
  async enqueue(requests: readonly SendRequest[]) {
    for (let start = 0; start < requests.length; start += 10) {
      let entries = requests.slice(start, start + 10).map((request, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify(request),
      }));
      for (let round = 0; entries.length > 0; round += 1) {
        if (round === 5) throw new Error(`SQS refused ${entries.length} messages five times`);
        const result = await client.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
        );
        const failed = new Set((result.Failed ?? []).map((failure) => failure.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
        if (entries.length > 0)
          await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** round));
      }
    }
  },
});
