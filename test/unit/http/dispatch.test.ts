import { describe, expect, it, vi } from 'vitest';
import type { HttpEvent, HttpResult } from '../../../functions/handlers/http-response';
import {
  dispatch,
  type Handler,
  isMediaType,
  routePath,
  servedBy,
} from '../../../functions/http/dispatch';
import { type ApiRoute, MAX_BODY_BYTES, ROUTES } from '../../../functions/http/routes';

/** An API Gateway HTTP API v2 event, as Lambda receives it. */
const request = (
  method: string,
  path: string,
  options: { body?: string; base64?: boolean; headers?: Record<string, string> } = {},
): HttpEvent => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: '',
  headers: options.headers ?? {},
  requestContext: {
    accountId: 'test',
    apiId: 'test',
    domainName: 'localhost',
    domainPrefix: 'localhost',
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
    requestId: 'r',
    routeKey: '$default',
    stage: '$default',
    time: '',
    timeEpoch: 0,
  },
  isBase64Encoded: options.base64 ?? false,
  ...(options.body === undefined ? {} : { body: options.body }),
});

/** A handler that answers 200 with its name, recording the events it gets. */
const answering = (name: string) => {
  const handler = vi.fn<Handler>(
    async (): Promise<HttpResult> => ({ statusCode: 200, body: JSON.stringify({ name }) }),
  );
  return handler;
};

const json = (result: HttpResult) => JSON.parse(result.body) as Record<string, unknown>;

