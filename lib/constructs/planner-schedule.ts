import {
  Duration,
  aws_iam as iam,
  type aws_lambda as lambda,
  aws_scheduler as scheduler,
  TimeZone,
} from 'aws-cdk-lib';
import {
  ScheduleTargetBase,
  type ScheduleTargetBaseProps,
} from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';

export interface PlannerScheduleProps {
  readonly planner: lambda.IFunction;
  /** Five-field cron, evaluated in UTC (SPEC `SCHEDULE`). */
  readonly cron: string;
}

/**
 * The EventBridge Scheduler schedule that starts a planner run. The planner receives
 * `{"runAt": "<scheduled time>"}`: the instant the run was due, not the instant it started, so a
 * delayed or retried invocation judges exactly what the on-time run would have judged.
 *
 * Scheduler retries an invocation it cannot deliver (throttling, service errors) for up to two
 * hours, then puts it in the dead-letter queue. Its role may invoke the planner's unqualified
 * ARN only, the one the schedule targets (the stock `LambdaInvoke` target also grants every
 * version and alias, `<arn>:*`).
 *
 * @example
 * new PlannerSchedule(this, 'PlannerSchedule', { planner: planner.function, cron: '0 13 * * *' });
 */
export class PlannerSchedule extends Construct {
  public readonly schedule: scheduler.Schedule;
  public readonly deadLetterQueue: DeadLetterQueue;

  public constructor(scope: Construct, id: string, props: PlannerScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
      holds: 'planner runs EventBridge Scheduler could not start',
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `Starts a planner run (${props.cron} UTC)`,
      schedule: scheduler.ScheduleExpression.expression(
        schedulerCronExpression(props.cron),
        TimeZone.ETC_UTC,
      ),
      target: new UnqualifiedLambdaInvoke(props.planner, {
        input: scheduler.ScheduleTargetInput.fromObject({
          runAt: scheduler.ContextAttribute.scheduledTime,
        }),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 5,
        maxEventAge: Duration.hours(2),
      }),
    });
  }
}

/** Invokes a Lambda function through its unqualified ARN, with permission for that ARN alone. */
class UnqualifiedLambdaInvoke extends ScheduleTargetBase {
  public constructor(fn: lambda.IFunction, props: ScheduleTargetBaseProps) {
    super(props, fn.functionArn);
  }

  protected addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.targetArn] }),
    );
  }
}

/**
 * Turns a five-field cron (`minute hour day-of-month month day-of-week`, as in SPEC `SCHEDULE`)
 * into an EventBridge Scheduler `cron()` expression: a year field is added, the unrestricted
 * day field becomes `?`, and numeric days of the week move from 0–7 (Sunday = 0 or 7) to 1–7
 * (Sunday = 1). An expression already written as `cron(…)` or `rate(…)` is kept as it is.
 *
 * @throws Error when the expression does not have five fields, or restricts both day fields
 * (which Scheduler cannot express).
 * @example
 * schedulerCronExpression('0 13 * * *'); // 'cron(0 13 * * ? *)'
 * schedulerCronExpression('30 6 * * 1-5'); // 'cron(30 6 ? * 2-6 *)'
 */
export const schedulerCronExpression = (cron: string): string => {
  const trimmed = cron.trim();
  if (/^(cron|rate)\(.+\)$/.test(trimmed)) return trimmed;
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) {
    throw new Error(`schedule must be a five-field cron such as "0 13 * * *", got "${cron}"`);
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [
    string,
    string,
    string,
    string,
    string,
  ];
  const unrestricted = (field: string) => field === '*' || field === '?';
  if (unrestricted(dayOfWeek))
    return `cron(${minute} ${hour} ${unrestricted(dayOfMonth) ? '*' : dayOfMonth} ${month} ? *)`;
  if (!unrestricted(dayOfMonth)) {
    throw new Error(
      `schedule cannot restrict both the day of the month and of the week: "${cron}"`,
    );
  }
  return `cron(${minute} ${hour} ? ${month} ${schedulerDaysOfWeek(dayOfWeek, cron)} *)`;
};

/** Renumbers the days of a cron day-of-week field from 0–7 (Sunday 0 or 7) to 1–7 (Sunday 1). */
const schedulerDaysOfWeek = (field: string, cron: string): string =>
  field
    .split(',')
    .map((part) => {
      const [range = '', step] = part.split('/');
      const days = range
        .split('-')
        .map((day) => (/^\d+$/.test(day) ? String((Number(day) % 7) + 1) : day));
      const [first, last] = days.map(Number);
      if (days.length === 2 && first !== undefined && last !== undefined && first > last) {
        throw new Error(`schedule has a day-of-week range Scheduler cannot express: "${cron}"`);
      }
      return [days.join('-'), step].filter((piece) => piece !== undefined).join('/');
    })
    .join(',');
