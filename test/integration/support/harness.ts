import { randomUUID } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { inject } from 'vitest';
import { connectTable, createLocalApp, localClients } from '../../../bin/local/local-app';
import { localConfigFromEnv } from '../../../bin/local/local-config';
import { signWebhook } from '../../../functions/adapters/webhook-signature';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../../functions/domain/rule-settings';
import type { HttpEvent, HttpResult } from '../../../functions/handlers/http-response';
import type { Clock } from '../../../functions/use-cases/ports';

export const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const OLD_WEBHOOK_SECRET = 'whsec_dGhpcyBpcyB0aGUgb2xkIHNlY3JldCBrZXk=';
export const UNSUBSCRIBE_SECRET = 'test-unsubscribe-secret';

/** A wall clock that a test sets and moves (claim leases are judged on it, SPEC §1). */
export interface TestClock extends Clock {
  /** Moves the clock by `milliseconds` (negative: back). */
  advance(milliseconds: number): void;
  /** Sets the clock to an instant. */
  set(instant: Date | string): void;
}

/**
 * A {@link TestClock} starting at `start`, or following the system time until it is first set or
 * moved (so signed webhooks, checked against the system time, stay valid meanwhile).
 */
export const createTestClock = (start?: Date | string): TestClock => {
  let offset = start === undefined ? 0 : new Date(start).getTime() - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    advance: (milliseconds) => {
      offset += milliseconds;
    },
    set: (instant) => {
      offset = new Date(instant).getTime() - Date.now();
    },
  };
};

/** A fresh table on the shared emulators, with the local app (same handlers as Lambda) wired to it. */
export const createTestApp = async (
  options: {
    readonly settings?: Partial<RuleSettings>;
    readonly ses?: ReturnType<typeof localClients>['ses'];
    /** The app's wall clock (default: the system clock). */
    readonly clock?: Clock;
    /** `CLAIM_LEASE_SECONDS` (default 900). */
    readonly claimLeaseSeconds?: number;
  } = {},
) => {
  const tableName = `test-${randomUUID()}`;
  const config = localConfigFromEnv({
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
    SES_ENDPOINT: inject('sesEndpoint'),
    SES_MAX_SEND_RATE: '1000',
    PUBLIC_URL: 'http://127.0.0.1:3999',
    ...(options.claimLeaseSeconds === undefined
      ? {}
      : { CLAIM_LEASE_SECONDS: String(options.claimLeaseSeconds) }),
  });
  const clients = localClients(config);
  await connectTable(clients.dynamodb, tableName, { label: 'test', create: true });
  const settings = { ...DEFAULT_RULE_SETTINGS, ...options.settings };
  const app = createLocalApp({
    config,
    settings,
    secrets: {
      webhookSecrets: [WEBHOOK_SECRET, OLD_WEBHOOK_SECRET],
      unsubscribeSecrets: [UNSUBSCRIBE_SECRET],
    },
    clients: { ...clients, ...(options.ses ? { ses: options.ses } : {}) },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return { app, config, clients, settings, tableName };
};

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** An API Gateway HTTP API v2 event, as Lambda receives it. */
export const httpEvent = (
  method: string,
  path: string,
  options: {
    readonly body?: string;
    readonly headers?: Record<string, string>;
    readonly query?: string;
  } = {},
): HttpEvent => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: options.query ?? '',
  headers: options.headers ?? {},
  requestContext: {
    accountId: 'test',
    apiId: 'test',
    domainName: 'localhost',
    domainPrefix: 'localhost',
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
    requestId: randomUUID(),
    routeKey: '$default',
    stage: '$default',
    time: new Date().toUTCString(),
    timeEpoch: Date.now(),
  },
  ...(options.body === undefined
    ? { isBase64Encoded: false }
    : { body: options.body, isBase64Encoded: false }),
});

/** Posts one event through the ingest handler with a valid signature (or the headers given). */
export const postEvent = async (
  app: TestApp['app'],
  event: unknown,
  options: {
    readonly secret?: string;
    readonly id?: string;
    readonly at?: Date;
    readonly headers?: Record<string, string>;
  } = {},
): Promise<HttpResult & { json: Record<string, unknown> }> => {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const signed = signWebhook(
    options.secret ?? WEBHOOK_SECRET,
    options.id ?? `msg_${randomUUID()}`,
    options.at ?? new Date(),
    body,
  );
  const result = await app.ingest(
    httpEvent('POST', '/v1/events', {
      body,
      headers: { 'content-type': 'application/json', ...signed, ...options.headers },
    }),
  );
  return { ...result, json: JSON.parse(result.body) };
};

let sequence = 0;
/** A unique id for this test file's candidates and attempts. */
export const uniqueId = (prefix: string) =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${++sequence}`;

/** An `attempt.recorded` event. */
export const attemptEvent = (options: {
  readonly attemptId?: string;
  readonly candidateId: string;
  readonly email?: string;
  readonly name?: string;
  readonly timeZone?: string;
  readonly guardianEmail?: string;
  readonly credentialId?: string;
  readonly credentialName?: string;
  readonly outcome: 'pass' | 'fail';
  readonly takenAt: string;
  readonly timestamp?: string;
}) => ({
  type: 'attempt.recorded',
  timestamp: options.timestamp ?? options.takenAt,
  data: {
    attemptId: options.attemptId ?? uniqueId('att'),
    candidate: {
      candidateId: options.candidateId,
      email: options.email ?? `${options.candidateId}@example.com`,
      ...(options.name ? { name: options.name } : {}),
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
      ...(options.guardianEmail ? { guardianEmail: options.guardianEmail } : {}),
    },
    credential: {
      credentialId: options.credentialId ?? 'aws-serverless',
      name: options.credentialName ?? 'AWS Serverless Microcredential',
    },
    outcome: options.outcome,
    takenAt: options.takenAt,
  },
});

export interface StoredEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: string[]; readonly cc: string[]; readonly bcc: string[] };
  readonly subject: string;
  readonly body: { readonly text?: string; readonly html?: string };
  readonly headers?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly at: number;
}

/** Emails in the SES emulator addressed (To or Cc) to `address`. */
export const emailsTo = async (address: string): Promise<StoredEmail[]> => {
  const response = await fetch(new URL('/store', inject('sesEndpoint')));
  const { emails } = (await response.json()) as { emails: StoredEmail[] };
  return emails.filter(
    (email) => email.destination.to.includes(address) || email.destination.cc.includes(address),
  );
};

/** Runs the daily job at an instant. */
export const runAt = (
  app: TestApp['app'],
  instant: string,
  options: { readonly dryRun?: boolean } = {},
) => app.run(Temporal.Instant.from(instant), options);
