import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** Small helpers shared by the HTTP handlers (API Gateway HTTP API payload v2). */

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult => ({
  statusCode,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  },
  body: JSON.stringify(body),
});

/** SPEC §3 error body: `{"error": <code>, "message": …}` plus any details. */
export const problem = (
  statusCode: number,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
) => json(statusCode, { error, message, ...extra });

export const methodNotAllowed = (allowed: readonly string[]) =>
  json(
    405,
    { error: 'method_not_allowed', message: `use ${allowed.join(' or ')}` },
    { allow: allowed.join(', ') },
  );

export const notFound = () => problem(404, 'not_found', 'no such route');

export const payloadTooLarge = (maxBytes: number) =>
  problem(413, 'payload_too_large', `the body must be at most ${maxBytes} bytes`);

export const unsupportedMediaType = (accepted: readonly string[]) =>
  problem(415, 'unsupported_media_type', `send the body as ${accepted.join(' or ')}`);

/** The request body as text (API Gateway may base64-encode it). */
export const bodyText = (event: HttpEvent): string =>
  event.body === undefined || event.body === null
    ? ''
    : event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body;

export const bodyBytes = (event: HttpEvent): number =>
  event.body === undefined || event.body === null
    ? 0
    : event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').length
      : Buffer.byteLength(event.body, 'utf8');

export const methodOf = (event: HttpEvent) => event.requestContext.http.method.toUpperCase();

/** Header lookup that ignores case. */
export const headerOf = (event: HttpEvent, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {}))
    if (key.toLowerCase() === wanted) return value;
  return undefined;
};

export const lowerCaseHeaders = (event: HttpEvent): Record<string, string | undefined> =>
  Object.fromEntries(
    Object.entries(event.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value]),
  );
