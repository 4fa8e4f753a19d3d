import * as z from 'zod/mini';
import { type RuleSettings, ruleSettingsFromEnv } from '../domain/rule-settings';

/**
 * The one typed runtime configuration (SPEC §6): every environment variable a function or the
 * local stack reads, parsed once per process with zod. The CDK stack builds each function's
 * environment from {@link FUNCTION_VARIABLES}, so a renamed variable cannot drift between the
 * code that reads it and the stack that sets it. A bad value fails at start with one line that
 * names the variable, on Lambda as locally.
 */

type Env = Readonly<Record<string, string | undefined>>;

const wholeNumber = (name: string, min: number, max: number, fallback: number) =>
  z._default(
    z.pipe(
      z.pipe(
        z.string().check(z.regex(/^\d+$/, `${name} must be a whole number from ${min} to ${max}`)),
        z.transform(Number),
      ),
      z
        .number()
        .check(
          z.gte(min, `${name} must be at least ${min}`),
          z.lte(max, `${name} must be at most ${max}`),
        ),
    ),
    fallback,
  );

const url = (name: string) => z.string().check(z.url(`${name} must be a URL`));

/** Every variable of the runtime configuration, with its SPEC §6 default where it has one. */
const variables = {
  TABLE_NAME: z._default(
    z
      .string()
      .check(z.regex(/^[A-Za-z0-9_.-]{3,255}$/, 'TABLE_NAME must be a valid DynamoDB table name')),
    'cert-reminders',
  ),
  EMAIL_FROM: z._default(
    z
      .string()
      .check(
        z.minLength(3, 'EMAIL_FROM must be an address such as Reminders <reminders@example.com>'),
      ),
    'Certification Reminders <reminders@example.com>',
  ),
  PUBLIC_URL: z.optional(url('PUBLIC_URL')),
  SES_MAX_SEND_RATE: z._default(
    z.pipe(
      z.pipe(z.string(), z.transform(Number)),
      z
        .number({ error: 'SES_MAX_SEND_RATE must be a number' })
        .check(z.positive('SES_MAX_SEND_RATE must be above 0')),
    ),
    10,
  ),
  SENDER_CONCURRENCY: wholeNumber('SENDER_CONCURRENCY', 1, 1000, 1),
  CLAIM_LEASE_SECONDS: wholeNumber('CLAIM_LEASE_SECONDS', 1, 86_400, 900),
  SEND_QUEUE_URL: z.optional(url('SEND_QUEUE_URL')),
  SES_CONFIGURATION_SET: z.optional(z.string()),
  WEBHOOK_SECRET: z.optional(z.string()),
  WEBHOOK_SECRET_ARN: z.optional(z.string()),
  UNSUBSCRIBE_SECRET: z.optional(z.string()),
  UNSUBSCRIBE_SECRET_ARN: z.optional(z.string()),
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
} as const satisfies Record<string, readonly VariableName[]>;

export type FunctionName = keyof typeof FUNCTION_VARIABLES;

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
  readonly settings: RuleSettings;
}

const parseVariable = <Name extends keyof typeof variables>(env: Env, name: Name) => {
  const raw = env[name];
  const result = variables[name].safeParse(raw === '' ? undefined : raw);
  if (!result.success) throw new Error(result.error.issues[0]?.message ?? `${name} is invalid`);
  return result.data as z.infer<(typeof variables)[Name]>;
};

/**
 * Reads the runtime configuration from `env`, once per process.
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
    settings: ruleSettingsFromEnv(env),
  };
};

/** A value the function cannot run without; its absence is a deployment error named in one line. */
export const required = <T>(value: T | undefined, name: VariableName): T => {
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
};