const allHandlers = () => ({
  receiveEvent: answering('receiveEvent'),
  getHealth: answering('getHealth'),
  getOpenApiDocument: answering('getOpenApiDocument'),
  showUnsubscribePage: answering('showUnsubscribePage'),
  unsubscribe: answering('unsubscribe'),
});

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('dispatch', () => {
  it.each([
    ['POST', '/v1/events', 'receiveEvent', JSON_HEADERS],
    ['GET', '/v1/health', 'getHealth', {}],
    ['GET', '/v1/openapi.json', 'getOpenApiDocument', {}],
    ['GET', '/unsubscribe', 'showUnsubscribePage', {}],
    ['POST', '/unsubscribe', 'unsubscribe', {}],
  ])('calls the handler of %s %s (%s) with the event', async (method, path, name, headers) => {
    // Prepare
    const handlers = allHandlers();
    const event = request(method, path, { headers });

    // Act
    const result = await dispatch(ROUTES, handlers)(event);

    // Assess
    expect(json(result)).toEqual({ name });
    expect(handlers[name as keyof typeof handlers]).toHaveBeenCalledWith(event);
  });

  it.each([
    ['/v1/health', 'getHealth'],
    ['/v1/openapi.json', 'getOpenApiDocument'],
    ['/unsubscribe', 'showUnsubscribePage'],
  ])('answers HEAD %s with the GET route', async (path, name) => {
    // Act
    const result = await dispatch(ROUTES, allHandlers())(request('HEAD', path));

    // Assess
    expect(json(result)).toEqual({ name });
  });

  it.each([
    ['/v1/health/', 'getHealth'],
    ['/v1/health//', 'getHealth'],
    ['/unsubscribe/', 'showUnsubscribePage'],
  ])('ignores trailing slashes: %s', async (path, name) => {
    // Act
    const result = await dispatch(ROUTES, allHandlers())(request('GET', path));

    // Assess
    expect(json(result)).toEqual({ name });
  });

  it.each(['/', '/nope', '/v1', '/v1/', '/v1/nope', '/V1/HEALTH', '/v1/events/x', '//['])(
    'answers %s with 404 not_found',
    async (path) => {
      // Act
      const result = await dispatch(ROUTES, allHandlers())(request('GET', path));

      // Assess
      expect(result.statusCode).toBe(404);
      expect(result.headers?.['content-type']).toBe('application/json; charset=utf-8');
      expect(json(result)).toEqual({ error: 'not_found', message: 'no such route' });
    },
  );

  it.each([
    ['GET', '/v1/events', 'POST'],
    ['HEAD', '/v1/events', 'POST'],
    ['PUT', '/v1/events', 'POST'],
    ['POST', '/v1/health', 'GET'],
    ['DELETE', '/v1/openapi.json', 'GET'],
    ['PUT', '/unsubscribe', 'GET, POST'],
    ['OPTIONS', '/unsubscribe', 'GET, POST'],
  ])('answers %s %s with 405 method_not_allowed and allow: %s', async (method, path, allow) => {
    // Act
    const result = await dispatch(ROUTES, allHandlers())(request(method, path));

    // Assess
    expect(result.statusCode).toBe(405);
    expect(result.headers?.allow).toBe(allow);
    expect(json(result).error).toBe('method_not_allowed');
    expect(Object.keys(json(result)).sort()).toEqual(['error', 'message']);
  });

  it('matches methods whatever their case', async () => {
    // Act
    const result = await dispatch(ROUTES, allHandlers())(request('get', '/v1/health'));

    // Assess
    expect(json(result)).toEqual({ name: 'getHealth' });
  });

  it.each([
    ['exactly at the limit', MAX_BODY_BYTES, 200],
    ['one byte over', MAX_BODY_BYTES + 1, 413],
  ])('counts a body %s in bytes', async (_label, size, status) => {
    // Prepare
    const handlers = allHandlers();

    // Act
    const result = await dispatch(
      ROUTES,
      handlers,
    )(request('POST', '/v1/events', { body: 'x'.repeat(size), headers: JSON_HEADERS }));

    // Assess
    expect(result.statusCode).toBe(status);
    if (status === 413) {
      expect(json(result).error).toBe('payload_too_large');
      expect(handlers.receiveEvent).not.toHaveBeenCalled();
    }
  });

  it('counts the decoded bytes of a base64 body, and multi-byte characters as bytes', async () => {
    // Prepare
    const route = dispatch(ROUTES, allHandlers());
    const decoded = Buffer.alloc(MAX_BODY_BYTES + 1, 'x').toString('base64');
    const euros = '€'.repeat(21_846); // 65,538 bytes in 21,846 characters

    // Act
    const base64 = await route(
      request('POST', '/v1/events', { body: decoded, base64: true, headers: JSON_HEADERS }),
    );
    const utf8 = await route(request('POST', '/v1/events', { body: euros, headers: JSON_HEADERS }));

    // Assess
    expect(base64.statusCode).toBe(413);
    expect(utf8.statusCode).toBe(413);
  });

  it('refuses a large body before looking at its content type', async () => {
    // Act
    const result = await dispatch(
      ROUTES,
      allHandlers(),
    )(request('POST', '/v1/events', { body: 'x'.repeat(MAX_BODY_BYTES + 1) }));

    // Assess
    expect(result.statusCode).toBe(413);
  });

  it('applies the body limit to every route', async () => {
    // Act
    const results = await Promise.all(
      ROUTES.map((route) =>
        dispatch(
          ROUTES,
          allHandlers(),
        )(
          request(route.method, route.path, {
            body: 'x'.repeat(route.maxBodyBytes + 1),
            headers: JSON_HEADERS,
          }),
        ),
      ),
    );

    // Assess
    expect(results.map((result) => result.statusCode)).toEqual(ROUTES.map(() => 413));
  });

  it.each([
    ['text/plain', 415],
    ['application/x-www-form-urlencoded', 415],
    ['application/jsonp', 415],
    ['application/json, text/plain', 415],
    ['', 415],
    [undefined, 415],
    ['application/json', 200],
    ['Application/JSON', 200],
    ['application/json; charset=utf-8', 200],
    ['application/json ;charset=UTF-8', 200],
    ['  application/json', 200],
  ])('answers POST /v1/events sent as %j with %i', async (contentType, status) => {
    // Prepare
    const handlers = allHandlers();
    const headers: Record<string, string> =
      contentType === undefined ? {} : { 'Content-Type': contentType };

    // Act
    const result = await dispatch(
      ROUTES,
      handlers,
    )(request('POST', '/v1/events', { body: '{}', headers }));

    // Assess
    expect(result.statusCode).toBe(status);
    if (status === 415) {
      expect(json(result).error).toBe('unsupported_media_type');
      expect(handlers.receiveEvent).not.toHaveBeenCalled();
    }
  });

  it('accepts any content type, or none, on POST /unsubscribe', async () => {
    // Prepare
    const route = dispatch(ROUTES, allHandlers());

    // Act
    const results = await Promise.all(
      (
        [
          {},
          { 'content-type': 'multipart/form-data; boundary=x' },
          { 'content-type': 'text/plain' },
        ] as Record<string, string>[]
      ).map((headers) =>
        route(request('POST', '/unsubscribe', { body: 'List-Unsubscribe=One-Click', headers })),
      ),
    );

    // Assess
    expect(results.map((result) => result.statusCode)).toEqual([200, 200, 200]);
  });

  it('serves only the routes it has handlers for', async () => {
    // Prepare: the ingest function's handlers
    const ingest = dispatch(ROUTES, {
      receiveEvent: answering('receiveEvent'),
      getHealth: answering('getHealth'),
    });

    // Act
    const unsubscribe = await ingest(request('GET', '/unsubscribe'));
    const wrongMethod = await ingest(request('PUT', '/unsubscribe'));
    const openapi = await ingest(request('GET', '/v1/openapi.json'));
    const health = await ingest(request('GET', '/v1/health'));

    // Assess
    expect(unsubscribe.statusCode).toBe(404);
    expect(wrongMethod.statusCode).toBe(404);
    expect(openapi.statusCode).toBe(404);
    expect(json(health)).toEqual({ name: 'getHealth' });
  });

  it('lists in allow only the methods it serves on a path', async () => {
    // Prepare
    const getOnly = dispatch(ROUTES, { showUnsubscribePage: answering('page') });

    // Act
    const result = await getOnly(request('POST', '/unsubscribe'));

    // Assess
    expect(result.statusCode).toBe(405);
    expect(result.headers?.allow).toBe('GET');
  });

  it('lets a handler rejection through to the caller', async () => {
    // Prepare
    const route = dispatch(ROUTES, { getHealth: () => Promise.reject(new Error('broken')) });

    // Act / Assess
    await expect(route(request('GET', '/v1/health'))).rejects.toThrow('broken');
  });

  it('dispatches any table', async () => {
    // Prepare
    const table: ApiRoute[] = [
      {
        operationId: 'receiveEvent',
        method: 'POST',
        path: '/hooks',
        function: 'ingest',
        maxBodyBytes: 4,
        contentTypes: ['text/csv'],
      },
    ];
    const route = dispatch(table, { receiveEvent: answering('csv') });

    // Act
    const ok = await route(
      request('POST', '/hooks', { body: 'a,b', headers: { 'content-type': 'text/csv' } }),
    );
    const big = await route(request('POST', '/hooks', { body: 'a,b,c' }));
    const json415 = await route(request('POST', '/hooks', { body: '{}', headers: JSON_HEADERS }));

    // Assess
    expect(ok.statusCode).toBe(200);
    expect(big.statusCode).toBe(413);
    expect(json(big).message).toBe('the body must be at most 4 bytes');
    expect(json415.statusCode).toBe(415);
    expect(json(json415).message).toBe('send the body as text/csv');
  });
});

