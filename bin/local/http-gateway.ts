import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type HttpEvent,
  type HttpResult,
  notFound,
  problem,
} from '../../functions/handlers/http-response';

/** Reads at most `limit` bytes; beyond that the rest is drained and `truncated` set. */
const readBody = (
  request: IncomingMessage,
  limit: number,
): Promise<{ body: Buffer; truncated: boolean }> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) truncated = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve({ body: Buffer.concat(chunks), truncated }));
    request.on('error', reject);
  });

/**
 * Turns a Node request into the API Gateway HTTP API (payload v2) event that Lambda receives, so
 * the local server calls the very same handlers. Bodies are passed base64-encoded, as API Gateway
 * does for binary bodies; an oversized body is cut at `limit` + 1 bytes (enough for the handler to
 * refuse it).
 */
export const toHttpEvent = async (request: IncomingMessage, limit: number): Promise<HttpEvent> => {
  let url: URL;
  try {
    // Prefixed rather than resolved, so that `//x` stays a path instead of naming a host.
    url = new URL(
      `http://localhost${request.url?.startsWith('/') ? request.url : `/${request.url ?? ''}`}`,
    );
  } catch {
    // A request target no URL parser accepts matches no route.
    url = new URL('http://localhost/.invalid-request-target');
  }
  const { body, truncated } = await readBody(request, limit);
  const sent = truncated ? Buffer.concat([body, Buffer.alloc(limit + 1 - body.length)]) : body;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined)
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const queryStringParameters = Object.fromEntries(url.searchParams);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: `local-${now.getTime()}-${Math.random().toString(36).slice(2, 8)}`,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(sent.length > 0
      ? { body: sent.toString('base64'), isBase64Encoded: true }
      : { isBase64Encoded: false }),
  };
};

export type Route = (event: HttpEvent) => Promise<HttpResult> | undefined;

const writeResult = (response: ServerResponse, result: HttpResult) => {
  response.writeHead(result.statusCode, (result.headers ?? {}) as Record<string, string>);
  response.end(result.body);
};

/**
 * A local HTTP server in front of the Lambda handlers. `route` answers each request, as API
 * Gateway's routes and the functions behind them do: the local app's is the dispatch of the route
 * table (`functions/http/dispatch.ts`). One that returns undefined gets the SPEC's JSON 404.
 */
export const startHttpGateway = async (options: {
  readonly port: number;
  readonly host?: string;
  readonly bodyLimit: number;
  readonly route: Route;
  readonly onError?: (error: unknown) => void;
}): Promise<Server> => {
  // HTTP/1.1 needs a Host header; the refusal is written here, in JSON, not by Node as a bare 400.
  const server = createServer({ requireHostHeader: false }, async (request, response) => {
    if (request.httpVersion === '1.1' && request.headers.host === undefined) {
      writeResult(response, problem(400, 'bad_request', 'an HTTP/1.1 request needs a Host header'));
      return;
    }
    try {
      const event = await toHttpEvent(request, options.bodyLimit);
      const result = await options.route(event);
      writeResult(response, result ?? notFound());
    } catch (error) {
      options.onError?.(error);
      writeResult(response, problem(500, 'internal_error', 'unexpected failure'));
    }
  });
  // A request Node's parser refuses (broken framing, bad header bytes, oversized headers) never
  // reaches a route; it still gets the SPEC's JSON error shape, as API Gateway answers a 400.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify(
      tooLarge
        ? { error: 'headers_too_large', message: 'the request headers are too large' }
        : { error: 'bad_request', message: 'the request is not valid HTTP' },
    );
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
        'content-type: application/json; charset=utf-8\r\ncache-control: no-store\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return server;
};
