/**
 * The route table of SPEC §3: every request the HTTP API answers, the function that serves it and
 * what a request body may be. One table feeds the API Gateway routes
 * (`lib/constructs/reminders-http-api.ts`), the dispatch inside each function and in the local
 * server (`functions/http/dispatch.ts`), and the OpenAPI document (`functions/http/openapi.ts`).
 *
 * Data only, with no imports, so the CDK app and every Lambda bundle can read it.
 */

/** SPEC §3: bodies over 64 KiB are refused (413) before they are read. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The Lambda functions behind the HTTP API (files under `functions/handlers/`). */
export type FunctionName = 'ingest' | 'unsubscribe';

/** The methods routes are declared with; a `GET` route answers `HEAD` as well. */
export type RouteMethod = 'GET' | 'POST';

export interface ApiRoute {
  /** Names the route's handler in the dispatch and its operation in the OpenAPI document. */
  readonly operationId: string;
  readonly method: RouteMethod;
  /** The exact path, without a trailing slash (a request's trailing slashes are ignored). */
  readonly path: string;
  /** The function API Gateway integrates the route with. */
  readonly function: FunctionName;
  /** A longer body is answered `413 payload_too_large`. */
  readonly maxBodyBytes: number;
  /**
   * Media types the body must be sent as, or else `415 unsupported_media_type`; parameters such
   * as `charset` are ignored and case does not matter. Absent: any content type (or none).
   */
  readonly contentTypes?: readonly string[];
}

export const ROUTES = [
  {
    operationId: 'receiveEvent',
    method: 'POST',
    path: '/v1/events',
    function: 'ingest',
    maxBodyBytes: MAX_BODY_BYTES,
    contentTypes: ['application/json'],
  },
  {
    operationId: 'getHealth',
    method: 'GET',
    path: '/v1/health',
    function: 'ingest',
    maxBodyBytes: MAX_BODY_BYTES,
  },
  {
    operationId: 'getOpenApiDocument',
    method: 'GET',
    path: '/v1/openapi.json',
    function: 'ingest',
    maxBodyBytes: MAX_BODY_BYTES,
  },
  {
    operationId: 'showUnsubscribePage',
    method: 'GET',
    path: '/unsubscribe',
    function: 'unsubscribe',
    maxBodyBytes: MAX_BODY_BYTES,
  },
  {
    // Any content type: an RFC 8058 one-click POST must work whatever a mail client sends.
    operationId: 'unsubscribe',
    method: 'POST',
    path: '/unsubscribe',
    function: 'unsubscribe',
    maxBodyBytes: MAX_BODY_BYTES,
  },
] as const satisfies readonly ApiRoute[];

export type Route = (typeof ROUTES)[number];
export type OperationId = Route['operationId'];

/**
 * The function that API Gateway's `$default` route reaches: every path the table does not
 * know, and every method on a path of this function that the table does not know, so that they
 * get the JSON 404 and 405 of SPEC §3. A path of another function gets an `ANY` route to it.
 */
export const DEFAULT_FUNCTION: FunctionName = 'ingest';

/** The distinct paths of a table, in table order. */
export const pathsOf = (table: readonly ApiRoute[]): string[] => [
  ...new Set(table.map((route) => route.path)),
];
