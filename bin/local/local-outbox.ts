import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OutboundMessage } from '../../functions/domain/outbound-events';
import { documentClientFor } from '../../functions/handlers/lambda-runtime';
import { type DeliveryOutcome, deliverOutbound } from '../../functions/use-cases/outbound-delivery';
import type { Clock, OutboundEvents, WebhookEndpoint } from '../../functions/use-cases/ports';

/**
 * The local outbound queue (SPEC §8), kept in the stack's own table so that it survives a
 * restart: one item per event under the partition `LOCAL#OUTBOX` (local only, never on AWS),
 * with its body, the attempts made and when the next is due. Semantics as on SQS: the same
 * schedule, the same attempt count, a dead-letter state once the schedule is exhausted.
 *
 * Every attempt first claims its item with a conditional write on the attempt count (the lease
 * pushes `nextAttemptAt` beyond the receiver's time-out), so two workers, two stacks on one
 * table or a worker that died mid-attempt, never deliver the same attempt twice at once.
 */

const PK = 'LOCAL#OUTBOX';
const skOf = (webhookId: string) => `OUTBOX#${webhookId}`;
/** How long a claimed attempt holds before another worker may take it over (> the 10 s time-out). */
const CLAIM_LEASE_MS = 30_000;

export type OutboxState = 'pending' | 'delivered' | 'dead';

/** One event in the outbox, as stored. */
export interface OutboxEntry extends OutboundMessage {
  /** The event's body; removed once it is delivered. */
  readonly body: string;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError?: string;
}

const isConditionFailure = (error: unknown) =>
  (error as Error).name === 'ConditionalCheckFailedException';

/**
 * The outbox as its publishers see it: an event already in it (the same `webhook-id`) is not
 * queued again.
 *
 * @example
 * const outbound = createLocalOutbox({ dynamodb, tableName, clock });
 * await outbound.publish([reminderSent({ … })]);
 */
export const createLocalOutbox = (options: {
  readonly dynamodb: DynamoDBClient;
  readonly tableName: string;
  readonly clock: Clock;
}): OutboundEvents & {
  entries(): Promise<OutboxEntry[]>;
  /** Tries every due event once; returns what each attempt led to. */
  drain(
    endpoint: WebhookEndpoint,
    log?: (line: string) => void,
  ): Promise<Array<DeliveryOutcome & { webhookId: string }>>;
} => {
  const db = documentClientFor(options.dynamodb);
  const TableName = options.tableName;
  const entries = async (): Promise<OutboxEntry[]> => {
    const found: OutboxEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': PK },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      found.push(...((page.Items ?? []) as OutboxEntry[]));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return found;
  };
  const update = (entry: OutboxEntry, set: string, values: Record<string, unknown>) =>
    db.send(
      new UpdateCommand({
        TableName,
        Key: { pk: PK, sk: skOf(entry.webhookId) },
        UpdateExpression: `SET ${set}`,
        ConditionExpression: 'attempts = :seen AND #state = :pending',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':seen': entry.attempts, ':pending': 'pending', ...values },
      }),
    );
  return {
    async publish(messages) {
      for (const message of messages) {
        await db
          .send(
            new PutCommand({
              TableName,
              Item: {
                pk: PK,
                sk: skOf(message.webhookId),
                webhookId: message.webhookId,
                type: message.type,
                body: message.body,
                state: 'pending',
                attempts: 0,
                nextAttemptAt: options.clock.now().getTime(),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          )
          .catch((error) => {
            if (!isConditionFailure(error)) throw error;
          });
      }
    },
    entries,
    async drain(endpoint, log) {
      const now = options.clock.now().getTime();
      const due = (await entries())
        .filter((entry) => entry.state === 'pending' && entry.nextAttemptAt <= now)
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
      const outcomes: Array<DeliveryOutcome & { webhookId: string }> = [];
      for (const entry of due) {
        const attempt = entry.attempts + 1;
        try {
          await update(entry, 'attempts = :attempt, nextAttemptAt = :lease', {
            ':attempt': attempt,
            ':lease': now + CLAIM_LEASE_MS,
          });
        } catch (error) {
          if (isConditionFailure(error)) continue; // another worker has it
          throw error;
        }
        const claimed = { ...entry, attempts: attempt };
        const next = await deliverOutbound(
          { endpoint, clock: options.clock },
          { webhookId: entry.webhookId, type: entry.type, body: entry.body },
          attempt,
        );
        const at = options.clock.now().getTime();
        if (next.outcome === 'delivered') {
          // Only the marker stays (an event published again is not delivered again): the body,
          // which names the candidate, goes, as the SQS message does once delivered.
          await update(claimed, '#state = :state, deliveredAt = :at REMOVE body', {
            ':state': 'delivered',
            ':at': at,
          });
        } else if (next.outcome === 'retry') {
          await update(claimed, 'nextAttemptAt = :next, lastError = :error', {
            ':next': at + next.delayMs,
            ':error': next.reason,
          });
          log?.(
            `Outbound ${entry.type} ${entry.webhookId}: attempt ${attempt} failed (${next.reason}); next in ${next.delayMs / 1000} s`,
          );
        } else {
          await update(claimed, '#state = :state, lastError = :error', {
            ':state': 'dead',
            ':error': next.reason,
          });
          log?.(
            `Outbound ${entry.type} ${entry.webhookId}: dead-lettered after ${attempt} attempts (${next.reason})`,
          );
        }
        outcomes.push({ ...next, webhookId: entry.webhookId });
      }
      return outcomes;
    },
  };
};

export type LocalOutbox = ReturnType<typeof createLocalOutbox>;

/**
 * Drains `outbox` every `intervalMs` until stopped; a drain never overlaps the previous one.
 *
 * @example
 * const worker = startOutboundWorker(outbox, endpoint, { intervalMs: 1000 });
 * await worker.stop();
 */
export const startOutboundWorker = (
  outbox: LocalOutbox,
  endpoint: WebhookEndpoint,
  options: { readonly intervalMs?: number; readonly log?: (line: string) => void } = {},
): { stop(): Promise<void>; drainNow(): Promise<void> } => {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = running
      .then(async () => {
        if (!stopped) await outbox.drain(endpoint, options.log);
      })
      .catch((error: Error) => options.log?.(`Outbound worker: ${error.message}`));
    return running;
  };
  const timer = setInterval(tick, options.intervalMs ?? 1000);
  timer.unref?.();
  return {
    drainNow: tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
};
