import type { Server } from 'node:http';
import { startHttpGateway } from '../bin/local/http-gateway';
import { MAX_BODY_BYTES } from '../bin/local/local-app';
import { signWebhook } from '../functions/adapters/webhook-signature';
import { runBounded } from '../functions/use-cases/plan-run';
import type { BaselineFigure } from './baseline';
import {
  attemptEvent,
  type Endpoints,
  freshApp,
  percentile,
  progress,
  round,
  secondsSince,
  WEBHOOK_SECRET,
} from './support';

/** Senders posting at once, as SPEC §12's ingest figure is defined. */
export const INGEST_CONCURRENCY = 16;

export interface IngestFigure {
  readonly events: number;
  readonly concurrency: number;
  readonly accepted: number;
  /** Answers by HTTP status; every one should be 202. */
  readonly statuses: Record<string, number>;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly requestsPerEvent: number;
  readonly requestsByCommand: Record<string, number>;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly baselinePutsPerSecond: number;
  /** eventsPerSecond / baselinePutsPerSecond. */
  readonly ratio: number;
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });

/**
 * Signed `attempt.recorded` webhooks for `events` distinct candidates, posted over real HTTP to
 * the local HTTP API (the same gateway and route table as `dev`), 16 senders at once.
 */
export const measureIngest = async (
  endpoints: Endpoints,
  events: number,
  baseline: BaselineFigure,
): Promise<IngestFigure> => {
  progress(`ingest: ${events} signed webhooks, ${INGEST_CONCURRENCY} senders`);
  const { app, counter } = await freshApp('ingest', endpoints);
  const server = await startHttpGateway({ port: 0, bodyLimit: MAX_BODY_BYTES, route: app.route });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/events`;
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const post = async (body: string, id: string) => {
    // Signed just before sending, as a real sender does; the timestamp must be fresh.
    const headers = signWebhook(WEBHOOK_SECRET, id, new Date(), body);
    const start = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    await response.arrayBuffer();
    latencies.push(performance.now() - start);
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  };
  const bodies = Array.from({ length: events }, (_, index) =>
    JSON.stringify(
      attemptEvent(
        `ingest-${index}`,
        `cand-ingest-${index}`,
        // Passes spread over 2025, so reminders land on many due dates as in real traffic.
        new Date(Date.UTC(2025, 0, 1, 9) + (index % 365) * 86_400_000).toISOString(),
        index % 4 === 0 ? 'fail' : 'pass',
      ),
    ),
  );
  try {
    // Warm-up on other candidates: connections, JIT and the first table pages are not the figure.
    await runBounded(
      INGEST_CONCURRENCY,
      Array.from(
        { length: INGEST_CONCURRENCY * 2 },
        (_, index) => () =>
          post(
            JSON.stringify(
              attemptEvent(`warm-${index}`, `cand-warm-${index}`, '2025-01-01T09:00:00Z'),
            ),
            `msg_warm_${index}`,
          ),
      ),
    );
    latencies.length = 0;
    for (const status of Object.keys(statuses)) delete statuses[status];
    counter.reset();
    const start = performance.now();
    await runBounded(
      INGEST_CONCURRENCY,
      bodies.map((body, index) => () => post(body, `msg_ingest_${index}`)),
    );
    const seconds = secondsSince(start);
    const eventsPerSecond = events / seconds;
    return {
      events,
      concurrency: INGEST_CONCURRENCY,
      accepted: statuses['202'] ?? 0,
      statuses,
      seconds: round(seconds),
      eventsPerSecond: round(eventsPerSecond, 1),
      requestsPerEvent: round(counter.total() / events, 2),
      requestsByCommand: counter.byCommand(),
      latencyMs: {
        p50: round(percentile(latencies, 50), 1),
        p99: round(percentile(latencies, 99), 1),
        max: round(Math.max(...latencies), 1),
      },
      baselinePutsPerSecond: baseline.putsPerSecond,
      ratio: round(eventsPerSecond / baseline.putsPerSecond, 3),
    };
  } finally {
    await closeServer(server);
  }
};
