import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CliContext } from '../../../bin/cli/cli-context';
import { runCli } from '../../../bin/cli/program';
import {
  attemptEvent,
  UNSUBSCRIBE_SECRET,
  WEBHOOK_SECRET,
} from '../../integration/support/harness';
import { type Served, serveTestApp } from '../hostile/hostile-support';
import { captureOutput, leaksIn, type PiiMarkers, piiMarkers } from './pii-support';

/**
 * SPEC §11 for the command line: every command, run through `runCli` (what `bin/reminders.ts`
 * calls) on the emulators, with files full of distinctive personal data, writes none of it to its
 * diagnostics (stderr, warnings, the console). Commands whose output has no personal field
 * (`import`'s summary, `sign`) keep it out of their output too; `run`, `timeline` and `forecast`
 * show addresses, names or credential names to the operator who asked (SPEC §5), so only their
 * diagnostics are judged. `dev` is the local stack: what it prints while it runs is its log,
 * judged in its own test below.
 */

let directory: string;
let served: Served;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dp-cli-'));
  served = await serveTestApp();
});

afterAll(async () => {
  await served?.close();
  await rm(directory, { recursive: true, force: true });
});

const baseEnv = (tableName: string, extra: Record<string, string> = {}) => ({
  DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
  SES_ENDPOINT: inject('sesEndpoint'),
  TABLE_NAME: tableName,
  DATA_DIR: join(directory, tableName),
  WEBHOOK_SECRET,
  UNSUBSCRIBE_SECRET,
  SES_MAX_SEND_RATE: '1000',
  PUBLIC_URL: 'http://127.0.0.1:3999',
  CI: 'true',
  ...extra,
});

interface Ran {
  readonly argv: readonly string[];
  readonly code: number;
  /** What the command printed as its output. */
  readonly output: string[];
  /** Its diagnostics: warnings, and whatever reached stderr, stdout or the console directly. */
  readonly logs: string[];
}

const cli = async (env: Record<string, string>, argv: readonly string[]): Promise<Ran> => {
  const output: string[] = [];
  const warnings: string[] = [];
  const context: CliContext = {
    env,
    now: () => new Date(),
    print: (text) => output.push(text),
    warn: (text) => warnings.push(text),
    interactive: false,
  };
  const capture = captureOutput();
  let code: number;
  try {
    code = await runCli(argv, context);
  } finally {
    capture.stop();
  }
  return { argv, code, output, logs: [...warnings, ...capture.lines] };
};

/** A person's attempts, profile changes, a merge and an erasure, with bad lines among them. */
const eventLines = (m: PiiMarkers, ids: { p: string; q: string; r: string }, takenAt: string) => {
  const attempt = (
    candidateId: string,
    n: number,
    extra: Partial<Parameters<typeof attemptEvent>[0]> = {},
  ) =>
    attemptEvent({
      candidateId,
      attemptId: `${candidateId}-a${n}`,
      email: m.email,
      name: m.name,
      guardianEmail: m.guardianEmail,
      timeZone: 'Asia/Tokyo',
      credentialId: 'dp-cli-cred',
      credentialName: m.credentialName,
      outcome: 'pass',
      takenAt,
      ...extra,
    });
  const good = [
    attempt(ids.p, 1),
    attempt(ids.p, 2, { credentialId: 'dp-cli-other', outcome: 'fail' }),
    attempt(ids.q, 1, { email: m.otherEmail, name: m.otherName }),
    attempt(ids.r, 1),
    {
      type: 'candidate.updated',
      timestamp: takenAt,
      data: { candidateId: ids.p, name: m.otherName },
    },
    {
      type: 'account.merged',
      timestamp: takenAt,
      data: { fromCandidateId: ids.q, toCandidateId: ids.p },
    },
    { type: 'candidate.erased', timestamp: takenAt, data: { candidateId: ids.r } },
  ].map((event) => JSON.stringify(event));
  const first = attempt(ids.p, 1);
  const bad = [
    JSON.stringify({
      ...first,
      data: {
        ...first.data,
        attemptId: `${ids.p}-bad1`,
        candidate: { ...first.data.candidate, email: `${m.email}@@x` },
      },
    }),
    JSON.stringify({
      ...first,
      data: {
        ...first.data,
        attemptId: `${ids.p}-bad2`,
        candidate: { ...first.data.candidate, name: `${m.name}\u0007` },
      },
    }),
    `{"type":"attempt.recorded","data":{"candidate":{"email":"${m.email}","name":"${m.name}"}`,
    JSON.stringify({
      type: 'candidate.renamed',
      timestamp: takenAt,
      data: { candidateId: ids.p, name: m.name, email: m.email },
    }),
    JSON.stringify({
      ...first,
      data: {
        ...first.data,
        credential: { credentialId: 'dp-cli-cred', name: `${m.credentialName} II` },
      },
    }),
  ];
  return { good, bad };
};

