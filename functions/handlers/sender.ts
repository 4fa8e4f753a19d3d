import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { classifySesError, createRateLimiter, createSesMailer } from '../adapters/ses-mailer';
import { type RuntimeConfig, required } from '../config/runtime-config';
import type { OutboundEvents, SendRequest } from '../use-cases/ports';
import {
  type CandidateRunReport,
  type SenderDeps,
  sendCandidateReminders,
} from '../use-cases/send-candidate-reminders';
import { type Sources, sharedDeps } from './composition';
import { metrics } from './lambda-metrics';
import { outboundSourceOf } from './lambda-outbound';
import { dynamoClient, lambdaEntry, logger } from './lambda-runtime';
import { secretListOf } from './lambda-secrets';

export interface SenderHandlerDeps extends SenderDeps {
  /** Receives each candidate's report (the local runner collects them; on AWS they are logged). */
  readonly onReport?: (report: CandidateRunReport) => void;
}

/**
 * The sender: one SQS message per candidate of a run. Messages whose send failed for a retryable
 * reason are reported as batch item failures, so only they are retried (and dead-lettered after
 * the queue's receive limit).
 *
 * @example
 * const sender = makeSender({ store, settings, mailer, emailFrom, publicUrl, unsubscribeSecrets });
 * const { batchItemFailures } = await sender(sqsEvent);
 */
export const makeSender = (deps: SenderHandlerDeps) => {
  const processor = new BatchProcessor(EventType.SQS);
  const processRecord = async (record: SQSRecord) => {
    const request = JSON.parse(record.body) as SendRequest;
    const report = await sendCandidateReminders(deps, request);
    deps.onReport?.(report);
  };
  return (event: SQSEvent): Promise<SQSBatchResponse> =>
    processPartialResponse(event, processRecord, processor, { throwOnFullBatchFailure: false });
};

const rateLimiterAcquire = (limiter: { acquire(): Promise<void> }) => () => limiter.acquire();

/**
 * The sender's composition root, for Lambda and the local stack alike. Each sender instance sends
 * at `SES_MAX_SEND_RATE / SENDER_CONCURRENCY`, so together they keep to the account's rate; the
 * local stack runs one (`SENDER_CONCURRENCY` 1) whose limiter serves every run.
 */
export const buildSenderDeps = (
  config: RuntimeConfig,
  sources: Sources & {
    readonly ses: SESv2Client;
    readonly unsubscribeSecrets: () => Promise<readonly string[]>;
    readonly onReport?: (report: CandidateRunReport) => void;
    readonly outbound?: OutboundEvents;
  },
): SenderHandlerDeps => ({
  ...sharedDeps(config, sources),
  claimLeaseSeconds: config.claimLeaseSeconds,
  mailer: createSesMailer({
    client: sources.ses,
    ...(config.sesConfigurationSet ? { configurationSetName: config.sesConfigurationSet } : {}),
  }),
  pace: rateLimiterAcquire(createRateLimiter(config.sesMaxSendRate / config.senderConcurrency)),
  classifyFailure: classifySesError,
  emailFrom: config.emailFrom,
  publicUrl: required(config.publicUrl, 'PUBLIC_URL'),
  unsubscribeSecrets: sources.unsubscribeSecrets,
  ...(sources.onReport ? { onReport: sources.onReport } : {}),
  ...(sources.outbound ? { outbound: sources.outbound } : {}),
});

/** The Lambda entry point fed by the send queue. */
export const handler = lambdaEntry((config) =>
  makeSender(
    buildSenderDeps(config, {
      dynamodb: dynamoClient(),
      ses: new SESv2Client({}),
      unsubscribeSecrets: secretListOf(config.unsubscribeSecret, 'UNSUBSCRIBE_SECRET'),
      ...outboundSourceOf(config),
      onReport: (report) => {
        if (report.email) metrics.addMetric('EmailsSent', 'Count', 1);
        if (report.skipped.length > 0)
          metrics.addMetric('RemindersSkipped', 'Count', report.skipped.length);
        if (report.failure) metrics.addMetric('EmailsFailed', 'Count', 1);
        // Ids and counts only: never an address, a name or a subject (SPEC §11).
        logger.info('candidate processed', {
          candidateId: report.candidateId,
          sent: report.email ? report.email.reminders.length : 0,
          skipped: report.skipped.length,
          failed: report.failure === undefined ? 0 : 1,
        });
      },
    }),
  ),
).use(logMetrics(metrics));
