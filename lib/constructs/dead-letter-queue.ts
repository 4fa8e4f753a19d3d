import { Duration, aws_sqs as sqs, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** What ends up in the queue, in words; its alarm says so. */
  readonly holds: string;
}

/**
 * A queue that keeps, for the longest time SQS allows (14 days), the messages or events that
 * could not be processed, encrypted with SQS-managed keys and reachable over TLS only.
 *
 * @example
 * const failedRuns = new DeadLetterQueue(this, 'PlannerScheduleDlq', {
 *   holds: 'planner invocations EventBridge Scheduler could not deliver',
 * });
 */
export class DeadLetterQueue extends sqs.Queue {
  public readonly holds: string;

  public constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id, {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.holds = props.holds;
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: its messages are inspected and replayed by an operator (docs/deploy.md), never consumed automatically, so a further dead-letter queue would never receive anything.',
    });
  }
}