describe('servedBy', () => {
  it('sends every route to the handler of the function the table names', async () => {
    // Prepare
    const ingest = answering('ingest');
    const unsubscribe = answering('unsubscribe');
    const route = dispatch(ROUTES, servedBy(ROUTES, { ingest, unsubscribe }));

    // Act
    const answers = await Promise.all(
      ROUTES.map((entry) =>
        route(request(entry.method, entry.path, { headers: JSON_HEADERS })).then(json),
      ),
    );

    // Assess
    expect(answers).toEqual(ROUTES.map((entry) => ({ name: entry.function })));
  });

  it('leaves out the routes of a function it has no handler for', () => {
    // Act
    const handlers = servedBy(ROUTES, { unsubscribe: answering('unsubscribe') });

    // Assess
    expect(Object.keys(handlers).sort()).toEqual(['showUnsubscribePage', 'unsubscribe']);
  });
});

describe('routePath and isMediaType', () => {
  it.each([
    ['/v1/health/', '/v1/health'],
    ['/', '/'],
    ['///', '/'],
    ['', '/'],
  ])('routePath(%j) is %j', (raw, path) => {
    expect(routePath(raw)).toBe(path);
  });

  it('compares media types without parameters or case', () => {
    expect(isMediaType('Application/Json; charset=utf-8', ['application/json'])).toBe(true);
    expect(isMediaType('text/csv', ['application/json', 'text/csv'])).toBe(true);
    expect(isMediaType('application/json-seq', ['application/json'])).toBe(false);
    expect(isMediaType(undefined, ['application/json'])).toBe(false);
  });
});
