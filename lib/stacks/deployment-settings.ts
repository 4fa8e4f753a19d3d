import { aws_logs as logs } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { ruleSettingsFromEnv } from '../../functions/domain/rule-settings';
import { schedulerCronExpression } from '../constructs/planner-schedule';

/** Everything an operator can set with `cdk deploy -c key=value` (or `context` in `cdk.json`). */
export interface DeploymentSettings {
  /** Short name of the deployment, part of every stack name (`stage`). */
  readonly stage: string;
  /** `From` header of every email, `Name <address>` or a bare address (`fromAddress`). */
  readonly fromAddress: string;
  /** Domain to verify in SES with Easy DKIM; unset when the identity is managed elsewhere (`domain`). */
  readonly domain?: string;
  /** Address subscribed to the alarm topic (`alarmEmail`). */
  readonly alarmEmail?: string;
  /** When the planner runs, five-field cron in UTC (`schedule`). */
  readonly schedule: string;
  /** Emails per second the SES account may send, shared by all sender instances (`sesMaxSendRate`). */
  readonly sesMaxSendRate: number;
  /** Most sender instances the send queue may drive at once, 2 to 1000 (`senderConcurrency`). */
  readonly senderConcurrency: number;
  /**
   * Seconds a sender's claim on a candidate's reminders holds before another sender may take it
   * over (`claimLeaseSeconds`, the sender's `CLAIM_LEASE_SECONDS`); at least the sender's timeout.
   */
  readonly claimLeaseSeconds: number;
  /** Zone of candidates without one (`defaultTimeZone`). */
  readonly defaultTimeZone: string;
  /** Hours after local midnight at which reminders fall due (`sendHour`). */
  readonly sendHour: number;
  /** Days before expiry of each `expiring_soon` reminder, comma-separated (`expiryWarningDays`). */
  readonly expiryWarningDays: string;
  /** Days after which a missed reminder is skipped as stale (`maxLatenessDays`). */
  readonly maxLatenessDays: number;
  /** Name of an existing table to use instead of the stateful stack's, e.g. a restored one (`tableName`). */
  readonly tableName?: string;
  /** Retention of every log group (`logRetentionDays`). */
  readonly logRetention: logs.RetentionDays;
  /** Powertools log level of every function (`logLevel`). */
  readonly logLevel: string;
  /** Steady requests per second the HTTP API accepts (`apiRateLimit`). */
  readonly apiRateLimit: number;
  /** Requests the HTTP API accepts in a burst (`apiBurstLimit`). */
  readonly apiBurstLimit: number;
}

/** The values used for context keys that are not set. */
export const DEFAULT_DEPLOYMENT_SETTINGS = {
  stage: 'dev',
  fromAddress: 'Certification Reminders <reminders@example.com>',
  schedule: '0 13 * * *',
  sesMaxSendRate: 10,
  senderConcurrency: 2,
  claimLeaseSeconds: 900,
  defaultTimeZone: 'UTC',
  sendHour: 0,
  expiryWarningDays: '30',
  maxLatenessDays: 14,
  logRetentionDays: 30,
  logLevel: 'INFO',
  apiRateLimit: 50,
  apiBurstLimit: 100,
} as const;

/**
 * Timeout of the sender function. A claim must outlast any sender still running (SPEC §1), so
 * the claim lease may not be shorter.
 */
export const SENDER_TIMEOUT_SECONDS = 120;
/** The longest claim lease the sender accepts (a day). */
const MAX_CLAIM_LEASE_SECONDS = 86_400;

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];
const EMAIL_ADDRESS = /^[^\s@<>]+@([^\s@<>]+\.[^\s@<>]+)$/;
const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Reads and validates the deployment settings from the CDK context of `node`, falling back to
 * {@link DEFAULT_DEPLOYMENT_SETTINGS}. Values given on the command line arrive as strings and
 * are parsed like those from `cdk.json`.
 *
 * @throws Error naming the context key when a value is invalid, so `cdk synth` stops early.
 * @example
 * const settings = readDeploymentSettings(app.node);
 * settings.senderConcurrency; // 2 unless `-c senderConcurrency=…` is given
 */