const csvLines = (m: PiiMarkers, candidateId: string, takenAt: string) => [
  'attemptId,candidateId,email,name,timeZone,credentialId,credentialName,outcome,takenAt,guardianEmail',
  `${candidateId}-c1,${candidateId},${m.email},"${m.name}",UTC,dp-csv-cred,"${m.credentialName}",pass,${takenAt},${m.guardianEmail}`,
  `${candidateId}-c2,${candidateId},${m.email}@@bad,"${m.name}",UTC,dp-csv-cred,"${m.credentialName}",pass,${takenAt},${m.guardianEmail}`,
  `${candidateId}-c3,${candidateId},${m.email},"${m.name}",Mars/Base,dp-csv-cred,"${m.credentialName}",pass,${takenAt},`,
  `${candidateId}-c4,${candidateId},"${m.email},${m.name}`,
  `${candidateId}-c5,${candidateId},${m.email},${m.name}`,
];

const write = async (name: string, lines: readonly string[]) => {
  const path = join(directory, name);
  await writeFile(path, `${lines.join('\n')}\n`, 'utf8');
  return path;
};

describe('the command line logs no personal data', () => {
  it('in import, forecast, timeline, run and sign, on their success and failure paths', async () => {
    // Prepare
    const m = piiMarkers('cli');
    const tag = randomUUID().slice(0, 8);
    const ids = { p: `dp-cli-p-${tag}`, q: `dp-cli-q-${tag}`, r: `dp-cli-r-${tag}` };
    const { good, bad } = eventLines(m, ids, '2026-01-15T10:00:00Z');
    const jsonl = await write(`events-${tag}.jsonl`, [
      good[0] as string,
      ...bad.slice(0, 2),
      ...good.slice(1),
      ...bad.slice(2),
    ]);
    const csv = await write(
      `events-${tag}.csv`,
      csvLines(m, `dp-csv-${tag}`, '2026-01-15T10:00:00Z'),
    );
    const single = await write(`attempt-${tag}.json`, [good[0] as string]);
    const env = baseEnv(`dp-cli-${tag}`);
    const signEnv = { ...env, PUBLIC_URL: `http://127.0.0.1:${served.port}` };

    // Act
    const runs: Ran[] = [];
    for (const argv of [
      ['import', jsonl, '--json'],
      ['import', csv],
      ['import', jsonl],
      ['forecast', '--input', jsonl, '--from', '2026-01-01', '--to', '2027-12-31', '--json'],
      ['forecast', '--input', csv, '--from', '2026-01-01', '--to', '2027-12-31'],
      ['forecast', '--from', '2026-01-01', '--to', '2027-12-31', '--json'],
      ['forecast', '--from', '2026-01-01', '--to', '2027-12-31', '--candidate', ids.q],
      ['timeline', ids.p, '--json'],
      ['timeline', ids.q],
      ['timeline', ids.r, '--verbose'],
      ['timeline', `dp-cli-nobody-${tag}`],
      ['run', '--now', '2026-10-16', '--dry-run', '--json'],
      ['run', '--now', '2026-10-16'],
      ['run', '--now', '2026-10-16', '--json'],
      ['run', '--now', 'not-a-date'],
      ['import', join(directory, 'missing.jsonl')],
    ])
      runs.push(await cli(env, argv));
    runs.push(await cli(signEnv, ['sign', single]));
    runs.push(await cli(signEnv, ['sign', single, '--post', '--id', `msg_dp_${tag}`]));

    // Assess: the commands did their work (and failed where they should) ...
    expect(runs.map((ran) => `${ran.argv.slice(0, 2).join(' ')} → ${ran.code}`)).toEqual([
      `import ${jsonl} → 1`,
      `import ${csv} → 1`,
      `import ${jsonl} → 1`,
      'forecast --input → 1',
      'forecast --input → 1',
      'forecast --from → 0',
      'forecast --from → 0',
      `timeline ${ids.p} → 0`,
      `timeline ${ids.q} → 0`,
      `timeline ${ids.r} → 1`,
      `timeline dp-cli-nobody-${tag} → 1`,
      'run --now → 0',
      'run --now → 0',
      'run --now → 0',
      'run --now → 2',
      `import ${join(directory, 'missing.jsonl')} → 1`,
      `sign ${single} → 0`,
      `sign ${single} → 0`,
    ]);
    const rejected = JSON.parse(runs[0]?.output[0] ?? '{}') as { rejected?: unknown[] };
    expect(rejected.rejected).toHaveLength(bad.length);
    expect(runs[12]?.output.join('\n')).toContain('sent');
    expect(runs[17]?.output.join('\n')).toMatch(/^202 /);
    expect(runs[0]?.logs.join('\n')).toMatch(/line \d+: .*\n[\s\S]*rejected/);
    expect(runs[9]?.logs.join('\n')).toContain('was erased');
    expect(runs[14]?.logs.join('\n')).toContain('error:');

    // ... and no diagnostic of any of them, nor the output of import and sign, holds
    // the person's addresses, names or credential names, or any address at all.
    const leaks = runs.flatMap((ran) => {
      const judged = ['import', 'sign'].includes(ran.argv[0] as string)
        ? [...ran.logs, ...ran.output]
        : ran.logs;
      return leaksIn(judged, m.all).map((line) => `${ran.argv.join(' ')}: ${line.slice(0, 300)}`);
    });
    expect(leaks).toEqual([]);
  }, 120_000);
});

