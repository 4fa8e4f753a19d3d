import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createSqsOutboundEvents } from '../adapters/sqs-outbound-queue';
import type { RuntimeConfig } from '../config/runtime-config';
import { quietOutbound } from '../use-cases/outbound-delivery';
import type { OutboundEvents } from '../use-cases/ports';
import { metrics } from './lambda-metrics';
import { logger } from './lambda-runtime';

/** Metric counting outbound events that could not be queued (they are lost, the work is not). */
export const OUTBOUND_PUBLISH_FAILURES_METRIC = 'OutboundPublishFailures';

let sqs: SQSClient | undefined;
/** The container's SQS client, with short time-outs: publishing must never hold up an email. */
export const outboundSqsClient = (): SQSClient => {
  sqs ??= new SQSClient({
    maxAttempts: 2,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 3000 }),
  });
  return sqs;
};

/**
 * The outbound publisher of a Lambda function that reports what happened (sender, ses-events,
 * unsubscribe): the SQS queue named by `OUTBOUND_QUEUE_URL`, wrapped so that a failure is logged
 * and counted ({@link OUTBOUND_PUBLISH_FAILURES_METRIC}) but never thrown; nothing when outbound
 * webhooks are off.
 *
 * @example
 * buildSenderDeps(config, { dynamodb, ses, unsubscribeSecrets, ...outboundSourceOf(config) });
 */
export const outboundSourceOf = (
  config: Pick<RuntimeConfig, 'outboundQueueUrl'>,
): { readonly outbound?: OutboundEvents } =>
  config.outboundQueueUrl === undefined
    ? {}
    : {
        outbound: quietOutbound(
          createSqsOutboundEvents({
            client: outboundSqsClient(),
            queueUrl: config.outboundQueueUrl,
          }),
          (error, messages) => {
            logger.warn('outbound events not queued', {
              count: messages.length,
              webhookIds: messages.map((message) => message.webhookId),
              error: (error as Error).message,
            });
            metrics.addMetric(OUTBOUND_PUBLISH_FAILURES_METRIC, 'Count', messages.length);
            metrics.publishStoredMetrics();
          },
        ),
      };
