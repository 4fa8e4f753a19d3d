import type { Server } from 'node:http';
import { join } from 'node:path';
import { Cron } from 'croner';
import { Temporal } from 'temporal-polyfill';
import { TABLE_DESIGN } from '../../functions/adapters/dynamodb/table-design';
import { signWebhook } from '../../functions/adapters/webhook-signature';
import type { RuleSettings } from '../../functions/domain/rule-settings';
import { notFound } from '../../functions/handlers/http-response';
import type { Clock } from '../../functions/use-cases/ports';
import { reindexDue } from '../../functions/use-cases/reindex-due';
import { createConsole } from '../console/console-app';
import { consoleGatewayRoute } from '../console/console-server';
import { demoEvents } from './demo-events';
import {
  markCleanStop,
  markRules,
  markRunning,
  repairDueIndex,
  rulesChanged,
  wasStoppedCleanly,
} from './due-index-repair';
import { type RunningEmulator, startDynamoEmulator, startSesEmulator } from './emulators';
import { startHttpGateway } from './http-gateway';
import {
  connectTable,
  createLocalApp,
  type LocalApp,
  localClients,
  MAX_BODY_BYTES,
  type RunReport,
} from './local-app';
import type { LocalConfig } from './local-config';
import { startOutboundWorker } from './local-outbox';
import { type LocalSecrets, loadLocalSecrets, shareLocalSecrets } from './local-secrets';

/** A running local stack. */
export interface LocalStack {
  readonly app: LocalApp;
  readonly config: LocalConfig;
  readonly secrets: LocalSecrets;
  readonly urls: {
    readonly api: string;
    readonly inbox: string;
    readonly dynamodb: string;
    readonly console: string;
    /** `OUTBOUND_WEBHOOK_URL`, when outbound webhooks are on. */
    readonly outbound?: string;
  };
  /** Loads the demo candidates through signed webhooks; returns how many events were posted. */
  loadDemo(): Promise<number>;
  isEmpty(): Promise<boolean>;
  run(at?: Temporal.Instant): Promise<RunReport>;
  /** Runs on `SCHEDULE` (UTC) until stopped; overlapping runs are skipped. */
  schedule(onRun: (report: RunReport) => void, onError: (error: unknown) => void): Cron;
  stop(): Promise<void>;
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });

/**
 * Starts the whole stack on this machine: DynamoDB emulator persisted under `DATA_DIR`, SES
 * emulator with its inbox, the HTTP API in front of the Lambda handlers, and the runner.
 *
 * @example
 * const stack = await startLocalStack(config, settings, process.env);
 * await stack.run();
 * await stack.stop();
 */
