import { z } from 'zod';
import { type RuntimeConfig, readRuntimeConfig } from '../../functions/config/runtime-config';
import { withPolicyFile } from './policy-file';

/** The local stack's settings (SPEC §6), from the environment, with their defaults. */
export interface LocalConfig {
  readonly port: number;
  readonly dynamodbPort: number;
  readonly sesPort: number;
  /** `CONSOLE_PORT`: where `reminders console` serves the operations console. */
  readonly consolePort: number;
  readonly dataDir: string;
  readonly tableName: string;
  readonly emailFrom: string;
  readonly publicUrl: string;
  readonly schedule: string;
  readonly sesMaxSendRate: number;
  /** `CLAIM_LEASE_SECONDS`: how long a sender's claim holds on the wall clock. */
  readonly claimLeaseSeconds: number;
  /** Where commands other than `dev` find DynamoDB (`DYNAMODB_ENDPOINT`). */
  readonly dynamodbEndpoint: string;
  /** Where commands other than `dev` find SES (`SES_ENDPOINT`). */
  readonly sesEndpoint: string;
  readonly awsRegion: string;
  /** The functions' configuration, read by the same code as on Lambda. */
  readonly runtime: RuntimeConfig;
}

const port = (name: string, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a port number`)
    .transform(Number)
    .pipe(z.number().int().min(0, `${name} must be 0-65535`).max(65535, `${name} must be 0-65535`))
    .default(fallback);

const schema = z.object({
  PORT: port('PORT', 3000),
  DYNAMODB_PORT: port('DYNAMODB_PORT', 8000),
  SES_PORT: port('SES_PORT', 8005),
  CONSOLE_PORT: port('CONSOLE_PORT', 3001),
  DATA_DIR: z.string().default('.data'),
  TABLE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'TABLE_NAME must be a valid DynamoDB table name')
    .default('cert-reminders'),
  EMAIL_FROM: z
    .string()
    .min(3, 'EMAIL_FROM must be an address such as Reminders <reminders@example.com>')
    .default('Certification Reminders <reminders@example.com>'),
  PUBLIC_URL: z.url('PUBLIC_URL must be a URL').optional(),
  SCHEDULE: z.string().default('0 13 * * *'),
  SES_MAX_SEND_RATE: z
    .string()
    .transform(Number)
    .pipe(
      z
        .number({ error: 'SES_MAX_SEND_RATE must be a number' })
        .positive('SES_MAX_SEND_RATE must be above 0'),
    )
    .default(10),
  CLAIM_LEASE_SECONDS: z
    .string()
    .regex(/^\d+$/, 'CLAIM_LEASE_SECONDS must be a whole number of seconds')
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, 'CLAIM_LEASE_SECONDS must be at least 1')
        .max(86_400, 'CLAIM_LEASE_SECONDS must be at most 86400'),
    )
    .default(900),
  DYNAMODB_ENDPOINT: z.url('DYNAMODB_ENDPOINT must be a URL').optional(),
  SES_ENDPOINT: z.url('SES_ENDPOINT must be a URL').optional(),
  AWS_REGION: z.string().default('us-east-1'),
});

/**
 * Reads the local configuration, with the credential policy of `POLICY_FILE` (SPEC §9).
 *
 * @throws Error with a one-line message naming the bad variable (a `RuntimeFailure` for a
 * `POLICY_FILE` that cannot be read or is invalid).
 * @example
 * localConfigFromEnv({ PORT: '3100' }).publicUrl; // 'http://127.0.0.1:3100'
 */
export const localConfigFromEnv = (env: Record<string, string | undefined>): LocalConfig => {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid configuration');
  const c = parsed.data;
  const publicUrl = (c.PUBLIC_URL ?? `http://127.0.0.1:${c.PORT}`).replace(/\/+$/, '');
  // Locally the policy comes from POLICY_FILE; POLICY_DOCUMENT is what synth bundles on Lambda.
  const { POLICY_DOCUMENT: _bundledOnly, ...local } = present;
  const functions = readRuntimeConfig({ ...local, PUBLIC_URL: publicUrl });
  const runtime = {
    ...functions,
    settings: withPolicyFile(functions.settings, present.POLICY_FILE),
  };
  return {
    port: c.PORT,
    dynamodbPort: c.DYNAMODB_PORT,
    sesPort: c.SES_PORT,
    consolePort: c.CONSOLE_PORT,
    dataDir: c.DATA_DIR,
    tableName: c.TABLE_NAME,
    emailFrom: c.EMAIL_FROM,
    publicUrl,
    schedule: c.SCHEDULE,
    sesMaxSendRate: c.SES_MAX_SEND_RATE,
    claimLeaseSeconds: c.CLAIM_LEASE_SECONDS,
    dynamodbEndpoint: c.DYNAMODB_ENDPOINT ?? `http://127.0.0.1:${c.DYNAMODB_PORT}`,
    sesEndpoint: c.SES_ENDPOINT ?? `http://127.0.0.1:${c.SES_PORT}`,
    awsRegion: c.AWS_REGION,
    runtime,
  };
};
