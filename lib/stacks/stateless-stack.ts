import {
  CfnOutput,
  Duration,
  Stack,
  type StackProps,
  type aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { DeadLetterQueue } from '../constructs/dead-letter-queue';
import { EmailSending } from '../constructs/email-sending';
import { environmentOf } from '../constructs/function-environment';
import { OperationsAlarms } from '../constructs/operations-alarms';
import { OutboundWebhooks } from '../constructs/outbound-webhooks';
import { PlannerSchedule } from '../constructs/planner-schedule';
import { ReminderFunction, type ReminderFunctionDefaults } from '../constructs/reminder-function';
import { RemindersHttpApi } from '../constructs/reminders-http-api';
import { SendQueue } from '../constructs/send-queue';
import { LEADING_KEYS, TableAccess } from '../constructs/table-access';
import { type DeploymentSettings, SENDER_TIMEOUT_SECONDS } from './deployment-settings';

export interface StatelessStackProps extends StackProps {
  readonly settings: DeploymentSettings;
  /** Name of the table to use: the stateful stack's, or a restored copy. */
  readonly tableName: string;
  readonly webhookSecret: secretsmanager.ISecret;
  readonly unsubscribeSecret: secretsmanager.ISecret;
  /** The outbound webhooks' secret: given when `outboundWebhookUrl` is set (SPEC §8). */
  readonly outboundWebhookSecret?: secretsmanager.ISecret;
}

/** Namespace of the product's Powertools metrics. */
export const METRICS_NAMESPACE = 'CertReminders';

/** The SQS records a sender invocation receives at most. */
const SENDER_BATCH_SIZE = 10;

/**
 * Everything that can be replaced at will: the five functions (six with `outboundWebhookUrl`:
 * the outbound one and its queue), the HTTP API, the schedule, the send queue, SES sending and
 * the alarms. It reaches the stateful resources by name and ARN.
 *
 * Each function's role allows exactly the actions its handler performs, on the resources it
 * touches; on the table, only on the items whose partition key is of the kinds it works with
 * (`dynamodb:LeadingKeys`). No role can Scan, update or delete single items, or Query the
 * table, and only the planner may read the due index.
 */
export class StatelessStack extends Stack {
  public readonly httpApi: RemindersHttpApi;

  public constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { settings } = props;

    const table = new TableAccess(this, props.tableName);
    const { candidates, attempts, webhooks, suppressions, runs } = LEADING_KEYS;
    const defaults: ReminderFunctionDefaults = {
      serviceName: `cert-reminders-${settings.stage}`,
      metricsNamespace: METRICS_NAMESPACE,
      logLevel: settings.logLevel,
      logRetention: settings.logRetention,
    };
    const ruleSettings = {
      DEFAULT_TIME_ZONE: settings.defaultTimeZone,
      SEND_HOUR: String(settings.sendHour),
      EXPIRY_WARNING_DAYS: settings.expiryWarningDays,
      MAX_LATENESS_DAYS: String(settings.maxLatenessDays),
    };

    const email = new EmailSending(this, 'Email', { domain: settings.domain });

    // Outbound webhooks (SPEC §8): only when a receiver is configured, nothing otherwise.
    const outbound =
      settings.outboundWebhookUrl !== undefined && props.outboundWebhookSecret !== undefined
        ? new OutboundWebhooks(this, 'OutboundWebhooks', {
            defaults,
            url: settings.outboundWebhookUrl,
            secret: props.outboundWebhookSecret,
          })
        : undefined;
    const outboundQueue = outbound ? { OUTBOUND_QUEUE_URL: outbound.queue.queueUrl } : {};

    const ingest = new ReminderFunction(this, 'Ingest', {
      handler: 'ingest',
      description: 'Receives the signed webhooks of POST /v1/events and answers GET /v1/health',
      defaults,
      // Recording an event derives the candidate's next due instant: it follows the policy.
      policyDocument: settings.policyDocument,
      environment: environmentOf('ingest', {
        TABLE_NAME: props.tableName,
        WEBHOOK_SECRET_ARN: props.webhookSecret.secretArn,
        ...ruleSettings,
      }),
    });
    // Events change candidates, register attempts (erasures delete them in batches) and
    // remember webhook ids; the reads of one event are coalesced, so one statement covers all.
    table.allowItems(
      ingest,
      ['GetItem', 'BatchGetItem', 'PutItem', 'BatchWriteItem'],
      [candidates, attempts, webhooks],
    );
    ingest.allow(['secretsmanager:GetSecretValue'], [props.webhookSecret.secretArn]);

    const unsubscribe = new ReminderFunction(this, 'Unsubscribe', {
      handler: 'unsubscribe',
      description: 'Confirms and records unsubscribe requests (GET and POST /unsubscribe)',
      defaults,
      policyDocument: settings.policyDocument,
      // It rewrites the candidate, and with it the due-index entry the rules derive.
      environment: environmentOf('unsubscribe', {
        TABLE_NAME: props.tableName,
        UNSUBSCRIBE_SECRET_ARN: props.unsubscribeSecret.secretArn,
        ...ruleSettings,
        ...outboundQueue,
      }),
    });
    table.allowItems(unsubscribe, ['GetItem', 'BatchGetItem', 'PutItem'], [candidates]);
    unsubscribe.allow(['secretsmanager:GetSecretValue'], [props.unsubscribeSecret.secretArn]);

    this.httpApi = new RemindersHttpApi(this, 'HttpApi', {
      ingest: ingest.function,
      unsubscribe: unsubscribe.function,
      rateLimit: settings.apiRateLimit,
      burstLimit: settings.apiBurstLimit,
      accessLogRetention: settings.logRetention,
    });

    const senderTimeout = Duration.seconds(SENDER_TIMEOUT_SECONDS);
    const sendQueue = new SendQueue(this, 'SendQueue', { consumerTimeout: senderTimeout });

    const planner = new ReminderFunction(this, 'Planner', {
      handler: 'planner',
      description:
        'Finds the reminders due at the run instant and queues one send job per candidate',
      defaults,
      timeout: Duration.minutes(5),
      memorySize: 512,
      environment: environmentOf('planner', {
        TABLE_NAME: props.tableName,
        SEND_QUEUE_URL: sendQueue.queue.queueUrl,
      }),
    });
    table.allowDueIndexQuery(planner);
    table.allowItems(planner, ['PutItem'], [runs]);
    planner.allow(['sqs:SendMessage'], [sendQueue.queue.queueArn]);
    const schedule = new PlannerSchedule(this, 'PlannerSchedule', {
      planner: planner.function,
      cron: settings.schedule,
    });

    const sender = new ReminderFunction(this, 'Sender', {
      handler: 'sender',
      description:
        'Emails the digest of each queued candidate through SES, within the account send rate',
      defaults,
      policyDocument: settings.policyDocument,
      timeout: senderTimeout,
      memorySize: 512,
      environment: environmentOf('sender', {
        TABLE_NAME: props.tableName,
        EMAIL_FROM: settings.fromAddress,
        PUBLIC_URL: this.httpApi.url,
        SES_CONFIGURATION_SET: email.configurationSet.configurationSetName,
        UNSUBSCRIBE_SECRET_ARN: props.unsubscribeSecret.secretArn,
        SES_MAX_SEND_RATE: String(settings.sesMaxSendRate),
        SENDER_CONCURRENCY: String(settings.senderConcurrency),
        CLAIM_LEASE_SECONDS: String(settings.claimLeaseSeconds),
        ...ruleSettings,
        ...outboundQueue,
      }),
    });
    // A candidate and its addresses' suppression entries may be read in one BatchGetItem.
    table.allowItems(sender, ['GetItem', 'BatchGetItem'], [candidates, suppressions]);
    table.allowItems(sender, ['PutItem'], [candidates]);
    email.allowSending(sender);
    sender.allow(['secretsmanager:GetSecretValue'], [props.unsubscribeSecret.secretArn]);
    sender.function.addEventSource(
      new SqsEventSource(sendQueue.queue, {
        batchSize: SENDER_BATCH_SIZE,
        maxConcurrency: settings.senderConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    const sesEventsDeadLetters = new DeadLetterQueue(this, 'SesEventsDeadLetterQueue', {
      holds: 'SES bounce and complaint notifications the ses-events function failed to record',
    });
    const sesEvents = new ReminderFunction(this, 'SesEvents', {
      handler: 'ses-events',
      description: 'Suppresses the addresses of SES hard bounces and complaints',
      defaults,
      deadLetterQueue: sesEventsDeadLetters,
      // With outbound webhooks, it names the candidates of a bounced address: from the address
      // indexes and from the bounced email's unsubscribe token.
      environment: environmentOf('ses-events', {
        TABLE_NAME: props.tableName,
        ...(outbound
          ? { ...outboundQueue, UNSUBSCRIBE_SECRET_ARN: props.unsubscribeSecret.secretArn }
          : {}),
      }),
    });
    table.allowItems(sesEvents, ['PutItem'], [suppressions]);
    email.bounceAndComplaintTopic.addSubscription(new LambdaSubscription(sesEvents.function));

    const alarms = new OperationsAlarms(this, 'Alarms', { alarmEmail: settings.alarmEmail });
    alarms.alarmOnDeadLetters('SendDeadLettersAlarm', sendQueue.deadLetterQueue);
    alarms.alarmOnDeadLetters('ScheduleDeadLettersAlarm', schedule.deadLetterQueue);
    alarms.alarmOnDeadLetters('SesEventsDeadLettersAlarm', sesEventsDeadLetters);
    if (outbound) {
      for (const publisher of [sender, unsubscribe, sesEvents]) outbound.allowPublishing(publisher);
      sesEvents.allow(['secretsmanager:GetSecretValue'], [props.unsubscribeSecret.secretArn]);
      table.allowAddressIndexQuery(sesEvents);
      alarms.alarmOnDeadLetters('OutboundDeadLettersAlarm', outbound.deadLetterQueue);
      alarms.alarmOnErrors('OutboundErrorsAlarm', outbound.function.function, 'outbound');
      new CfnOutput(this, 'OutboundDeadLetterQueueUrl', {
        value: outbound.deadLetterQueue.queueUrl,
      });
    }
    for (const [name, fn] of Object.entries({
      ingest,
      unsubscribe,
      planner,
      sender,
      'ses-events': sesEvents,
    })) {
      alarms.alarmOnErrors(`${fn.node.id}ErrorsAlarm`, fn.function, name);
    }
    alarms.alarmOnMissingRuns('PlannerMissedRunsAlarm', {
      namespace: METRICS_NAMESPACE,
      serviceName: defaults.serviceName,
    });
    alarms.alarmOnSesReputation();

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url });
    new CfnOutput(this, 'SendQueueUrl', { value: sendQueue.queue.queueUrl });
    new CfnOutput(this, 'SendDeadLetterQueueArn', { value: sendQueue.deadLetterQueue.queueArn });
    new CfnOutput(this, 'SendDeadLetterQueueUrl', { value: sendQueue.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'ScheduleDeadLetterQueueUrl', { value: schedule.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'SesEventsDeadLetterQueueUrl', { value: sesEventsDeadLetters.queueUrl });
    new CfnOutput(this, 'SesEventsFunctionName', { value: sesEvents.function.functionName });
    new CfnOutput(this, 'PlannerFunctionName', { value: planner.function.functionName });
    new CfnOutput(this, 'ConfigurationSetName', {
      value: email.configurationSet.configurationSetName,
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
  }
}
