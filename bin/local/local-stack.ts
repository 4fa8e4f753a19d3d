import type { Server } from 'node:http';
import { join } from 'node:path';
import { Cron } from 'croner';
import { Temporal } from 'temporal-polyfill';
import { TABLE_DESIGN } from '../../functions/adapters/dynamodb/table-design';
import { signWebhook } from '../../functions/adapters/webhook-signature';
import type { RuleSettings } from '../../functions/domain/rule-settings';
import { demoEvents } from './demo-events';
import { markCleanStop, markRunning, repairDueIndex, wasStoppedCleanly } from './due-index-repair';
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
import { type LocalSecrets, loadLocalSecrets, shareLocalSecrets } from './local-secrets';

/** A running local stack. */
export interface LocalStack {
  readonly app: LocalApp;
  readonly config: LocalConfig;
  readonly secrets: LocalSecrets;
  readonly urls: { readonly api: string; readonly inbox: string; readonly dynamodb: string };
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
    });
    if (ownEmulator) {
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
    const server = await startHttpGateway({
      port: config.port,
      bodyLimit: MAX_BODY_BYTES,
      route: app.route,
    });
    started.push({ stop: () => closeServer(server) });
    const api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

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
      urls: { api, inbox: sesUrl, dynamodb: dynamodbUrl },
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
