import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliContext } from '../../../../bin/cli/cli-context';
import { runCli } from '../../../../bin/cli/program';
import { type RunningEmulator, startDynamoEmulator } from '../../../../bin/local/emulators';
import { ensureTable } from '../../../../functions/adapters/dynamodb/create-table';
import { createDynamoStores } from '../../../../functions/adapters/dynamodb/dynamo-stores';
import { nextDueAt } from '../../../../functions/domain/candidate-ledger';
import {
  DEFAULT_RULE_SETTINGS,
  type RuleSettings,
} from '../../../../functions/domain/rule-settings';
import { documentClientFor } from '../../../../functions/handlers/lambda-runtime';
import type { CandidateRepository } from '../../../../functions/use-cases/ports';
import { passedOnce } from '../../support/candidates';

/**
 * `reminders reindex` against the DynamoDB emulator, both as the local stack's table
 * (`DYNAMODB_ENDPOINT`) and standing in for AWS (`--target aws`: the SDK's default client, pointed
 * at the emulator by `AWS_ENDPOINT_URL_DYNAMODB` as it would be at a real endpoint). The entries
 * are written under the default rules, and the command runs under another `SEND_HOUR`.
 */

const NOW = new Date('2027-10-01T09:00:00Z');
const STATES = [passedOnce('cand-a'), passedOnce('cand-b'), passedOnce('cand-c')];
const NEW_RULES: RuleSettings = { ...DEFAULT_RULE_SETTINGS, sendHour: 7 };

let emulator: RunningEmulator;
let client: DynamoDBClient;
let table = '';
let tables = 0;

const contextOf = (env: Record<string, string>): CliContext & { readonly lines: string[] } => {
  const lines: string[] = [];
  return {
    env: { TABLE_NAME: table, SEND_HOUR: String(NEW_RULES.sendHour), ...env },
    now: () => NOW,
    print: (text) => lines.push(text),
    warn: (text) => lines.push(text),
    interactive: false,
    lines,
  };
};

const candidatesOf = (): CandidateRepository =>
  createDynamoStores({ documentClient: documentClientFor(client), tableName: table }).candidates;

beforeAll(async () => {
  emulator = await startDynamoEmulator({ port: 0 });
  client = new DynamoDBClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

beforeEach(async () => {
  tables += 1;
  table = `reindex-command-test-${tables}`;
  await ensureTable(client, table);
  const candidates = candidatesOf();
  for (const state of STATES)
    await candidates.save(state, 0, nextDueAt(state, DEFAULT_RULE_SETTINGS));
});

afterAll(async () => {
  await emulator?.stop();
});

const expectReindexed = async () => {
  const candidates = candidatesOf();
  for (const state of STATES) {
    const stored = await candidates.load(state.candidateId);
    expect(stored?.dueAt).toBe(nextDueAt(state, NEW_RULES));
    expect(stored?.dueAt).not.toBe(nextDueAt(state, DEFAULT_RULE_SETTINGS));
  }
};

describe('reminders reindex', () => {
  it('rewrites the local table’s entries under the rules in force, then has nothing to do', async () => {
    // Prepare
    const first = contextOf({ DYNAMODB_ENDPOINT: emulator.url });
    const second = contextOf({ DYNAMODB_ENDPOINT: emulator.url });

    // Act
    const code = await runCli(['reindex'], first);
    const again = await runCli(['reindex'], second);

    // Assess
    expect(code).toBe(0);
    expect(first.lines).toEqual(['Scanned 3 candidates; rewrote 3 due-index entries.']);
    expect(again).toBe(0);
    expect(second.lines).toEqual(['Scanned 3 candidates; rewrote 0 due-index entries.']);
    await expectReindexed();
  });

  it('rewrites the deployed table with --target aws through the default AWS client', async () => {
    // Prepare
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: emulator.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'emulator',
      AWS_SECRET_ACCESS_KEY: 'emulator',
    });
    const context = contextOf({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' });

    // Act
    const code = await runCli(['reindex', '--target', 'aws', '--json'], context).finally(() => {
      process.env = saved;
    });

    // Assess
    expect(code).toBe(0);
    expect(context.lines.map((line) => JSON.parse(line))).toEqual([{ scanned: 3, rewritten: 3 }]);
    await expectReindexed();
  });

  it('exits 2 on an unknown target', async () => {
    // Prepare
    const context = contextOf({ DYNAMODB_ENDPOINT: emulator.url });
    const stderr = process.stderr.write;
    process.stderr.write = () => true;

    // Act
    const code = await runCli(['reindex', '--target', 'moon'], context).finally(() => {
      process.stderr.write = stderr;
    });

    // Assess
    expect(code).toBe(2);
  });
});