export const readDeploymentSettings = (node: Node): DeploymentSettings => {
  const text = (key: string): string | undefined => {
    const value = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    return Array.isArray(value) ? value.join(',') : String(value).trim();
  };
  const integer = (key: keyof typeof DEFAULT_DEPLOYMENT_SETTINGS, min: number, max: number) => {
    const value = text(key) ?? String(DEFAULT_DEPLOYMENT_SETTINGS[key]);
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
      throw new Error(
        `context ${key} must be a whole number from ${min} to ${max}, got "${value}"`,
      );
    }
    return parsed;
  };

  const stage = text('stage') ?? DEFAULT_DEPLOYMENT_SETTINGS.stage;
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(
      `context stage must be 1-20 lower-case letters, digits or dashes, got "${stage}"`,
    );
  }

  const fromAddress = text('fromAddress') ?? DEFAULT_DEPLOYMENT_SETTINGS.fromAddress;
  const fromDomain = emailDomain(fromAddress);
  if (fromDomain === undefined) {
    throw new Error(
      `context fromAddress must be "Name <address>" or an address, got "${fromAddress}"`,
    );
  }

  const domain = text('domain')?.toLowerCase();
  if (domain !== undefined) {
    if (!DOMAIN_NAME.test(domain))
      throw new Error(`context domain is not a domain name: "${domain}"`);
    if (fromDomain !== domain && !fromDomain.endsWith(`.${domain}`)) {
      throw new Error(
        `context fromAddress (${fromAddress}) must be an address at ${domain} or a subdomain`,
      );
    }
  }

  const alarmEmail = text('alarmEmail');
  if (alarmEmail !== undefined && !EMAIL_ADDRESS.test(alarmEmail)) {
    throw new Error(`context alarmEmail is not an email address: "${alarmEmail}"`);
  }

  const schedule = text('schedule') ?? DEFAULT_DEPLOYMENT_SETTINGS.schedule;
  schedulerCronExpression(schedule);

  const rules = ruleSettingsFromEnv({
    DEFAULT_TIME_ZONE: text('defaultTimeZone') ?? DEFAULT_DEPLOYMENT_SETTINGS.defaultTimeZone,
    SEND_HOUR: text('sendHour') ?? String(DEFAULT_DEPLOYMENT_SETTINGS.sendHour),
    EXPIRY_WARNING_DAYS: text('expiryWarningDays') ?? DEFAULT_DEPLOYMENT_SETTINGS.expiryWarningDays,
    MAX_LATENESS_DAYS:
      text('maxLatenessDays') ?? String(DEFAULT_DEPLOYMENT_SETTINGS.maxLatenessDays),
  });

  const logRetentionDays = integer('logRetentionDays', 1, 3653);
  if (!Object.values(logs.RetentionDays).includes(logRetentionDays)) {
    throw new Error(
      `context logRetentionDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, …), got ${logRetentionDays}`,
    );
  }

  const logLevel = (text('logLevel') ?? DEFAULT_DEPLOYMENT_SETTINGS.logLevel).toUpperCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`context logLevel must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  return {
    stage,
    fromAddress,
    domain,
    alarmEmail,
    schedule,
    sesMaxSendRate: integer('sesMaxSendRate', 1, 100_000),
    senderConcurrency: integer('senderConcurrency', 2, 1000),
    claimLeaseSeconds: integer(
      'claimLeaseSeconds',
      SENDER_TIMEOUT_SECONDS,
      MAX_CLAIM_LEASE_SECONDS,
    ),
    defaultTimeZone: rules.defaultTimeZone,
    sendHour: rules.sendHour,
    expiryWarningDays: rules.expiryWarningDays.join(','),
    maxLatenessDays: rules.maxLatenessDays,
    tableName: text('tableName'),
    logRetention: logRetentionDays as logs.RetentionDays,
    logLevel,
    apiRateLimit: integer('apiRateLimit', 1, 10_000),
    apiBurstLimit: integer('apiBurstLimit', 1, 5_000),
  };
};

/** The domain of a `Name <address>` or bare address, lower-cased; `undefined` when malformed. */
const emailDomain = (from: string): string | undefined => {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  return EMAIL_ADDRESS.exec(address.trim())?.[1]?.toLowerCase();
};
