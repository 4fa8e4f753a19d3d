import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpGateway } from '../../../bin/local/http-gateway';
import { MAX_BODY_BYTES } from '../../../bin/local/local-app';
import { signWebhook } from '../../../functions/adapters/webhook-signature';
import {
  attemptEvent,
  createTestApp,
  type TestApp,
  uniqueId,
  WEBHOOK_SECRET,
} from '../support/harness';
import { snapshotTable } from '../support/table';
import { errorKeys } from './ingest-support';

/** SPEC §3 through the local HTTP server: real sockets, real `fetch`, the same handlers. */

let testApp: TestApp;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  testApp = await createTestApp();
  server = await startHttpGateway({ port: 0, bodyLimit: MAX_BODY_BYTES, route: testApp.app.route });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const signedHeaders = (body: string, id = `msg_${randomUUID()}`) => ({
  'content-type': 'application/json',
  ...signWebhook(WEBHOOK_SECRET, id, new Date(), body),
});

/** Sends raw bytes on a socket and returns the status line. */
const rawRequest = (text: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () =>
      socket.write(text),
    );
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy());
  });

describe('the local HTTP server', () => {
  it('accepts a signed POST /v1/events and stores the attempt', async () => {
    // Prepare
    const candidateId = uniqueId('gw');
    const body = JSON.stringify(
      attemptEvent({ candidateId, outcome: 'pass', takenAt: '2026-03-03T10:00:00Z' }),
    );
    const id = `msg_${randomUUID()}`;

    // Act
    const response = await fetch(`${baseUrl}/v1/events`, {
      method: 'POST',
      headers: signedHeaders(body, id),
      body,
    });

    // Assess
    expect(response.status).toBe(202);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: 'accepted', id });
    const record = await testApp.app.store.loadCandidate(candidateId);
    expect(record.states.flatMap((state) => state.attempts)).toHaveLength(1);
  });

  it('keeps non-ASCII text intact through the server', async () => {
    // Prepare
    const candidateId = uniqueId('gw-utf8');
    const name = 'Zoë Ñandú 山田 🎓';
    const body = JSON.stringify(
      attemptEvent({ candidateId, name, outcome: 'fail', takenAt: '2026-03-04T10:00:00Z' }),
    );

    // Act
    const response = await fetch(`${baseUrl}/v1/events`, {
      method: 'POST',
      headers: signedHeaders(body),
      body,
    });

    // Assess
    expect(response.status).toBe(202);
    expect((await testApp.app.store.loadCandidate(candidateId)).profile?.profile.name).toBe(name);
  });

  it('answers a body over 64 KiB with 413 payload_too_large and stores nothing', async () => {
    // Prepare
    const event = JSON.stringify(
      attemptEvent({
        candidateId: uniqueId('gw-big'),
        outcome: 'pass',
        takenAt: '2026-03-05T10:00:00Z',
      }),
    );
    const body = event + ' '.repeat(MAX_BODY_BYTES + 1 - Buffer.byteLength(event));
    const before = await snapshotTable(testApp);

    // Act
    const response = await fetch(`${baseUrl}/v1/events`, {
      method: 'POST',
      headers: signedHeaders(body),
      body,
    });

    // Assess
    expect(response.status).toBe(413);
    const json = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(errorKeys());
    expect(json.error).toBe('payload_too_large');
    const after = await snapshotTable(testApp);
    expect(after.hash).toBe(before.hash);
  });

  it('answers a 1 MiB body with 413 as well', async () => {
    // Prepare
    const body = 'x'.repeat(1024 * 1024);

    // Act
    const response = await fetch(`${baseUrl}/v1/events`, {
      method: 'POST',
      headers: signedHeaders(body),
      body,
    });

    // Assess
    expect(response.status).toBe(413);
    expect(((await response.json()) as Record<string, unknown>).error).toBe('payload_too_large');
  });

  it('answers an unknown path with 404 not_found in JSON', async () => {
    // Prepare / Act
    const response = await fetch(`${baseUrl}/nope`);

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const json = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(errorKeys());
    expect(json.error).toBe('not_found');
  });

  it('answers GET /v1/health with 200 {"status":"ok"} and GET /v1/events with 405', async () => {
    // Prepare / Act
    const health = await fetch(`${baseUrl}/v1/health`);
    const wrongMethod = await fetch(`${baseUrl}/v1/events`);

    // Assess
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(wrongMethod.status).toBe(405);
    expect(((await wrongMethod.json()) as Record<string, unknown>).error).toBe(
      'method_not_allowed',
    );
  });

  it('answers GET /unsubscribe without a token with a 400 HTML page', async () => {
    // Prepare / Act
    const response = await fetch(`${baseUrl}/unsubscribe`);

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toMatch(/<html/i);
  });

  it('answers a request target that is not a valid URL with a 4xx, not a 5xx', async () => {
    // Prepare / Act
    const answer = await rawRequest(
      'GET //[ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    );

    // Assess
    const status = Number(answer.split(' ')[1]);
    expect(status, answer.split('\r\n')[0]).toBeGreaterThanOrEqual(400);
    expect(status, answer.split('\r\n')[0]).toBeLessThan(500);
  });
});