describe('the local stack (dev) logs no personal data', () => {
  /** Attempts whose renewal window opened a week ago, so the start-up catch-up run emails them. */
  const dueNow = (m: PiiMarkers, candidateId: string) => {
    const passed = new Date();
    passed.setUTCDate(passed.getUTCDate() - 7);
    passed.setUTCMonth(passed.getUTCMonth() - 9);
    return [
      JSON.stringify(
        attemptEvent({
          candidateId,
          attemptId: `${candidateId}-a1`,
          email: m.email,
          name: m.name,
          guardianEmail: m.guardianEmail,
          credentialId: 'dp-dev-cred',
          credentialName: m.credentialName,
          outcome: 'pass',
          takenAt: passed.toISOString(),
        }),
      ),
    ];
  };

  it('in what `dev --once` prints while it runs, the catch-up run included', async () => {
    // Prepare
    const m = piiMarkers('dev');
    const tag = randomUUID().slice(0, 8);
    const candidateId = `dp-dev-${tag}`;
    const env = baseEnv(`dp-dev-${tag}`, { PORT: '0' });
    const loaded = await cli(env, [
      'import',
      await write(`dev-${tag}.jsonl`, dueNow(m, candidateId)),
    ]);

    // Act
    const dev = await cli(env, ['dev', '--once', '--no-demo']);

    // Assess
    expect(loaded.code).toBe(0);
    expect(dev.code).toBe(0);
    expect(dev.output.join('\n')).toMatch(/Catch-up .*1 email sent/);
    expect(leaksIn([...dev.logs, ...dev.output], m.all)).toEqual([]);
  }, 60_000);
});
