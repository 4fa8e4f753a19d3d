import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../../../bin/cli/cli-context';
import { startConsole } from '../../../../bin/cli/console-command';
import { runCli } from '../../../../bin/cli/program';
import { type RunningEmulator, startDynamoEmulator } from '../../../../bin/local/emulators';
import { ensureTable } from '../../../../functions/adapters/dynamodb/create-table';
import { createDynamoStores } from '../../../../functions/adapters/dynamodb/dynamo-stores';
import { viewOf } from '../../../../functions/domain/candidate-state';
import { DEFAULT_RULE_SETTINGS } from '../../../../functions/domain/rule-settings';
import { documentClientFor } from '../../../../functions/handlers/lambda-runtime';
import { forecast } from '../../../../functions/use-cases/forecast';
import { passedOnce } from '../../support/candidates';

/**
 * `reminders console` against the DynamoDB emulator, both as the local stack's table
 * (`DYNAMODB_ENDPOINT`) and standing in for AWS (`--target aws`: the SDK's default client, pointed
 * at the emulator by `AWS_ENDPOINT_URL_DYNAMODB` as it would be at a real endpoint).
 */

const TABLE = 'console-command-test';
const NOW = new Date('2027-10-01T09:00:00Z');
const STATES = [
  passedOnce('cand-a'),
  passedOnce('cand-b', { email: 'b@example.com', name: 'Bea' }),
];

let emulator: RunningEmulator;

const contextOf = (env: Record<string, string>): CliContext & { readonly lines: string[] } => {
  const lines: string[] = [];
  return {
    env: { TABLE_NAME: TABLE, ...env },
    now: () => NOW,
    print: (text) => lines.push(text),
    warn: (text) => lines.push(text),
    interactive: false,
    lines,
  };
};

beforeAll(async () => {
  emulator = await startDynamoEmulator({ port: 0 });
  const client = new DynamoDBClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, TABLE);
  const stores = createDynamoStores({
    documentClient: documentClientFor(client),
    tableName: TABLE,
  });
  for (const state of STATES) await stores.candidates.save(state, 0, undefined);
});

afterAll(async () => {
  await emulator?.stop();
});

const expectedDays = () => {
  const entries = forecast(STATES.map(viewOf), DEFAULT_RULE_SETTINGS, {
    from: '2027-10-01',
    to: '2027-12-29',
  });
  return new Map(
    [...new Set(entries.map((entry) => entry.dueOn))].map((date) => [
      date,
      entries.filter((entry) => entry.dueOn === date).length,
    ]),
  );
};

const dayTotals = (body: string) =>
  new Map(
    [...body.matchAll(/<g class="day[^"]*" data-date="([^"]+)" data-total="(\d+)"/g)]
      .filter((match) => match[2] !== '0')
      .map((match) => [match[1], Number(match[2])]),
  );

describe('reminders console', () => {
  it('serves the local table through the CLI reads', async () => {
    // Prepare
    const context = contextOf({ DYNAMODB_ENDPOINT: emulator.url });
    const running = await startConsole(context, { port: 0 });

    try {
      // Act
      const overview = await (await fetch(running.url)).text();
      const candidate = await fetch(`${running.url}console/candidate?id=cand-b`);

      // Assess
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(overview.match(/<g class="day/g)).toHaveLength(90);
      expect(dayTotals(overview)).toEqual(expectedDays());
      expect(candidate.status).toBe(200);
      expect(await candidate.text()).toContain('Cloud Practitioner');
    } finally {
      await running.stop();
    }
  });

  it('reads the deployed table with --target aws through the default AWS client', async () => {
    // Prepare
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: emulator.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'emulator',
      AWS_SECRET_ACCESS_KEY: 'emulator',
    });
    const context = contextOf({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' });

    try {
      const running = await startConsole(context, { port: 0, target: 'aws' });
      try {
        // Act
        const overview = await (await fetch(running.url)).text();
        const candidate = await (await fetch(`${running.url}candidate?id=cand-a`)).text();

        // Assess
        expect(overview).toContain(`table ${TABLE} on AWS`);
        expect(dayTotals(overview)).toEqual(expectedDays());
        expect(candidate).toContain('cand-a@example.com');
      } finally {
        await running.stop();
      }
    } finally {
      process.env = saved;
    }
  });

  it('exits 2 on a usage error', async () => {
    // Prepare
    const context = contextOf({});
    const stderr = process.stderr.write;
    process.stderr.write = () => true;

    // Act
    const code = await runCli(['console', '--port', 'nope'], context).finally(() => {
      process.stderr.write = stderr;
    });

    // Assess
    expect(code).toBe(2);
  });
});
