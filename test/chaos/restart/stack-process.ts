import { type ChildProcess, spawn } from 'node:child_process';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { duePk } from '../../../functions/adapters/dynamodb/item-keys';
import { TABLE_DESIGN } from '../../../functions/adapters/dynamodb/table-design';
import type { CandidateState } from '../../../functions/domain/candidate-state';

/**
 * The real local stack (`reminders dev`) and the real CLI as child processes, for tests that
 * kill them with SIGKILL and start them again on the same `DATA_DIR`.
 *
 * `node_modules/.bin/tsx` starts a second Node process that runs the program; a SIGKILL sent to
 * the first one only would leave the second running. Every child is therefore started in a
 * process group of its own and killed as a group.
 */

export const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = join(REPOSITORY, 'node_modules', '.bin', 'tsx');
export const TABLE_NAME = 'cert-reminders';

/** A schedule that never fires while a test runs (29 February, next in 2028). */
export const QUIET_SCHEDULE = '0 0 29 2 *';

export const sleep = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** `count` distinct free loopback ports: each found by listening on port 0, all held until known. */
export const freePorts = async (count: number): Promise<number[]> => {
  const servers: Server[] = [];
  try {
    for (let index = 0; index < count; index += 1) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      servers.push(server);
    }
    return servers.map((server) => (server.address() as { port: number }).port);
  } finally {
    await Promise.all(
      servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  }
};

const portAnswers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Waits until `check` is true, polling; fails with `what` after `timeoutMs`. */
export const waitUntil = async (
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  intervalMs = 100,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(intervalMs);
  }
};

/** Variables of the outside environment that would steer the children elsewhere. */
const INHERITED_OUT = [
  'PORT',
  'DYNAMODB_PORT',
  'SES_PORT',
  'DATA_DIR',
  'TABLE_NAME',
  'DYNAMODB_ENDPOINT',
  'SES_ENDPOINT',
  'PUBLIC_URL',
  'WEBHOOK_SECRET',
  'UNSUBSCRIBE_SECRET',
  'SCHEDULE',
  'SES_MAX_SEND_RATE',
  'CLAIM_LEASE_SECONDS',
  'POLICY_FILE',
  'OUTBOUND_WEBHOOK_URL',
];

const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_OUT) delete env[name];
  return {
    ...env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    CI: 'true',
    ...extra,
  };
};

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A child process running `reminders <args>` through tsx, in its own process group. */
export interface ReminderProcess {
  readonly pid: number;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves when the (tsx) process has exited. */
  readonly exited: Promise<ChildExit>;
  readonly hasExited: () => boolean;
  /** Sends `signal` to the whole process group (SIGKILL by default). */
  signal(signal?: NodeJS.Signals): void;
}

