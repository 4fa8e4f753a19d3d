/**
 * `npm run bench`: speed and cost measured in one run on this machine, printed as ratios so that a
 * noisy, shared machine still gives comparable numbers.
 *
 * 1. forecast --input: lines per second on a generated 100k-line file, and memory growth.
 * 2. the daily run's cost: DynamoDB requests and items read by the planner for the same number of
 *    due reminders in a small and a ten times larger table (ratio ≈ 1: reads follow what is due,
 *    not the table).
 * 3. ingest throughput through the webhook handler into the DynamoDB emulator.
 * 4. sending: emails per second against the SES emulator, and the observed rate against
 *    `SES_MAX_SEND_RATE`.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Temporal } from 'temporal-polyfill';
import { startDynamoEmulator, startSesEmulator } from '../bin/local/emulators';
import { connectTable, createLocalApp, localClients } from '../bin/local/local-app';
import { localConfigFromEnv } from '../bin/local/local-config';
import { TABLE_DESIGN } from '../functions/adapters/dynamodb/table-design';
import { createEventValidator } from '../functions/domain/event-schemas';
import { DEFAULT_RULE_SETTINGS } from '../functions/domain/rule-settings';
import { foldEventFile } from '../functions/use-cases/fold-event-file';
import { forecast } from '../functions/use-cases/forecast';
import { planRun, runBounded } from '../functions/use-cases/plan-run';
import { recordEvent } from '../functions/use-cases/record-event';

const settings = DEFAULT_RULE_SETTINGS;
const line = (text: string) => process.stdout.write(`${text}\n`);
const seconds = (start: number) => (performance.now() - start) / 1000;

const attempt = (index: number, takenAt: string, outcome: 'pass' | 'fail' = 'pass') => ({
  type: 'attempt.recorded',
  timestamp: takenAt,
  data: {
    attemptId: `bench-${index}`,
    candidate: {
      candidateId: `cand-${index}`,
      email: `cand-${index}@example.com`,
      timeZone: 'Europe/Lisbon',
    },
    credential: { credentialId: 'aws-serverless', name: 'AWS Serverless Microcredential' },
    outcome,
    takenAt,
  },
});

const benchForecast = async (dir: string) => {
  const path = join(dir, 'events.jsonl');
  const lines = 100_000;
  const out = createWriteStream(path);
  const base = Temporal.Instant.from('2024-01-01T09:00:00Z');
  for (let index = 0; index < lines; index += 1) {
    const takenAt = base.add({ hours: (index * 7) % 20_000 }).toString();
    out.write(
      `${JSON.stringify(attempt(index % 40_000 === index ? index : index, takenAt, index % 3 ? 'pass' : 'fail'))}\n`,
    );
  }
  await new Promise((resolve) => out.end(resolve));
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const start = performance.now();
  const folded = await foldEventFile(path, { now: () => new Date() });
  const reminders = forecast(folded.fold.candidates(), settings, {
    from: '2024-01-01',
    to: '2027-12-31',
  });
  const elapsed = seconds(start);
  const rssGrowth = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
  line(
    `forecast --input: ${lines} lines in ${elapsed.toFixed(2)} s = ${Math.round(lines / elapsed)} lines/s, ${reminders.length} reminders, memory +${rssGrowth.toFixed(0)} MiB`,
  );
};

/** A fresh table on the emulators with the local app wired to it. */
const benchApp = async (
  name: string,
  endpoints: { dynamodb: string; ses: string },
  rate: number,
  clientsOf: (
    config: ReturnType<typeof localConfigFromEnv>,
  ) => ReturnType<typeof localClients> = localClients,
) => {
  const config = localConfigFromEnv({
    TABLE_NAME: `bench-${name}-${Date.now()}`,
    DYNAMODB_ENDPOINT: endpoints.dynamodb,
    SES_ENDPOINT: endpoints.ses,
    SES_MAX_SEND_RATE: String(rate),
  });
  const clients = clientsOf(config);
  await connectTable(clients.dynamodb, config.tableName, { label: 'bench', create: true });
  return createLocalApp({
    config,
    settings,
    secrets: { webhookSecrets: ['whsec_YmVuY2g='], unsubscribeSecrets: ['bench'] },
    clients,
  });
};

