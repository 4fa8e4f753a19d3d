import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SQSClient } from '@aws-sdk/client-sqs';
import { TABLE_DESIGN } from '../adapters/dynamodb/table-design';
import { createSqsSendQueue } from '../adapters/sqs-send-queue';
import { type RuntimeConfig, required } from '../config/runtime-config';
import { parseInstant } from '../domain/calendar';
import { type PlanRunDeps, type PlanSummary, planRun } from '../use-cases/plan-run';
import { type Clock, type RunLog, type SendQueue, systemClock } from '../use-cases/ports';
import { type Sources, storesFor } from './composition';
import { metrics } from './lambda-metrics';
import { dynamoClient, lambdaEntry, logger } from './lambda-runtime';

/** What EventBridge Scheduler sends: the scheduled time as the run instant. */
export interface PlannerEvent {
  readonly runAt?: string;
  readonly dryRun?: boolean;
}

export interface PlannerDeps extends PlanRunDeps {
  readonly runs: RunLog;
  readonly clock: Clock;
  readonly onPlanned?: (summary: PlanSummary) => void;
}

/**
 * The planner: a run at the scheduled instant (or now) queues one send request per candidate with
 * reminders due, and records that the run happened.
 *
 * @example
 * const planner = makePlanner({ candidates, runs, clock, queue, shards: 16 });
 * await planner({ runAt: '2027-11-29T13:00:00Z' });
 */
export const makePlanner =
  (deps: PlannerDeps) =>
  async (event: PlannerEvent): Promise<PlanSummary> => {
    const runAt = event.runAt
      ? parseInstant(event.runAt)
      : { epochMilliseconds: deps.clock.now().getTime() };
    const started = deps.clock.now().getTime();
    const summary = await planRun(deps, runAt, event.dryRun ? { dryRun: true } : {});
    // A dry run records nothing, not even that a run happened (the missed-run alarm counts real ones).
    if (event.dryRun) return summary;
    await deps.runs.recordRun(summary.runAt, {
      candidates: summary.candidates,
      queries: summary.queries,
      // Wall-clock milliseconds the planning took (the operations console shows it).
      durationMs: deps.clock.now().getTime() - started,
    });
    deps.onPlanned?.(summary);
    return summary;
  };

/**
 * The planner's composition root, for Lambda and the local stack alike; the queue is the
 * transport (SQS on AWS, in-process locally).
 */
export const buildPlannerDeps = (
  config: RuntimeConfig,
  sources: Sources & {
    readonly queue: SendQueue;
    readonly onPlanned?: (summary: PlanSummary) => void;
  },
): PlannerDeps => {
  const stores = storesFor(config, sources);
  return {
    candidates: stores.candidates,
    runs: stores.runs,
    clock: sources.clock ?? systemClock,
    queue: sources.queue,
    shards: TABLE_DESIGN.dueShards,
    ...(sources.onPlanned ? { onPlanned: sources.onPlanned } : {}),
  };
};

/** The Lambda entry point invoked by EventBridge Scheduler. */
export const handler = lambdaEntry((config) =>
  makePlanner(
    buildPlannerDeps(config, {
      dynamodb: dynamoClient(),
      queue: createSqsSendQueue({
        client: new SQSClient({}),
        queueUrl: required(config.sendQueueUrl, 'SEND_QUEUE_URL'),
      }),
      onPlanned: (summary) => {
        metrics.addMetric('RunsCompleted', 'Count', 1);
        metrics.addMetric('CandidatesDue', 'Count', summary.candidates);
        logger.info('run planned', { summary });
      },
    }),
  ),
).use(logMetrics(metrics));
