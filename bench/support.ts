import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, freemem, platform, release, totalmem, type } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { connectTable, createLocalApp, localClients } from '../bin/local/local-app';
import { type LocalConfig, localConfigFromEnv } from '../bin/local/local-config';
import type { AttemptRecorded } from '../functions/domain/event-schemas';
import { DEFAULT_RULE_SETTINGS } from '../functions/domain/rule-settings';

/** The rule settings every figure runs with: the product defaults. */
export const SETTINGS = DEFAULT_RULE_SETTINGS;

/** The webhook secret of the benchmark apps (any valid `whsec_` secret does). */
export const WEBHOOK_SECRET = `whsec_${Buffer.from('cert-reminders bench secret').toString('base64')}`;

/** Progress and notes go to stderr, so that `--json` keeps stdout to one document. */
export const progress = (message: string): void => {
  process.stderr.write(`bench: ${message}\n`);
};

/** Seconds since `start` (a `performance.now()` reading). */
export const secondsSince = (start: number): number => (performance.now() - start) / 1000;

/** Rounds to `digits` decimals, for figures that are printed and stored. */
export const round = (value: number, digits = 2): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/** The `p`-th percentile (0–100) of `values`, nearest rank. */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
};

/** The machine the figures were measured on, for the header of the table and the JSON. */
export const machine = () => ({
  cores: cpus().length,
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  memoryBytes: totalmem(),
  freeMemoryBytes: freemem(),
  node: process.version,
  os: `${type()} ${release()} (${platform()})`,
});

export type Machine = ReturnType<typeof machine>;

/** An emulator running in a child process. */
export interface ChildEmulator {
  readonly url: string;
  stop(): Promise<void>;
}

const CHILD_SCRIPT = fileURLToPath(new URL('./emulator-child.ts', import.meta.url));

/**
 * Starts an emulator in a child Node process (through tsx) on a free port and waits for its URL,
 * so that its work and the client's run on different cores.
 */
export const startChildEmulator = (kind: 'dynamodb' | 'ses'): Promise<ChildEmulator> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD_SCRIPT, kind], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      child.stdout?.off('data', onData);
      const { url } = JSON.parse(buffered.slice(0, newline)) as { url: string };
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      resolve({
        url,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} emulator exited with ${code}`)));
  });

/** The short name of a DynamoDB command: `GetCommand` (document client) and `GetItemCommand` are both `GetItem`. */
const DOCUMENT_COMMANDS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};
const commandOf = (commandName: string) => {
  const bare = commandName.replace(/Command$/, '');
  return DOCUMENT_COMMANDS[bare] ?? bare;
};

/** DynamoDB requests by command, as counted on a client. */
export interface RequestCounter {
  /** Requests since the last reset, per command (`Query`, `PutItem`, …). */
  byCommand(): Record<string, number>;
  /** Requests since the last reset whose input `tag` put in `group`. */
  byGroup(): Record<string, number>;
  total(): number;
  reset(): void;
  /** Sorts each request into a group by its command and input (e.g. planner vs sender). */
  tagWith(tag: ((command: string, input: Record<string, unknown>) => string) | undefined): void;
}

/**
 * Counts every DynamoDB request sent through `client` (and any document client built on it) with
 * a middleware at the `initialize` step, so each command counts once, retries not included.
 */
export const countRequests = (client: DynamoDBClient): RequestCounter => {
  let commands = new Map<string, number>();
  let groups = new Map<string, number>();
  let tag: ((command: string, input: Record<string, unknown>) => string) | undefined;
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = commandOf(String(context.commandName ?? 'Unknown'));
      // Table management (create, describe) is set-up, not the work being measured.
      if (!/Table$/.test(command)) {
        bump(commands, command);
        if (tag) bump(groups, tag(command, args.input as Record<string, unknown>));
      }
      return next(args);
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
  return {
    byCommand: () => Object.fromEntries([...commands].sort()),
    byGroup: () => Object.fromEntries([...groups].sort()),
    total: () => [...commands.values()].reduce((sum, count) => sum + count, 0),
    reset: () => {
      commands = new Map();
      groups = new Map();
    },
    tagWith: (next) => {
      tag = next;
    },
  };
};

/** Where the emulators listen. */
export interface Endpoints {
  readonly dynamodb: string;
  readonly ses: string;
}

/**
 * A fresh table (unique name, the project's table design) on the emulators, the clients the local
 * app uses with a request counter on DynamoDB, and the local app wired to them.
 */
export const freshApp = async (
  name: string,
  endpoints: Endpoints,
  options: { readonly sesMaxSendRate?: number } = {},
) => {
  const config: LocalConfig = localConfigFromEnv({
    TABLE_NAME: `bench-${name}-${randomUUID().slice(0, 8)}`,
    DYNAMODB_ENDPOINT: endpoints.dynamodb,
    SES_ENDPOINT: endpoints.ses,
    SES_MAX_SEND_RATE: String(options.sesMaxSendRate ?? 1000),
  });
  const clients = localClients(config);
  const counter = countRequests(clients.dynamodb);
  await connectTable(clients.dynamodb, config.tableName, { label: 'bench', create: true });
  const app = createLocalApp({
    config,
    settings: SETTINGS,
    secrets: { webhookSecrets: [WEBHOOK_SECRET], unsubscribeSecrets: ['bench-unsubscribe'] },
    clients,
  });
  return { app, config, clients, counter };
};

export type FreshApp = Awaited<ReturnType<typeof freshApp>>;

/** An `attempt.recorded` event of candidate `candidate` (SPEC §2). */
export const attemptEvent = (
  attemptId: string,
  candidate: string,
  takenAt: string,
  outcome: 'pass' | 'fail' = 'pass',
): AttemptRecorded => ({
  type: 'attempt.recorded',
  timestamp: takenAt,
  data: {
    attemptId,
    candidate: {
      candidateId: candidate,
      email: `${candidate}@example.com`,
      timeZone: 'Europe/Lisbon',
    },
    credential: { credentialId: 'aws-serverless', name: 'AWS Serverless Microcredential' },
    outcome,
    takenAt,
  },
});
