import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHttpGateway } from '../../../bin/local/http-gateway';
import { MAX_BODY_BYTES } from '../../../bin/local/local-app';
import { createUnsubscribeToken } from '../../../functions/domain/unsubscribe-token';
import {
  attemptEvent,
  createTestApp,
  OLD_WEBHOOK_SECRET,
  postEvent,
  type TestApp,
  UNSUBSCRIBE_SECRET,
  WEBHOOK_SECRET,
} from '../../integration/support/harness';
import type { RawResponse } from './raw-http';
import { ERROR_CODES, type Expectation, type PoolCandidate, type Secrets } from './signed-requests';

/** The app under test behind the real local HTTP gateway, and what the hostile suites share. */

export const SECRETS: Secrets = {
  webhook: WEBHOOK_SECRET,
  oldWebhook: OLD_WEBHOOK_SECRET,
  foreignWebhook: 'whsec_c29tZW9uZSBlbHNlJ3Mgc2VjcmV0IGtleSEh',
  unsubscribe: UNSUBSCRIBE_SECRET,
};

export interface Served {
  readonly testApp: TestApp;
  readonly server: Server;
  readonly port: number;
  /** Errors that escaped the route (the gateway answered them 500). */
  readonly gatewayErrors: unknown[];
  close(): Promise<void>;
}

/** A fresh table, the local app on it, and the real HTTP gateway in front of it on a free port. */
export const serveTestApp = async (
  options: Parameters<typeof createTestApp>[0] = {},
): Promise<Served> => {
  const testApp = await createTestApp(options);
  const gatewayErrors: unknown[] = [];
  const server = await startHttpGateway({
    port: 0,
    bodyLimit: MAX_BODY_BYTES,
    route: testApp.app.route,
    onError: (error) => gatewayErrors.push(error),
  });
  return {
    testApp,
    server,
    port: (server.address() as AddressInfo).port,
    gatewayErrors,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

/** Candidates with an attempt each, and their unsubscribe tokens. */
export const createPool = async (
  testApp: TestApp,
  prefix: string,
  size: number,
): Promise<PoolCandidate[]> => {
  const pool: PoolCandidate[] = [];
  for (let index = 0; index < size; index += 1) {
    const candidateId = `${prefix}-${index}`;
    const answer = await postEvent(
      testApp.app,
      attemptEvent({
        candidateId,
        attemptId: `${candidateId}-a`,
        outcome: 'pass',
        takenAt: '2026-01-10T10:00:00Z',
      }),
    );
    if (answer.statusCode !== 202) throw new Error(`pool candidate refused: ${answer.body}`);
    pool.push({ candidateId, token: createUnsubscribeToken(candidateId, UNSUBSCRIBE_SECRET) });
  }
  return pool;
};

/**
 * What is wrong with an answer, judged against the SPEC §3 contract and the plan's expectation:
 * never a 5xx; a status the plan allows; JSON `{error, message}` with the SPEC code of its
 * status for every error (`issues` too for `invalid_payload`); the unsubscribe pages in HTML.
 */
export const problemsOf = (
  method: string,
  response: RawResponse,
  expect: Expectation,
): string[] => {
  const problems: string[] = [];
  const { status } = response;
  if (status >= 500) problems.push(`answered ${status}`);
  if (!expect.statuses.includes(status))
    problems.push(`answered ${status}, expected one of ${expect.statuses.join('/')}`);
  const head = method === 'HEAD';
  const contentType = response.headers['content-type'] ?? '';
  const htmlPage = expect.html === true && (status === 200 || status === 400);
  if (htmlPage) {
    if (!/^text\/html/i.test(contentType)) problems.push(`page with content-type "${contentType}"`);
    if (!head && !response.text.startsWith('<!DOCTYPE html>')) problems.push('page is not HTML');
    return problems;
  }
  if (!/^application\/json/i.test(contentType))
    problems.push(`content-type "${contentType}" instead of application/json`);
  if (status === 405 && !response.headers.allow) problems.push('405 without an Allow header');
  if (head) return problems;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(response.text) as Record<string, unknown>;
  } catch {
    problems.push('body is not JSON');
    return problems;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    problems.push('body is not a JSON object');
    return problems;
  }
  if (status >= 400) {
    if (typeof body.error !== 'string' || typeof body.message !== 'string')
      problems.push('error body without string "error" and "message"');
    const allowed = (expect.errors ?? ERROR_CODES[status] ?? []).filter((code) =>
      (ERROR_CODES[status] ?? []).includes(code),
    );
    if (!allowed.includes(String(body.error)))
      problems.push(`error "${String(body.error)}" for ${status}, expected ${allowed.join('/')}`);
    const extra = Object.keys(body).filter((key) => !['error', 'message', 'issues'].includes(key));
    if (extra.length > 0) problems.push(`unexpected keys ${extra.join(', ')}`);
    if (body.error === 'invalid_payload') {
      const issues = body.issues;
      if (
        !Array.isArray(issues) ||
        issues.length === 0 ||
        !issues.every(
          (issue) =>
            typeof issue === 'object' &&
            issue !== null &&
            typeof (issue as Record<string, unknown>).path === 'string' &&
            typeof (issue as Record<string, unknown>).message === 'string',
        )
      )
        problems.push('invalid_payload without issues [{path, message}]');
    } else if ('issues' in body) problems.push(`"issues" on ${String(body.error)}`);
  } else if (status === 202) {
    if (!(expect.ingest ?? []).includes(body.status as 'accepted'))
      problems.push(`202 "${String(body.status)}", expected ${(expect.ingest ?? []).join('/')}`);
    if (expect.webhookId !== undefined && body.id !== expect.webhookId)
      problems.push(
        `202 for id ${JSON.stringify(body.id)}, sent ${JSON.stringify(expect.webhookId)}`,
      );
  } else if (
    status === 200 &&
    expect.okBody === 'health' &&
    JSON.stringify(body) !== '{"status":"ok"}'
  ) {
    problems.push(`200 ${response.text.slice(0, 100)}`);
  }
  return problems;
};
