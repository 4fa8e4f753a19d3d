import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Temporal } from 'temporal-polyfill';
import { inject } from 'vitest';
import { connectTable, createLocalApp, localClients } from '../../../bin/local/local-app';
import { localConfigFromEnv } from '../../../bin/local/local-config';
import { signWebhook } from '../../../functions/adapters/webhook-signature';
import { DEFAULT_RULE_SETTINGS } from '../../../functions/domain/rule-settings';
import { createUnsubscribeToken } from '../../../functions/domain/unsubscribe-token';
import type { HttpEvent, HttpResult } from '../../../functions/handlers/http-response';

/**
 * Helpers of the race tests. They use only the outer surface of the app (the local app's
 * factory, its HTTP routes, runs and candidate reads, the raw table and the SES emulator's
 * store), so the same tests judge any store design behind it.
 *
 * A race is forced with a GATE: a middleware on an SDK client that holds the first request
 * matching a predicate until the test releases it, so the other side of the race can land in
 * between.
 */

export const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const UNSUBSCRIBE_SECRET = 'race-unsubscribe-secret';

/** How long a test waits for a gate to catch its request before failing. */
const GATE_TIMEOUT_MS = 15_000;

type Predicate = (commandName: string, input: unknown) => boolean;

/** A held request: `hit` settles when the gate caught it; `release` lets it through. */
export interface Gate {
  readonly hit: Promise<void>;
  readonly caught: () => boolean;
  readonly release: () => void;
}

/**
 * One gate controller per SDK client, installed before the first request (SDK clients may
 * cache their resolved middleware), so gates can be armed at any later point.
 */
const gateControllerFor = (client: {
  middlewareStack: { add: (middleware: never, options: never) => void };
}) => {
  const armed: Array<{ predicate: Predicate; hold: () => Promise<void> }> = [];
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: { input?: unknown }) => {
      const index = armed.findIndex((gate) =>
        gate.predicate(context.commandName ?? '', args.input),
      );
      if (index >= 0) {
        const [gate] = armed.splice(index, 1);
        await gate?.hold();
      }
      return next(args);
    };
  client.middlewareStack.add(
    middleware as never,
    { step: 'initialize', name: `raceGate-${randomUUID()}` } as never,
  );
  return {
    /** Arms a gate for the first request (from now on) that matches `predicate`. */
    arm(predicate: Predicate, label: string): Gate {
      let caught = false;
      let onHit: () => void = () => {};
      let release: () => void = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const hitNow = new Promise<void>((resolve) => {
        onHit = resolve;
      });
      armed.push({
        predicate,
        hold: () => {
          caught = true;
          onHit();
          return released;
        },
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the gate never caught its request: ${label}`)),
          GATE_TIMEOUT_MS,
        );
      });
      const hit = Promise.race([hitNow, timeout]).finally(() => clearTimeout(timer));
      // A test that fails before awaiting `hit` must not leave an unhandled rejection behind.
      hit.catch(() => {});
      return { hit, caught: () => caught, release };
    },
  };
};

/** Whether an SDK input names the candidate's partition (`CAND#<id>`), marshalled or not. */
export const namesCandidatePartition = (input: unknown, candidateId: string): boolean =>
  JSON.stringify(input ?? null).includes(JSON.stringify(`CAND#${candidateId}`));

/** DynamoDB commands that write (low-level or document-client names). */
export const isWriteCommand = (commandName: string): boolean =>
  /^(Put|Update|Delete|BatchWrite|TransactWrite)/.test(commandName);

/** A fresh table on the shared emulators, and the local app wired to it through gated clients. */
export const createRaceApp = async () => {
  const tableName = `race-${randomUUID()}`;
  const config = localConfigFromEnv({
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
    SES_ENDPOINT: inject('sesEndpoint'),
    SES_MAX_SEND_RATE: '1000',
    PUBLIC_URL: 'http://127.0.0.1:3999',
  });
  const clients = localClients(config);
  const dynamoGates = gateControllerFor(clients.dynamodb as never);
  const sesGates = gateControllerFor(clients.ses as never);
  await connectTable(clients.dynamodb, tableName, { label: 'race test', create: true });
  const settings = { ...DEFAULT_RULE_SETTINGS };
  const app = createLocalApp({
    config,
    settings,
    secrets: { webhookSecrets: [WEBHOOK_SECRET], unsubscribeSecrets: [UNSUBSCRIBE_SECRET] },
    clients,
  });
  const documentClient = DynamoDBDocumentClient.from(clients.dynamodb);

  /** Holds the first write to the candidate's partition from now on. */
  const gateCandidateWrite = (candidateId: string, label: string) =>
    dynamoGates.arm(
      (commandName, input) =>
        isWriteCommand(commandName) && namesCandidatePartition(input, candidateId),
      label,
    );

  /** Holds the first SES send addressed (To or Cc) to `address` from now on. */
  const gateSendTo = (address: string, label: string) =>
    sesGates.arm(
      (commandName, input) =>
        /SendEmail/.test(commandName) && JSON.stringify(input ?? null).includes(address),
      label,
    );

  /** Every item of the table. */
  const scanTable = async (): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documentClient.send(
        new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }),
      );
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      ExclusiveStartKey = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (ExclusiveStartKey);
    return items;
  };

  return { app, config, settings, tableName, gateCandidateWrite, gateSendTo, scanTable };
};

export type RaceApp = Awaited<ReturnType<typeof createRaceApp>>;

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
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'race-test' },
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

