import { createServer, type Server } from 'node:http';
import type { HttpEvent, HttpResult } from '../../functions/handlers/http-response';
import type { ConsoleRequest, ConsoleRoutes } from './console-routes';

/** The only address the console listens on: it is an operator's tool, never a public one. */
export const CONSOLE_HOST = '127.0.0.1';

/**
 * Serves the console on 127.0.0.1 (`port` 0 picks a free one).
 *
 * @example
 * const { server, url } = await startConsoleServer({ port: 3001, routes });
 */
export const startConsoleServer = async (options: {
  readonly port: number;
  readonly routes: ConsoleRoutes;
  readonly onError?: (error: unknown) => void;
}): Promise<{ readonly server: Server; readonly url: string }> => {
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const answer = await options.routes({
        method: request.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
      });
      if (answer === undefined) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        response.end('not found');
        return;
      }
      response.writeHead(answer.status, answer.headers as Record<string, string>);
      response.end(answer.body);
    } catch (error) {
      options.onError?.(error);
      if (!response.headersSent)
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('unexpected failure');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, CONSOLE_HOST, () => resolve());
  });
  const { port } = server.address() as { port: number };
  return { server, url: `http://${CONSOLE_HOST}:${port}/` };
};

/** The console as a route of the local HTTP gateway (`dev` serves it at `/console`). */
export const consoleGatewayRoute =
  (routes: ConsoleRoutes) =>
  async (event: HttpEvent): Promise<HttpResult | undefined> => {
    const request: ConsoleRequest = {
      method: event.requestContext.http.method,
      path: event.rawPath,
      query: new URLSearchParams(event.rawQueryString ?? ''),
    };
    const answer = await routes(request);
    return (
      answer && { statusCode: answer.status, headers: { ...answer.headers }, body: answer.body }
    );
  };