export const spawnReminders = (
  args: readonly string[],
  env: Record<string, string>,
): ReminderProcess => {
  const child: ChildProcess = spawn(TSX, ['bin/reminders.ts', ...args], {
    cwd: REPOSITORY,
    env: childEnv(env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  let done = false;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  const pid = child.pid as number;
  return {
    pid,
    stdout: () => out,
    stderr: () => err,
    exited,
    hasExited: () => done,
    signal(signal = 'SIGKILL') {
      try {
        process.kill(-pid, signal);
      } catch {
        // The group is gone already.
      }
    },
  };
};

/** Runs `reminders <args>` to its end (SIGKILLed after `timeoutMs`). */
export const runReminders = async (
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<ChildExit & { stdout: string; stderr: string; ms: number }> => {
  const started = performance.now();
  const child = spawnReminders(args, env);
  const timer = setTimeout(() => child.signal('SIGKILL'), timeoutMs);
  const exit = await child.exited;
  clearTimeout(timer);
  return {
    ...exit,
    stdout: child.stdout(),
    stderr: child.stderr(),
    ms: Math.round(performance.now() - started),
  };
};

/** The ports and data directory of one local stack, kept across its restarts. */
export interface StackSetup {
  readonly dataDir: string;
  readonly apiPort: number;
  readonly dynamodbPort: number;
  readonly sesPort: number;
  /** Settings shared by the stack and every command run against it. */
  readonly settings: Record<string, string>;
}

export const stackSetup = async (
  dataDir: string,
  settings: Record<string, string> = {},
): Promise<StackSetup> => {
  const [apiPort, dynamodbPort, sesPort] = (await freePorts(3)) as [number, number, number];
  return { dataDir, apiPort, dynamodbPort, sesPort, settings };
};

/** The environment of `reminders dev` for a setup. */
export const stackEnv = (setup: StackSetup): Record<string, string> => ({
  SCHEDULE: QUIET_SCHEDULE,
  ...setup.settings,
  DATA_DIR: setup.dataDir,
  PORT: String(setup.apiPort),
  DYNAMODB_PORT: String(setup.dynamodbPort),
  SES_PORT: String(setup.sesPort),
});

/** The environment of the other commands, pointed at the stack's emulators. */
export const commandEnv = (setup: StackSetup): Record<string, string> => ({
  ...stackEnv(setup),
  DYNAMODB_ENDPOINT: `http://127.0.0.1:${setup.dynamodbPort}`,
  SES_ENDPOINT: `http://127.0.0.1:${setup.sesPort}`,
});

export interface RunningStack {
  readonly setup: StackSetup;
  readonly process: ReminderProcess;
  readonly api: string;
  readonly ses: string;
  readonly dynamodb: string;
  /** Milliseconds from spawn until healthy and past its catch-up run. */
  readonly startMs: number;
  /** SIGKILLs the whole stack and waits until none of its ports answers. */
  kill(): Promise<void>;
  /** SIGTERM (what Ctrl-C does), then waits for a clean exit. */
  stop(): Promise<ChildExit>;
}

/**
 * Starts `reminders dev --no-demo` and waits until `GET /v1/health` answers and the catch-up run
 * at start is over (it prints "Press Ctrl-C").
 */
export const startStack = async (setup: StackSetup, timeoutMs = 90_000): Promise<RunningStack> => {
  const started = performance.now();
  const child = spawnReminders(['dev', '--no-demo'], stackEnv(setup));
  const api = `http://127.0.0.1:${setup.apiPort}`;
  const ports = [setup.apiPort, setup.dynamodbPort, setup.sesPort];
  const kill = async () => {
    child.signal('SIGKILL');
    await child.exited;
    await waitUntil(
      'the killed stack to release its ports',
      async () => !(await Promise.all(ports.map(portAnswers))).some(Boolean),
      15_000,
      50,
    );
  };
  try {
    await waitUntil(
      'the local stack to be healthy',
      async () => {
        if (child.hasExited())
          throw new Error(`the stack exited early:\n${child.stdout()}\n${child.stderr()}`);
        if (!child.stdout().includes('Press Ctrl-C')) return false;
        const answer = await fetch(`${api}/v1/health`).catch(() => undefined);
        return answer?.status === 200;
      },
      timeoutMs,
    );
  } catch (error) {
    await kill();
    throw error;
  }
  return {
    setup,
    process: child,
    api,
    ses: `http://127.0.0.1:${setup.sesPort}`,
    dynamodb: `http://127.0.0.1:${setup.dynamodbPort}`,
    startMs: Math.round(performance.now() - started),
    kill,
    async stop() {
      child.signal('SIGTERM');
      const timer = setTimeout(() => child.signal('SIGKILL'), 20_000);
      const exit = await child.exited;
      clearTimeout(timer);
      await waitUntil(
        'the stopped stack to release its ports',
        async () => !(await Promise.all(ports.map(portAnswers))).some(Boolean),
        15_000,
        50,
      );
      return exit;
    },
  };
};

// ---------------------------------------------------------------------------------------------
// Reading the stack's table and inbox from the test.

/** A document client on the stack's DynamoDB emulator (new per stack start: ports are reused). */
export const tableClient = (setup: StackSetup) =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: `http://127.0.0.1:${setup.dynamodbPort}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 3,
      requestHandler: new NodeHttpHandler({ connectionTimeout: 2000, requestTimeout: 60_000 }),
    }),
  );

export type TableItem = Record<string, unknown>;

/** Every item of the table (consistent, parallel Scan). */
export const scanTable = async (setup: StackSetup, segments = 4): Promise<TableItem[]> => {
  const db = tableClient(setup);
  const pages = await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      const items: TableItem[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new ScanCommand({
            TableName: TABLE_NAME,
            ConsistentRead: true,
            Segment: segment,
            TotalSegments: segments,
            ExclusiveStartKey,
          }),
        );
        items.push(...((page.Items ?? []) as TableItem[]));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items;
    }),
  );
  return pages.flat();
};

/** Items by key, in batches of 100; absent keys are absent from the map. */
export const getItems = async (
  setup: StackSetup,
  keys: ReadonlyArray<{ pk: string; sk: string }>,
): Promise<Map<string, TableItem>> => {
  const db = tableClient(setup);
  const found = new Map<string, TableItem>();
  for (let start = 0; start < keys.length; start += 100) {
    let pending: Array<{ pk: string; sk: string }> = keys.slice(start, start + 100);
    while (pending.length > 0) {
      const answer = await db.send(
        new BatchGetCommand({
          RequestItems: { [TABLE_NAME]: { Keys: pending, ConsistentRead: true } },
        }),
      );
      for (const item of (answer.Responses?.[TABLE_NAME] ?? []) as TableItem[])
        found.set(String(item.pk), item);
      pending = (answer.UnprocessedKeys?.[TABLE_NAME]?.Keys ?? []) as typeof pending;
    }
  }
  return found;
};

export const stateOf = (item: TableItem): CandidateState =>
  JSON.parse(String(item.data)) as CandidateState;

export const candidateStates = (items: readonly TableItem[]) =>
  items.filter((item) => item.sk === 'CANDIDATE').map(stateOf);

/**
 * Every attempt held by the candidates: attemptId → the candidate ids holding it, once per time
 * it is held (so a doubled attempt shows twice).
 */
export const heldAttempts = (items: readonly TableItem[]): Map<string, string[]> => {
  const held = new Map<string, string[]>();
  for (const state of candidateStates(items)) {
    for (const credential of Object.values(state.credentials)) {
      for (const attempt of credential.attempts)
        held.set(attempt.attemptId, [...(held.get(attempt.attemptId) ?? []), state.candidateId]);
    }
  }
  return held;
};

/** The `ATTEMPT#` registry entries' attempt ids. */
export const registeredAttempts = (items: readonly TableItem[]) =>
  new Set(
    items
      .filter((item) => String(item.pk).startsWith('ATTEMPT#'))
      .map((item) => String(item.pk).slice('ATTEMPT#'.length)),
  );

/** A disagreement between the due index and the candidate items. */
export interface DueIndexMismatch {
  /** `missing`: the item names an entry the index lacks; `stale`: the index has one it does not. */
  readonly kind: 'missing' | 'stale';
  readonly candidateId: string;
  /** The entry's `dueSk`: `<due instant>#<candidateId>`. */
  readonly dueSk: string;
  /** What the candidate's item holds now. */
  readonly item: string;
}

export const describeMismatch = (mismatch: DueIndexMismatch) =>
  `${mismatch.kind} in index: ${mismatch.dueSk} (item: ${mismatch.item})`;

/**
 * The due index (GSI) against the items: every candidate item carrying `duePk`/`dueSk` has
 * exactly that entry in the index, and the index has nothing else. DynamoDB guarantees it; the
 * emulator writes the index and the item separately, so a SIGKILL between them could break it.
 */
export const dueIndexMismatches = async (
  setup: StackSetup,
  items: readonly TableItem[],
): Promise<DueIndexMismatch[]> => {
  const { dueIndex, dueShards } = TABLE_DESIGN;
  const db = tableClient(setup);
  const candidates = new Map(
    items
      .filter((item) => item.sk === 'CANDIDATE')
      .map((item) => [String(item.pk).slice('CAND#'.length), item]),
  );
  const keyOf = (entry: TableItem) =>
    `${String(entry[dueIndex.partitionKey])}|${String(entry[dueIndex.sortKey])}`;
  const fromItems = new Map(
    [...candidates]
      .filter(([, item]) => item[dueIndex.sortKey] !== undefined)
      .map(([candidateId, item]) => [keyOf(item), candidateId]),
  );
  const fromIndex = new Map<string, string>();
  for (let shard = 0; shard < dueShards; shard += 1) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: TABLE_NAME,
          IndexName: dueIndex.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': dueIndex.partitionKey },
          ExpressionAttributeValues: { ':pk': duePk(shard) },
          ExclusiveStartKey,
        }),
      );
      for (const entry of page.Items ?? [])
        fromIndex.set(keyOf(entry), String(entry.pk).slice('CAND#'.length));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
  const itemNow = (candidateId: string) => {
    const item = candidates.get(candidateId);
    if (item === undefined) return 'absent';
    const entry = item[dueIndex.sortKey];
    return `version ${String(item.version)}, ${entry === undefined ? 'no due entry' : `due entry ${String(entry)}`}`;
  };
  const mismatchOf = (kind: DueIndexMismatch['kind'], key: string, candidateId: string) => ({
    kind,
    candidateId,
    dueSk: key.slice(key.indexOf('|') + 1),
    item: itemNow(candidateId),
  });
  return [
    ...[...fromItems]
      .filter(([key]) => !fromIndex.has(key))
      .map(([key, candidateId]) => mismatchOf('missing', key, candidateId)),
    ...[...fromIndex]
      .filter(([key]) => !fromItems.has(key))
      .map(([key, candidateId]) => mismatchOf('stale', key, candidateId)),
  ];
};

/** An email as the SES emulator keeps it (`GET /store`). */
export interface InboxEmail {
  readonly messageId: string;
  readonly destination: { readonly to: string[]; readonly cc: string[] };
  readonly subject: string;
  readonly at: number;
}

export const inbox = async (sesUrl: string): Promise<InboxEmail[]> => {
  const answer = await fetch(`${sesUrl}/store`, { signal: AbortSignal.timeout(5000) });
  const { emails } = (await answer.json()) as { emails: InboxEmail[] };
  return emails;
};

/** Exact quantiles of sorted numbers. */
export const quantile = (sorted: readonly number[], q: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number);
