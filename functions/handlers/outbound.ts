import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { outboundMessageOf, retryLater } from '../adapters/sqs-outbound-queue';
import { createWebhookEndpoint } from '../adapters/webhook-endpoint';
import { parseWebhookSecrets } from '../adapters/webhook-signature';
import { type RuntimeConfig, required } from '../config/runtime-config';
import { deliverOutbound } from '../use-cases/outbound-delivery';
import { type Clock, systemClock, type WebhookEndpoint } from '../use-cases/ports';
import { metrics } from './lambda-metrics';
import { outboundSqsClient } from './lambda-outbound';
import { lambdaEntry, logger } from './lambda-runtime';
import { secretListOf } from './lambda-secrets';

export interface OutboundDeps {
  readonly endpoint: WebhookEndpoint;
  readonly clock: Clock;
  /** Makes a received message visible again after `delayMs`: the wait before its next attempt. */
  readonly retryLater: (receiptHandle: string, delayMs: number) => Promise<void>;
  readonly log?: Pick<typeof logger, 'info' | 'warn' | 'error'>;
  /** Counts deliveries, retries and dead letters (CloudWatch metrics on AWS). */
  readonly count?: (outcome: 'delivered' | 'retry' | 'dead-letter') => void;
}

/**
 * The outbound function (SPEC §8): each SQS message is one event, POSTed to
 * `OUTBOUND_WEBHOOK_URL` signed afresh. The attempt number is the message's
 * `ApproximateReceiveCount`; a failed attempt puts the message back with the schedule's delay
 * (`ChangeMessageVisibility`) and reports it as a batch item failure, so only it is retried. The
 * last attempt's failure leaves it to the redrive policy, whose `maxReceiveCount` is the
 * schedule's number of attempts: the dead-letter queue receives it after at least 24 hours.
 *
 * @example
 * const outbound = makeOutbound({ endpoint, clock, retryLater: async () => {} });
 * const { batchItemFailures } = await outbound(sqsEvent);
 */
export const makeOutbound =
  (deps: OutboundDeps) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const attemptOne = async (record: SQSRecord): Promise<string | undefined> => {
      let message: ReturnType<typeof outboundMessageOf>;
      try {
        message = outboundMessageOf(record.body);
      } catch {
        deps.log?.error('dropped a message that is not an outbound event', {
          sqsMessageId: record.messageId,
        });
        return undefined;
      }
      const attempt = Math.max(1, Number(record.attributes.ApproximateReceiveCount) || 1);
      const next = await deliverOutbound(deps, message, attempt);
      deps.count?.(next.outcome);
      const about = { webhookId: message.webhookId, type: message.type, attempt };
      if (next.outcome === 'delivered') {
        deps.log?.info('outbound event delivered', { ...about, status: next.status });
        return undefined;
      }
      if (next.outcome === 'dead-letter') {
        deps.log?.error('outbound event failed its last attempt: dead-lettered', {
          ...about,
          reason: next.reason,
        });
        return record.messageId;
      }
      deps.log?.warn('outbound event not delivered, will retry', {
        ...about,
        reason: next.reason,
        retryInSeconds: next.delayMs / 1000,
      });
      await deps
        .retryLater(record.receiptHandle, next.delayMs)
        .catch((error: Error) =>
          deps.log?.warn('could not delay the retry', { ...about, error: error.message }),
        );
      return record.messageId;
    };
    const failed = await Promise.all(event.Records.map(attemptOne));
    return {
      batchItemFailures: failed.flatMap((id) => (id === undefined ? [] : [{ itemIdentifier: id }])),
    };
  };

/** Reads `OUTBOUND_WEBHOOK_SECRET` as one or more `whsec_` secrets, the first signing. */
export const parseOutboundSecrets = (value: string): string[] => {
  try {
    return parseWebhookSecrets(value);
  } catch {
    throw new Error('OUTBOUND_WEBHOOK_SECRET must hold whsec_<base64> secrets, comma-separated');
  }
};

/** The outbound function's composition root, for Lambda and the local stack alike. */
export const buildOutboundDeps = (
  config: RuntimeConfig,
  sources: {
    readonly secrets: () => Promise<readonly string[]>;
    readonly retryLater: OutboundDeps['retryLater'];
    readonly clock?: Clock;
    readonly fetch?: typeof fetch;
    readonly timeoutMs?: number;
    readonly log?: OutboundDeps['log'];
    readonly count?: OutboundDeps['count'];
  },
): OutboundDeps => ({
  endpoint: createWebhookEndpoint({
    url: required(config.outboundWebhookUrl, 'OUTBOUND_WEBHOOK_URL'),
    secrets: sources.secrets,
    ...(sources.fetch ? { fetch: sources.fetch } : {}),
    ...(sources.timeoutMs ? { timeoutMs: sources.timeoutMs } : {}),
  }),
  clock: sources.clock ?? systemClock,
  retryLater: sources.retryLater,
  ...(sources.log ? { log: sources.log } : {}),
  ...(sources.count ? { count: sources.count } : {}),
});

const METRIC_OF = {
  delivered: 'OutboundDelivered',
  retry: 'OutboundRetried',
  'dead-letter': 'OutboundDeadLettered',
} as const;

/** The Lambda entry point fed by the outbound queue. */
export const handler = lambdaEntry((config) => {
  const queue = {
    client: outboundSqsClient(),
    queueUrl: required(config.outboundQueueUrl, 'OUTBOUND_QUEUE_URL'),
  };
  return makeOutbound(
    buildOutboundDeps(config, {
      secrets: secretListOf(
        config.outboundWebhookSecret,
        'OUTBOUND_WEBHOOK_SECRET',
        parseOutboundSecrets,
      ),
      retryLater: (receiptHandle, delayMs) => retryLater(queue, receiptHandle, delayMs),
      log: logger,
      count: (outcome) => metrics.addMetric(METRIC_OF[outcome], 'Count', 1),
    }),
  );
}).use(logMetrics(metrics));
