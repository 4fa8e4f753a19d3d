import { Duration, type aws_secretsmanager as secretsmanager, aws_sqs as sqs } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { OUTBOUND_MAX_ATTEMPTS } from '../../functions/domain/outbound-schedule';
import { DeadLetterQueue } from './dead-letter-queue';
import { environmentOf } from './function-environment';
import { ReminderFunction, type ReminderFunctionDefaults } from './reminder-function';

export interface OutboundWebhooksProps {
  readonly defaults: ReminderFunctionDefaults;
  /** `OUTBOUND_WEBHOOK_URL`: the programme's receiver. */
  readonly url: string;
  /** The `whsec_…` secret the events are signed with (`OUTBOUND_WEBHOOK_SECRET`). */
  readonly secret: secretsmanager.ISecret;
}

/** Timeout of the outbound function: a batch is delivered in parallel, 10 s per attempt. */
const OUTBOUND_TIMEOUT = Duration.seconds(30);
/** The SQS records an outbound invocation receives at most. */
const OUTBOUND_BATCH_SIZE = 10;

/**
 * Outbound webhooks on AWS (SPEC §8): the queue the other functions feed, its dead-letter queue,
 * and the outbound function that drains it. The function sets each failed message's visibility
 * to the retry schedule's next delay; the redrive policy's `maxReceiveCount` is the schedule's
 * number of attempts ({@link OUTBOUND_MAX_ATTEMPTS}), so an event reaches the dead-letter queue
 * only after at least 24 hours of retries. Messages are kept 4 days, well beyond that.
 *
 * Publishers get `sqs:SendMessage` on the queue with {@link OutboundWebhooks.allowPublishing}.
 *
 * @example
 * const outbound = new OutboundWebhooks(this, 'Outbound', { defaults, url, secret });
 * outbound.allowPublishing(sender);
 */
export class OutboundWebhooks extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: DeadLetterQueue;
  public readonly function: ReminderFunction;

  public constructor(scope: Construct, id: string, props: OutboundWebhooksProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
      holds: 'outbound webhooks the receiver did not accept in 24 hours of retries',
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(OUTBOUND_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: OUTBOUND_MAX_ATTEMPTS },
    });
    this.function = new ReminderFunction(scope, 'Outbound', {
      handler: 'outbound',
      description: 'Delivers the outbound webhooks to the programme, signed, with retries',
      defaults: props.defaults,
      timeout: OUTBOUND_TIMEOUT,
      environment: environmentOf('outbound', {
        OUTBOUND_QUEUE_URL: this.queue.queueUrl,
        OUTBOUND_WEBHOOK_URL: props.url,
        OUTBOUND_WEBHOOK_SECRET_ARN: props.secret.secretArn,
      }),
    });
    this.function.allow(['secretsmanager:GetSecretValue'], [props.secret.secretArn]);
    // The event source grants receiving, deleting and changing the visibility of messages.
    this.function.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: OUTBOUND_BATCH_SIZE,
        maxConcurrency: 2,
        reportBatchItemFailures: true,
      }),
    );
  }

  /** Lets `publisher` queue outbound events, and nothing else on the queue. */
  public allowPublishing(publisher: ReminderFunction): void {
    publisher.allow(['sqs:SendMessage'], [this.queue.queueArn]);
  }
}
