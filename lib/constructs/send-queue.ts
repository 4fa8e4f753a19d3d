import { Duration, aws_sqs as sqs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';

export interface SendQueueProps {
  /** Timeout of the consuming function; the visibility timeout is six times as long. */
  readonly consumerTimeout: Duration;
  /**
   * Receives of a message before it moves to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
}

/**
 * The queue of per-candidate send work, from the planner to the sender, with its dead-letter
 * queue. Both are encrypted with SQS-managed keys and refuse requests without TLS.
 *
 * The visibility timeout is six times the consumer's timeout, as Lambda recommends for SQS event
 * sources, so a message is not handed to a second sender while the first may still be working.
 *
 * @example
 * const sendQueue = new SendQueue(this, 'SendQueue', { consumerTimeout: Duration.minutes(2) });
 */
export class SendQueue extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: DeadLetterQueue;

  public constructor(scope: Construct, id: string, props: SendQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
      holds: 'send work that failed every attempt',
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
  }
}
