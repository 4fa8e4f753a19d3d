import { settingsWithBundledPolicy } from '../domain/policy-document';
import { type RuleSettings, ruleSettingsFromEnv } from '../domain/rule-settings';
import {
  anyText,
  atLeastCharacters,
  matching,
  optional,
  positiveNumber,
  url,
  wholeNumber,
  withDefault,
} from '../domain/variable-parsers';

/**
 * The one typed runtime configuration (SPEC §6): every environment variable a function or the
 * local stack reads, parsed once per process by the plain parsers of `domain/variable-parsers.ts`
 * (no schema library in the functions' bundles, SPEC §12). The CDK stack builds each function's
 * environment from {@link FUNCTION_VARIABLES}, so a renamed variable cannot drift between the
 * code that reads it and the stack that sets it. A bad value fails at start with one line that
 * names the variable, on Lambda as locally.
 */

type Env = Readonly<Record<string, string | undefined>>;

const whole = (name: string, min: number, max: number, fallback: number) =>
  withDefault(wholeNumber(name, min, max), fallback);

/** Every variable of the runtime configuration, with its SPEC §6 default where it has one. */
const variables = {
  TABLE_NAME: withDefault(
    matching(/^[A-Za-z0-9_.-]{3,255}$/, 'TABLE_NAME must be a valid DynamoDB table name'),
    'cert-reminders',
  ),
  EMAIL_FROM: withDefault(
    atLeastCharacters(3, 'EMAIL_FROM must be an address such as Reminders <reminders@example.com>'),
    'Certification Reminders <reminders@example.com>',
  ),
  PUBLIC_URL: optional(url('PUBLIC_URL')),
  SES_MAX_SEND_RATE: withDefault(positiveNumber('SES_MAX_SEND_RATE'), 10),
  SENDER_CONCURRENCY: whole('SENDER_CONCURRENCY', 1, 1000, 1),
  CLAIM_LEASE_SECONDS: whole('CLAIM_LEASE_SECONDS', 1, 86_400, 900),
  SEND_QUEUE_URL: optional(url('SEND_QUEUE_URL')),
  SES_CONFIGURATION_SET: optional(anyText),
  WEBHOOK_SECRET: optional(anyText),
  WEBHOOK_SECRET_ARN: optional(anyText),
  UNSUBSCRIBE_SECRET: optional(anyText),
  UNSUBSCRIBE_SECRET_ARN: optional(anyText),
  OUTBOUND_WEBHOOK_URL: optional(url('OUTBOUND_WEBHOOK_URL')),
  OUTBOUND_WEBHOOK_SECRET: optional(anyText),
  OUTBOUND_WEBHOOK_SECRET_ARN: optional(anyText),
  OUTBOUND_QUEUE_URL: optional(url('OUTBOUND_QUEUE_URL')),
} as const;

export type VariableName = keyof typeof variables | RuleVariable;
type RuleVariable = 'DEFAULT_TIME_ZONE' | 'SEND_HOUR' | 'EXPIRY_WARNING_DAYS' | 'MAX_LATENESS_DAYS';
const RULE_VARIABLES: readonly RuleVariable[] = [
  'DEFAULT_TIME_ZONE',
  'SEND_HOUR',
  'EXPIRY_WARNING_DAYS',
  'MAX_LATENESS_DAYS',
];

/** The variables each Lambda function reads; the CDK stack sets exactly these. */
export const FUNCTION_VARIABLES = {
  ingest: ['TABLE_NAME', 'WEBHOOK_SECRET_ARN', ...RULE_VARIABLES],
  unsubscribe: ['TABLE_NAME', 'UNSUBSCRIBE_SECRET_ARN', ...RULE_VARIABLES],
  planner: ['TABLE_NAME', 'SEND_QUEUE_URL'],
  sender: [
    'TABLE_NAME',
    'EMAIL_FROM',
    'PUBLIC_URL',
    'SES_CONFIGURATION_SET',
    'UNSUBSCRIBE_SECRET_ARN',
    'SES_MAX_SEND_RATE',
    'SENDER_CONCURRENCY',
    'CLAIM_LEASE_SECONDS',
    ...RULE_VARIABLES,
  ],
  'ses-events': ['TABLE_NAME'],
  outbound: ['OUTBOUND_QUEUE_URL', 'OUTBOUND_WEBHOOK_URL', 'OUTBOUND_WEBHOOK_SECRET_ARN'],
} as const satisfies Record<string, readonly VariableName[]>;

export type FunctionName = keyof typeof FUNCTION_VARIABLES;

/**
 * The variables the functions that publish outbound webhooks (SPEC §8) read besides their own,
 * set only when `OUTBOUND_WEBHOOK_URL` is: the queue, and for ses-events the unsubscribe key that
 * names the candidate of a bounced email (its `List-Unsubscribe` token).
 */
