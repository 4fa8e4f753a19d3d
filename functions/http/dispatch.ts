import {
  bodyBytes,
  type HttpEvent,
  type HttpResult,
  headerOf,
  methodNotAllowed,
  methodOf,
  notFound,
  payloadTooLarge,
  unsupportedMediaType,
} from '../handlers/http-response';
import type { ApiRoute, FunctionName, OperationId } from './routes';

/** Serves one route: an API Gateway HTTP API (payload v2) event in, its answer out. */
export type Handler = (event: HttpEvent) => Promise<HttpResult>;

/** The handler of each operation a dispatch serves; the table's other routes do not exist for it. */
export type Handlers = { readonly [K in OperationId]?: Handler };

/** A request's path as the table spells it: trailing slashes dropped, `/` kept. */
export const routePath = (rawPath: string): string => rawPath.replace(/\/+$/, '') || '/';

/** Whether a `content-type` header value names one of `accepted` (parameters and case ignored). */
export const isMediaType = (header: string | undefined, accepted: readonly string[]): boolean => {
  if (header === undefined) return false;
  const mediaType = (header.split(';')[0] ?? '').trim().toLowerCase();
  return accepted.some((type) => type.toLowerCase() === mediaType);
};

const answersMethod = (route: ApiRoute, method: string) =>
  route.method === method || (route.method === 'GET' && method === 'HEAD');

/**
 * Answers a request from a route table: `404 not_found` for a path no served route has,
 * `405 method_not_allowed` (with `allow`) for a method it lacks, `413 payload_too_large` and
 * `415 unsupported_media_type` for a body the route refuses; otherwise the route's handler
 * answers. These four SPEC §3 errors are answered here and nowhere else; the checks run in that
 * order, before the handler reads anything. `GET` routes answer `HEAD` too.
 *
 * Only the routes with a handler in `handlers` are served: the ingest function serves its own
 * routes, and `/unsubscribe` does not exist for it.
 *
 * @example
 * const ingest = dispatch(ROUTES, { receiveEvent, getHealth, getOpenApiDocument });
 * const result = await ingest(apiGatewayEvent);
 */
export const dispatch = (table: readonly ApiRoute[], handlers: Handlers): Handler => {
  const served = table.flatMap((route) => {
    const handler = handlers[route.operationId as OperationId];
    return handler === undefined ? [] : [{ route, handler }];
  });
  return async (event) => {
    const path = routePath(event.rawPath);
    const atPath = served.filter(({ route }) => route.path === path);
    if (atPath.length === 0) return notFound();
    const method = methodOf(event);
    const match = atPath.find(({ route }) => answersMethod(route, method));
    if (match === undefined) return methodNotAllowed(atPath.map(({ route }) => route.method));
    const { route, handler } = match;
    if (bodyBytes(event) > route.maxBodyBytes) return payloadTooLarge(route.maxBodyBytes);
    if (
      route.contentTypes !== undefined &&
      !isMediaType(headerOf(event, 'content-type'), route.contentTypes)
    ) {
      return unsupportedMediaType(route.contentTypes);
    }
    return handler(event);
  };
};

/**
 * The handlers of a table's routes from one handler per function, as API Gateway integrates
 * them: every route goes to the function that serves it. For the local server, in front of the
 * functions.
 *
 * @example
 * const route = dispatch(ROUTES, servedBy(ROUTES, { ingest, unsubscribe }));
 */
export const servedBy = (
  table: readonly ApiRoute[],
  functions: { readonly [K in FunctionName]?: Handler },
): Handlers =>
  Object.fromEntries(
    table.flatMap((route) => {
      const handler = functions[route.function];
      return handler === undefined ? [] : [[route.operationId, handler]];
    }),
  );
