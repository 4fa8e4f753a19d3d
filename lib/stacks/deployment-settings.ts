import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { aws_logs as logs } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { settingsWithPolicy } from '../../functions/domain/policy-schema';
import { type RuleSettings, ruleSettingsFromEnv } from '../../functions/domain/rule-settings';
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
  /**
   * The programme's receiver of outbound webhooks, an `https://` URL (`outboundWebhookUrl`,
   * SPEC §8); unset, no outbound resources are created.
   */
  readonly outboundWebhookUrl?: string;
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
  /**
   * The credential policy file (SPEC §9), relative to the working directory (`policyFile`, else
   * the `POLICY_FILE` environment variable); unset: the default policy for every credential.
   */
  readonly policyFile?: string;
  /** The policy file's validated content, bundled into the functions that compute reminders. */
  readonly policyDocument?: string;
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
 * Reads and validates the policy file of a deployment with the very parser the functions use,
 * so `cdk synth` refuses an invalid one naming the field and the reason.
 */
const readPolicy = (
  source: { readonly label: string; readonly path: string } | undefined,
  rules: RuleSettings,
): string | undefined => {
  if (source === undefined) return undefined;
  const where = `${source.label} ${source.path}`;
  let text: string;
  try {
    text = readFileSync(resolve(source.path), 'utf8');
  } catch (error) {
    throw new Error(`${where}: cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  settingsWithPolicy(rules, text, where);
  return JSON.stringify(JSON.parse(text));
};

/**
 * Reads and validates the deployment settings from the CDK context of `node`, falling back to
 * {@link DEFAULT_DEPLOYMENT_SETTINGS}. Values given on the command line arrive as strings and
 * are parsed like those from `cdk.json`. The policy file is the `policyFile` context key, else
 * `POLICY_FILE` in `env`.
 *
 * @throws Error naming the context key when a value is invalid, so `cdk synth` stops early.
 * @example
 * const settings = readDeploymentSettings(app.node);
 * settings.senderConcurrency; // 2 unless `-c senderConcurrency=…` is given
 */
export const readDeploymentSettings = (
  node: Node,
  env: Readonly<Record<string, string | undefined>> = process.env,
): DeploymentSettings => {
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

  const outboundWebhookUrl = text('outboundWebhookUrl');
  if (outboundWebhookUrl !== undefined && !isHttpsUrl(outboundWebhookUrl)) {
    throw new Error(
      `context outboundWebhookUrl must be an https:// URL, got "${outboundWebhookUrl}"`,
    );
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

  const policyFile = text('policyFile');
  const policySource =
    policyFile !== undefined
      ? { label: 'context policyFile', path: policyFile }
      : env.POLICY_FILE
        ? { label: 'POLICY_FILE', path: env.POLICY_FILE }
        : undefined;
  const policyDocument = readPolicy(policySource, rules);

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
    ...(outboundWebhookUrl === undefined ? {} : { outboundWebhookUrl }),
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
    ...(policySource === undefined ? {} : { policyFile: policySource.path, policyDocument }),
    tableName: text('tableName'),
    logRetention: logRetentionDays as logs.RetentionDays,
    logLevel,
    apiRateLimit: integer('apiRateLimit', 1, 10_000),
    apiBurstLimit: integer('apiBurstLimit', 1, 5_000),
  };
};

/** Whether `value` is an absolute `https://` URL (outbound webhooks are signed, not encrypted). */
const isHttpsUrl = (value: string) => {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
};

/** The domain of a `Name <address>` or bare address, lower-cased; `undefined` when malformed. */
const emailDomain = (from: string): string | undefined => {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  return EMAIL_ADDRESS.exec(address.trim())?.[1]?.toLowerCase();
};