const routed = async (app: RaceApp['app'], event: HttpEvent): Promise<HttpResult> => {
  const answer = app.route(event);
  if (answer === undefined) throw new Error(`no route for ${event.rawPath}`);
  return answer;
};

/** Posts one event to `POST /v1/events`, signed as Standard Webhooks. */
export const postEvent = async (app: RaceApp['app'], event: unknown): Promise<HttpResult> => {
  const body = JSON.stringify(event);
  const signed = signWebhook(WEBHOOK_SECRET, `msg_${randomUUID()}`, new Date(), body);
  return routed(
    app,
    httpEvent('POST', '/v1/events', {
      body,
      headers: { 'content-type': 'application/json', ...signed },
    }),
  );
};

/** RFC 8058 one-click `POST /unsubscribe?token=…` for a candidate. */
export const oneClickUnsubscribe = (app: RaceApp['app'], candidateId: string) =>
  routed(
    app,
    httpEvent('POST', '/unsubscribe', {
      query: `token=${encodeURIComponent(createUnsubscribeToken(candidateId, UNSUBSCRIBE_SECRET))}`,
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
  );

let sequence = 0;
/** A unique id (the emulators are shared by every test file). */
export const uniqueId = (prefix: string) =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${++sequence}`;

export interface RaceCandidate {
  readonly candidateId: string;
  readonly email: string;
  readonly guardianEmail?: string;
}

export const newCandidate = (prefix: string, options: { guardian?: boolean } = {}) => {
  const candidateId = uniqueId(prefix);
  return {
    candidateId,
    email: `${candidateId}@example.com`,
    ...(options.guardian ? { guardianEmail: `guardian-of-${candidateId}@example.com` } : {}),
  } satisfies RaceCandidate;
};

/** An `attempt.recorded` event (its attemptId never contains the candidate id). */
export const attemptEvent = (
  candidate: RaceCandidate,
  attempt: {
    readonly outcome: 'pass' | 'fail';
    readonly takenAt: string;
    readonly credentialId?: string;
    readonly credentialName?: string;
  },
) => ({
  type: 'attempt.recorded',
  timestamp: attempt.takenAt,
  data: {
    attemptId: `att-${randomUUID()}`,
    candidate: {
      candidateId: candidate.candidateId,
      email: candidate.email,
      ...(candidate.guardianEmail ? { guardianEmail: candidate.guardianEmail } : {}),
    },
    credential: {
      credentialId: attempt.credentialId ?? 'aws-serverless',
      name: attempt.credentialName ?? 'AWS Serverless Microcredential',
    },
    outcome: attempt.outcome,
    takenAt: attempt.takenAt,
  },
});

export interface StoredEmail {
  readonly messageId: string;
  readonly destination: { readonly to: string[]; readonly cc: string[]; readonly bcc: string[] };
  readonly subject: string;
}

/** Emails in the SES emulator addressed (To or Cc) to any of `addresses`, each once. */
export const emailsToAny = async (...addresses: readonly string[]): Promise<StoredEmail[]> => {
  const response = await fetch(new URL('/store', inject('sesEndpoint')));
  const { emails } = (await response.json()) as { emails: StoredEmail[] };
  return emails.filter((email) =>
    addresses.some(
      (address) => email.destination.to.includes(address) || email.destination.cc.includes(address),
    ),
  );
};

/** A run of the daily job at an instant (`run --now`). */
export const runAt = (app: RaceApp['app'], instant: string) =>
  app.run(Temporal.Instant.from(instant));

/** The attempt used by most races: a pass whose renewal window opens on 2025-10-15 (UTC). */
export const PASS_TAKEN_AT = '2025-01-15T10:00:00Z';
/** The run that finds that renewal reminder due (13:00 UTC on its due date). */
export const RENEWAL_RUN_AT = '2025-10-15T13:00:00Z';