export const OUTBOUND_PUBLISHER_VARIABLES = {
  sender: ['OUTBOUND_QUEUE_URL'],
  unsubscribe: ['OUTBOUND_QUEUE_URL'],
  'ses-events': ['OUTBOUND_QUEUE_URL', 'UNSUBSCRIBE_SECRET_ARN'],
} as const satisfies Partial<Record<FunctionName, readonly VariableName[]>>;

/** The configuration as the code reads it. */
export interface RuntimeConfig {
  readonly tableName: string;
  readonly emailFrom: string;
  readonly publicUrl?: string;
  readonly sesMaxSendRate: number;
  readonly senderConcurrency: number;
  readonly claimLeaseSeconds: number;
  readonly sendQueueUrl?: string;
  readonly sesConfigurationSet?: string;
  /** A secret's value, or the Secrets Manager ARN that holds it. */
  readonly webhookSecret: { readonly value?: string; readonly arn?: string };
  readonly unsubscribeSecret: { readonly value?: string; readonly arn?: string };
  /** `OUTBOUND_WEBHOOK_URL`: where outbound webhooks go; unset, none are sent (SPEC §8). */
  readonly outboundWebhookUrl?: string;
  /** `OUTBOUND_WEBHOOK_SECRET` (`whsec_…`), or the Secrets Manager ARN that holds it. */
  readonly outboundWebhookSecret: { readonly value?: string; readonly arn?: string };
  /** `OUTBOUND_QUEUE_URL`: the SQS queue the publishers feed and the outbound function drains. */
  readonly outboundQueueUrl?: string;
  readonly settings: RuleSettings;
}

const parseVariable = <Name extends keyof typeof variables>(env: Env, name: Name) => {
  const raw = env[name];
  return variables[name](raw === '' ? undefined : raw) as ReturnType<(typeof variables)[Name]>;
};

/**
 * Reads the runtime configuration from `env`, once per process. `POLICY_DOCUMENT` is the text of
 * the policy file (SPEC §9): `cdk synth` validates it with the policy schema and writes it into the
 * code of the functions that compute reminders (see `lambda-runtime.ts`), which resolve it without
 * validating its shape again; locally `POLICY_FILE` is read instead.
 *
 * @throws Error with a one-line message naming the first bad variable.
 * @example
 * readRuntimeConfig({ TABLE_NAME: 'cert-reminders-prod', SES_MAX_SEND_RATE: '14' }).sesMaxSendRate; // 14
 */
export const readRuntimeConfig = (env: Env): RuntimeConfig => {
  const optional = <T>(value: T | undefined, key: string) =>
    value === undefined ? {} : { [key]: value };
  return {
    tableName: parseVariable(env, 'TABLE_NAME'),
    emailFrom: parseVariable(env, 'EMAIL_FROM'),
    ...optional(parseVariable(env, 'PUBLIC_URL')?.replace(/\/+$/, ''), 'publicUrl'),
    sesMaxSendRate: parseVariable(env, 'SES_MAX_SEND_RATE'),
    senderConcurrency: parseVariable(env, 'SENDER_CONCURRENCY'),
    claimLeaseSeconds: parseVariable(env, 'CLAIM_LEASE_SECONDS'),
    ...optional(parseVariable(env, 'SEND_QUEUE_URL'), 'sendQueueUrl'),
    ...optional(parseVariable(env, 'SES_CONFIGURATION_SET'), 'sesConfigurationSet'),
    webhookSecret: {
      ...optional(parseVariable(env, 'WEBHOOK_SECRET'), 'value'),
      ...optional(parseVariable(env, 'WEBHOOK_SECRET_ARN'), 'arn'),
    },
    unsubscribeSecret: {
      ...optional(parseVariable(env, 'UNSUBSCRIBE_SECRET'), 'value'),
      ...optional(parseVariable(env, 'UNSUBSCRIBE_SECRET_ARN'), 'arn'),
    },
    ...optional(parseVariable(env, 'OUTBOUND_WEBHOOK_URL'), 'outboundWebhookUrl'),
    outboundWebhookSecret: {
      ...optional(parseVariable(env, 'OUTBOUND_WEBHOOK_SECRET'), 'value'),
      ...optional(parseVariable(env, 'OUTBOUND_WEBHOOK_SECRET_ARN'), 'arn'),
    },
    ...optional(parseVariable(env, 'OUTBOUND_QUEUE_URL'), 'outboundQueueUrl'),
    // The credential policy (SPEC §9): bundled into the functions at synth, never a variable.
    settings: settingsWithBundledPolicy(
      ruleSettingsFromEnv(env),
      env.POLICY_DOCUMENT,
      'the bundled policy',
    ),
  };
};

/** A value the function cannot run without; its absence is a deployment error named in one line. */
export const required = <T>(value: T | undefined, name: VariableName): T => {
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
};
