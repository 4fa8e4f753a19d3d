import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Route, startHttpGateway } from '../../../../bin/local/http-gateway';
import type { HttpEvent, HttpResult } from '../../../../functions/handlers/http-response';

let server: Server | undefined;

afterEach(async () => {
  const running = server;
  server = undefined;
  if (running === undefined) return;
  running.closeAllConnections();
  await new Promise<void>((resolve) => running.close(() => resolve()));
});

const ok: HttpResult = {
  statusCode: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', 'x-handled-by': 'fake' },
  body: '{"status":"ok"}',
};

/** Starts the gateway on a free loopback port with a route that records the events it is given. */
const start = async (
  route: Route = () => Promise.resolve(ok),
  options: { bodyLimit?: number; onError?: (error: unknown) => void } = {},
) => {
  const events: HttpEvent[] = [];
  server = await startHttpGateway({
    port: 0,
    bodyLimit: options.bodyLimit ?? 1024,
    route: (event) => {
      events.push(event);
      return route(event);
    },
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const address = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${address.port}`, port: address.port, address, events };
};

/** Sends raw bytes over TCP and answers the raw response, for requests fetch will not make. */
const rawRequest = (port: number, text: string) =>
  new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });

const bodyOf = (event: HttpEvent) =>
  event.body === undefined ? undefined : Buffer.from(event.body, 'base64');

describe('startHttpGateway', () => {
  it('listens on 127.0.0.1 by default', async () => {
    // Act
    const { address } = await start();

    // Assess
    expect(address.address).toBe('127.0.0.1');
  });

  it('hands the route an API Gateway v2 event built from the request', async () => {
    // Prepare
    const { base, events } = await start();
    const body = '{"type":"candidate.updated","data":{"name":"Zoë"}}';

    // Act
    await fetch(`${base}/v1/events?mode=test&tag=a%20b`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Custom-Header': 'Value' },
      body,
    });

    // Assess
    const event = events[0] as HttpEvent;
    expect(events).toHaveLength(1);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/v1/events',
      rawQueryString: 'mode=test&tag=a%20b',
      queryStringParameters: { mode: 'test', tag: 'a b' },
      isBase64Encoded: true,
      requestContext: {
        http: { method: 'POST', path: '/v1/events', protocol: 'HTTP/1.1' },
        stage: '$default',
      },
    });
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers['x-custom-header']).toBe('Value');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(bodyOf(event)?.toString('utf8')).toBe(body);
    expect(event.requestContext.http.sourceIp).toMatch(/127\.0\.0\.1/);
    expect(event.requestContext.timeEpoch).toBeGreaterThan(0);
    expect(event.requestContext.requestId).toMatch(/^local-/);
  });

  it('passes a request without a body or query as such', async () => {
    // Prepare
    const { base, events } = await start();

    // Act
    await fetch(`${base}/v1/health`);

    // Assess
    const event = events[0] as HttpEvent;
    expect(event.requestContext.http.method).toBe('GET');
    expect(event.rawPath).toBe('/v1/health');
    expect(event.rawQueryString).toBe('');
    expect(event.isBase64Encoded).toBe(false);
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('queryStringParameters');
  });

  it('passes binary bodies byte for byte', async () => {
    // Prepare
    const { base, events } = await start();
    const bytes = Buffer.from([0, 255, 10, 13, 128, 1]);

    // Act
    await fetch(`${base}/upload`, { method: 'PUT', body: bytes });

    // Assess
    expect(bodyOf(events[0] as HttpEvent)).toEqual(bytes);
    expect(events[0]?.requestContext.http.method).toBe('PUT');
  });

  it('answers with the status, headers and body of the route result', async () => {
    // Prepare
    const { base } = await start();

    // Act
    const response = await fetch(`${base}/v1/health`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('x-handled-by')).toBe('fake');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers a result without headers', async () => {
    // Prepare
    const { base } = await start(() => Promise.resolve({ statusCode: 204, body: '' }));

    // Act
    const response = await fetch(`${base}/nothing`);

    // Assess
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('answers 404 JSON when no route matches', async () => {
    // Prepare
    const { base } = await start(() => undefined);

    // Act
    const response = await fetch(`${base}/nowhere`);

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({ error: 'not_found', message: 'no such route' });
  });

  it.each([
    ['rejects', () => Promise.reject(new Error('handler broke'))],
    [
      'throws',
      () => {
        throw new Error('handler broke');
      },
    ],
  ])('answers 500 JSON and reports the error when the route %s', async (_label, route) => {
    // Prepare
    const onError = vi.fn();
    const { base } = await start(route as Route, { onError });

    // Act
    const response = await fetch(`${base}/v1/events`, { method: 'POST', body: '{}' });

    // Assess
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({
      error: 'internal_error',
      message: 'unexpected failure',
    });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'handler broke' }));
  });

  it('answers 500 even without an onError listener', async () => {
    // Prepare
    const { base } = await start(() => Promise.reject(new Error('no listener')));

    // Act
    const response = await fetch(`${base}/x`);

    // Assess
    expect(response.status).toBe(500);
  });

  it.each([
    ['a body under the limit', 15, 15],
    ['a body exactly at the limit', 16, 16],
    ['a body one byte over the limit', 17, 17],
    ['a body far over the limit', 100_000, 17],
  ])('passes %s (%i bytes, limit 16) as %i bytes', async (_label, size, passed) => {
    // Prepare
    const { base, events } = await start(undefined, { bodyLimit: 16 });
    const body = Buffer.alloc(size, 'x');

    // Act
    const response = await fetch(`${base}/v1/events`, { method: 'POST', body });

    // Assess
    expect(response.status).toBe(200);
    const received = bodyOf(events[0] as HttpEvent) as Buffer;
    expect(received).toHaveLength(passed);
    if (size <= 16) expect(received.toString('utf8')).toBe(body.toString('utf8'));
  });

  it('joins repeated headers that Node keeps as a list', async () => {
    // Prepare
    const { port, events } = await start();

    // Act
    await rawRequest(
      port,
      'GET /cookies HTTP/1.1\r\nHost: localhost\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nConnection: close\r\n\r\n',
    );

    // Assess
    expect(events[0]?.headers['set-cookie']).toBe('a=1,b=2');
    expect(events[0]?.requestContext.domainName).toBe('localhost');
  });

  it('fills in the domain and user agent for a bare HTTP/1.0 request', async () => {
    // Prepare
    const { port, events } = await start();

    // Act
    await rawRequest(port, 'GET /v1/health HTTP/1.0\r\n\r\n');

    // Assess
    expect(events[0]?.requestContext).toMatchObject({
      domainName: 'localhost',
      http: { protocol: 'HTTP/1.0', userAgent: '' },
    });
  });

  it('keeps an odd request target as a path, which no route knows', async () => {
    // Prepare
    const { port, events } = await start(() => undefined);

    // Act
    const answer = await rawRequest(
      port,
      'GET //[ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    );

    // Assess
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
    expect(events[0]?.rawPath.startsWith('//')).toBe(true);
  });

  it('fails to start on a port that is already taken', async () => {
    // Prepare
    const { port } = await start();

    // Act
    const second = startHttpGateway({ port, bodyLimit: 16, route: () => undefined });

    // Assess
    await expect(second).rejects.toThrow(/EADDRINUSE/);
  });
});