export const startLocalStack = async (
  config: LocalConfig,
  settings: RuleSettings,
  env: Record<string, string | undefined>,
  options: {
    /** How often the outbound worker looks for due events (default 1 s). */
    readonly outboundPollMs?: number;
    /** The wall clock (tests move it past retry delays). */
    readonly clock?: Clock;
  } = {},
): Promise<LocalStack> => {
  const started: Array<RunningEmulator | { stop(): Promise<void> }> = [];
  let emulatorData: string | undefined;
  const stopAll = async () => {
    for (const part of started.reverse()) await part.stop().catch(() => {});
    // Only now is everything on disk: the next start need not repair anything.
    if (emulatorData !== undefined) await markCleanStop(emulatorData).catch(() => {});
  };
  try {
    const secrets = await loadLocalSecrets(config.dataDir, env);
    // SPEC §5: a DYNAMODB_ENDPOINT or SES_ENDPOINT that is set is used instead of an emulator.
    const startedEmulator = async (start: () => Promise<RunningEmulator>) => {
      const emulator = await start();
      started.push(emulator);
      return emulator.url;
    };
    const ownEmulator = !env.DYNAMODB_ENDPOINT;
    const cleanBefore = await wasStoppedCleanly(config.dataDir);
    const dynamodbUrl = env.DYNAMODB_ENDPOINT
      ? config.dynamodbEndpoint
      : await startedEmulator(() =>
          startDynamoEmulator({ port: config.dynamodbPort, dataDir: config.dataDir }),
        );
    const sesUrl = env.SES_ENDPOINT
      ? config.sesEndpoint
      : await startedEmulator(() => startSesEmulator({ port: config.sesPort }));
    const clients = localClients({ ...config, dynamodbEndpoint: dynamodbUrl, sesEndpoint: sesUrl });
    await connectTable(clients.dynamodb, config.tableName, {
      label: `${dynamodbUrl}${env.DYNAMODB_ENDPOINT ? ' (DYNAMODB_ENDPOINT)' : ''}`,
      create: true,
    });
    await shareLocalSecrets(clients.dynamodb, config.tableName, secrets);
    const app = createLocalApp({
      config,
      settings,
      secrets,
      clients,
      log: (message) => process.stderr.write(`${message}\n`),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    if (ownEmulator) {
      // An edited policy moves due dates: the due index is rebuilt under the rules now in force.
      const newRules = await rulesChanged(config.dataDir, settings);
      if (newRules) {
        const { rewritten } = await reindexDue({ candidates: app.stores.candidates, settings });
        process.stderr.write(
          `The rules or the policy changed since the last start: rewrote the due index of ${rewritten} candidate${rewritten === 1 ? '' : 's'}.\n`,
        );
      }
      await markRules(config.dataDir, settings);
      if (!cleanBefore) {
        const repaired = await repairDueIndex(
          app.stores.candidates,
          settings,
          TABLE_DESIGN.dueShards,
        );
        if (repaired > 0)
          process.stderr.write(
            `The last stop was not clean: wrote ${repaired} due candidate${repaired === 1 ? '' : 's'} again to rebuild the local due index.\n`,
          );
      }
      await markRunning(config.dataDir);
      emulatorData = config.dataDir;
    }
    // The operations console (SPEC §10) at /console: local only, not in the public route table.
    const consoleRoute = consoleGatewayRoute(
      createConsole({
        config,
        settings,
        store: app.store,
        clients,
        target: `local table ${config.tableName}`,
        mounts: ['/console'],
        onError: (error) => process.stderr.write(`console: ${(error as Error).message}\n`),
      }),
    );
    const server = await startHttpGateway({
      port: config.port,
      bodyLimit: MAX_BODY_BYTES,
      route: (event) =>
        event.rawPath === '/console' || event.rawPath.startsWith('/console/')
          ? consoleRoute(event).then((result) => result ?? notFound())
          : app.route(event),
    });
    started.push({ stop: () => closeServer(server) });
    const api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    if (app.outbound) {
      // The outbound function's part: a worker draining the outbox kept in the table.
      const worker = startOutboundWorker(app.outbound.outbox, app.outbound.endpoint, {
        ...(options.outboundPollMs ? { intervalMs: options.outboundPollMs } : {}),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      started.push({
        stop: async () => {
          // One last try of what is due; whatever fails waits in the table for the next start.
          await worker.drainNow();
          await worker.stop();
        },
      });
    }

    let running: Promise<RunReport> | undefined;
    const run = (at?: Temporal.Instant) => {
      const next = (running ?? Promise.resolve())
        .catch(() => {})
        .then(() => app.run(at ?? Temporal.Now.instant()));
      running = next;
      return next;
    };

    return {
      app,
      config,
      secrets,
      urls: {
        api,
        inbox: sesUrl,
        dynamodb: dynamodbUrl,
        console: `${api}/console`,
        ...(config.runtime.outboundWebhookUrl
          ? { outbound: config.runtime.outboundWebhookUrl }
          : {}),
      },
      async isEmpty() {
        for await (const page of app.stores.candidates.scanCandidates(1))
          if (page.length > 0) return false;
        return true;
      },
      async loadDemo() {
        const today = Temporal.Now.plainDateISO('UTC').toString();
        const events = demoEvents(today);
        for (const [index, event] of events.entries()) {
          const body = JSON.stringify(event);
          const headers = signWebhook(
            secrets.webhookSecrets[0] as string,
            `demo-${today}-${index}`,
            new Date(),
            body,
          );
          const response = await fetch(`${api}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body,
          });
          if (response.status !== 202)
            throw new Error(
              `demo event ${index} was refused: ${response.status} ${await response.text()}`,
            );
        }
        return events.length;
      },
      run,
      schedule(onRun, onError) {
        const job = new Cron(config.schedule, { timezone: 'UTC', protect: true }, async () => {
          try {
            onRun(await run());
          } catch (error) {
            onError(error);
          }
        });
        started.push({ stop: async () => job.stop() });
        return job;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};

export const secretsFileOf = (config: LocalConfig) => join(config.dataDir, 'secrets.json');
