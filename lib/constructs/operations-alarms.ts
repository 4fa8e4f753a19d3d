import {
  ArnFormat,
  aws_cloudwatch_actions as actions,
  aws_cloudwatch as cloudwatch,
  Duration,
  aws_iam as iam,
  type aws_lambda as lambda,
  Stack,
  type aws_sns as sns,
  aws_sns_subscriptions as subscriptions,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { DeadLetterQueue } from './dead-letter-queue';
import { NotificationTopic } from './notification-topic';

export interface OperationsAlarmsProps {
  /**
   * Address subscribed to the alarm topic (it must confirm the subscription).
   * @default - no subscription
   */
  readonly alarmEmail?: string;
}

/** The metric a planner run emits once it has queued all the work of its run. */
export interface PlannerRunMetric {
  /** `POWERTOOLS_METRICS_NAMESPACE` of the planner. */
  readonly namespace: string;
  /** `POWERTOOLS_SERVICE_NAME` of the planner: the value of the `service` dimension. */
  readonly serviceName: string;
}

/** Name of the metric that counts completed planner runs. */
export const RUNS_COMPLETED_METRIC = 'RunsCompleted';

/**
 * The alarms an operator must hear about, all notifying one encrypted SNS topic (with an
 * optional email subscription). Each `alarmOn…` method adds one kind of alarm.
 *
 * @example
 * const alarms = new OperationsAlarms(this, 'Alarms', { alarmEmail: 'ops@example.com' });
 * alarms.alarmOnErrors('SenderErrors', sender.function, 'sender');
 * alarms.alarmOnDeadLetters('SendDlqDepth', sendQueue.deadLetterQueue);
 */
export class OperationsAlarms extends Construct {
  public readonly topic: sns.Topic;

  public constructor(scope: Construct, id: string, props: OperationsAlarmsProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const cloudWatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const everyAlarmOfTheAccount = stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.topic = new NotificationTopic(this, 'AlarmTopic', {
      displayName: 'cert-reminders alarms',
      publisher: cloudWatch,
      publisherSourceArn: everyAlarmOfTheAccount,
    }).topic;
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowAlarmsOfThisAccountToPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': everyAlarmOfTheAccount },
        },
      }),
    );
    if (props.alarmEmail !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }
  }

  /** Alarms as soon as one message waits in `queue`. */
  public alarmOnDeadLetters(id: string, queue: DeadLetterQueue): cloudwatch.Alarm {
    return this.notify(
      new cloudwatch.Alarm(this, id, {
        alarmDescription: `Dead letters: ${queue.holds}. Inspect and replay them (docs/deploy.md).`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /** Alarms when `fn` reports an error in a five-minute period. */
  public alarmOnErrors(id: string, fn: lambda.IFunction, name: string): cloudwatch.Alarm {
    return this.notify(
      new cloudwatch.Alarm(this, id, {
        alarmDescription: `The ${name} function failed. Read its log group for the error.`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /**
   * Alarms when no planner run completed in the last 26 hours: {@link RUNS_COMPLETED_METRIC}
   * (dimension `service`) summed per hour is missing or zero in 26 consecutive hours. Missing
   * data counts as breaching, so a planner that never starts is caught too.
   */
  public alarmOnMissingRuns(id: string, metric: PlannerRunMetric): cloudwatch.Alarm {
    return this.notify(
      new cloudwatch.Alarm(this, id, {
        alarmDescription:
          'No planner run completed in 26 hours: check the schedule, its dead-letter queue and the planner log group.',
        metric: new cloudwatch.Metric({
          namespace: metric.namespace,
          metricName: RUNS_COMPLETED_METRIC,
          dimensionsMap: { service: metric.serviceName },
          period: Duration.hours(1),
          statistic: cloudwatch.Stats.SUM,
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 26,
        datapointsToAlarm: 26,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );
  }

  /**
   * Alarms on the account's SES reputation before SES itself acts (it reviews an account at
   * a 5 % bounce rate or a 0.1 % complaint rate): bounce rate above 4 %, complaint rate above
   * 0.08 %.
   */
  public alarmOnSesReputation(): cloudwatch.Alarm[] {
    const reputation = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName,
        period: Duration.hours(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      });
    return [
      this.notify(
        new cloudwatch.Alarm(this, 'SesBounceRate', {
          alarmDescription:
            'SES bounce rate above 4 %: find the source of invalid addresses before SES reviews the account.',
          metric: reputation('Reputation.BounceRate'),
          threshold: 0.04,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      ),
      this.notify(
        new cloudwatch.Alarm(this, 'SesComplaintRate', {
          alarmDescription: 'SES complaint rate above 0.08 %: recipients mark reminders as spam.',
          metric: reputation('Reputation.ComplaintRate'),
          threshold: 0.0008,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      ),
    ];
  }

  private notify(alarm: cloudwatch.Alarm): cloudwatch.Alarm {
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    return alarm;
  }
}