const countingClients = (config: ReturnType<typeof localConfigFromEnv>) => {
  const clients = localClients(config);
  const counts = { requests: 0, items: 0, scans: 0 };
  clients.dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (
        context.commandName === 'QueryCommand' ||
        context.commandName === 'ScanCommand' ||
        context.commandName === 'GetItemCommand'
      ) {
        counts.requests += 1;
        const output = result.output as { Count?: number; Item?: unknown };
        counts.items += output.Count ?? (output.Item ? 1 : 0);
        if (context.commandName === 'ScanCommand') counts.scans += 1;
      }
      return result;
    },
    { step: 'initialize', name: 'benchReadCounter' },
  );
  return { clients, counts };
};

const benchRunCost = async (dynamodbUrl: string, sesUrl: string) => {
  const measure = async (tableSize: number, due: number) => {
    let counts = { requests: 0, items: 0, scans: 0 };
    const app = await benchApp(
      String(tableSize),
      { dynamodb: dynamodbUrl, ses: sesUrl },
      1000,
      (config) => {
        const counting = countingClients(config);
        counts = counting.counts;
        return counting.clients;
      },
    );
    const validate = createEventValidator(() => new Date());
    // `due` candidates passed on 2025-03-10 (renewal due 2025-12-10); the others long before or after.
    const events = Array.from({ length: tableSize }, (_, index) =>
      attempt(
        index,
        index < due
          ? '2025-03-10T09:00:00Z'
          : `2025-0${(index % 2) + 5}-0${(index % 9) + 1}T09:00:00Z`,
      ),
    );
    const start = performance.now();
    await runBounded(
      8,
      events.map((event) => async () => {
        const validation = validate(event);
        if (!validation.ok) throw new Error('bench event invalid');
        await recordEvent({ store: app.store, settings }, validation.event);
      }),
    );
    const ingestSeconds = seconds(start);
    counts.requests = 0;
    counts.items = 0;
    const queued: number[] = [];
    await planRun(
      {
        store: app.store,
        settings,
        shards: TABLE_DESIGN.dueShards,
        queue: { enqueue: async (requests) => void queued.push(requests.length) },
      },
      Temporal.Instant.from('2025-12-10T13:00:00Z'),
    );
    return { ...counts, candidates: queued.reduce((a, b) => a + b, 0), ingestSeconds, app };
  };
  const small = await measure(300, 50);
  const large = await measure(3000, 50);
  line(
    `ingest: ${Math.round(3000 / large.ingestSeconds)} events/s into the DynamoDB emulator (8 at a time)`,
  );
  line(
    `daily run reads: table of 300 -> ${small.requests} queries, ${small.items} items; table of 3000 -> ${large.requests} queries, ${large.items} items; ratio ${(large.items / Math.max(1, small.items)).toFixed(2)} (1.00 = reads follow reminders due, not table size); scans: ${small.scans + large.scans}`,
  );
  return large.app;
};

const benchSending = async (dynamodbUrl: string, sesUrl: string, rate: number) => {
  const app = await benchApp('send', { dynamodb: dynamodbUrl, ses: sesUrl }, rate);
  const validate = createEventValidator(() => new Date());
  const emails = 60;
  for (let index = 0; index < emails; index += 1) {
    const validation = validate(attempt(index, '2025-03-10T09:00:00Z'));
    if (validation.ok) await recordEvent({ store: app.store, settings }, validation.event);
  }
  const start = performance.now();
  const report = await app.run(Temporal.Instant.from('2025-12-10T13:00:00Z'));
  const elapsed = seconds(start);
  // The limiter lets one second's worth through at once, then spaces the rest.
  const steady = (report.emails.length - rate) / elapsed;
  line(
    `sending: ${report.emails.length} emails in ${elapsed.toFixed(2)} s; after the first second's burst ${steady.toFixed(1)}/s with SES_MAX_SEND_RATE=${rate} (ratio ${(steady / rate).toFixed(2)}, at most ~1)`,
  );
};

const main = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cert-reminders-bench-'));
  const dynamodb = await startDynamoEmulator({ port: 0 });
  const ses = await startSesEmulator({ port: 0 });
  try {
    await benchForecast(dir);
    await benchRunCost(dynamodb.url, ses.url);
    await benchSending(dynamodb.url, ses.url, 20);
  } finally {
    await dynamodb.stop();
    await ses.stop();
    await rm(dir, { recursive: true, force: true });
  }
};

await main();
