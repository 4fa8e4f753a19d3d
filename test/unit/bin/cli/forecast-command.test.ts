import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultCliContext } from '../../../../bin/cli/default-context';
import { runCli } from '../../../../bin/cli/program';

/**
 * The `reminders forecast` command (SPEC §5) on small files: every case through `runCli` in
 * process (real context, captured output), and the main ones again through the real binary as a
 * child process with the host zone of this test project. Attempts are dated in the past
 * (≤ 2026-11) so that they pass the "not more than 5 minutes in the future" rule against the
 * real clock.
 */

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const CLI_TIMEOUT_MS = 30_000;

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

type Runner = (args: readonly string[], env?: Record<string, string>) => Promise<CliResult>;

/** `runCli` with the real context, its environment extended and its output captured. */
const inProcess: Runner = async (args, env = {}) => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const capture = (into: string[]) => (chunk: string | Uint8Array) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation(capture(stdout));
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation(capture(stderr));
  try {
    const code = await runCli([...args], {
      ...defaultCliContext(),
      env: { ...process.env, CI: '1', ...env },
      print: (text) => stdout.push(`${text}\n`),
      warn: (text) => stderr.push(`${text}\n`),
    });
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
  }
};

/** The real binary: `node tsx bin/reminders.ts …`. */
const childProcess: Runner = (args, env = {}) =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [TSX, 'bin/reminders.ts', ...args],
      { cwd: ROOT, env: { ...process.env, CI: '1', ...env }, timeout: CLI_TIMEOUT_MS },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });

const attempt = (
  attemptId: string,
  candidateId: string,
  outcome: 'pass' | 'fail',
  takenAt: string,
  timeZone?: string,
) => ({
  type: 'attempt.recorded',
  timestamp: takenAt,
  data: {
    attemptId,
    candidate: {
      candidateId,
      email: `${candidateId}@example.com`,
      ...(timeZone === undefined ? {} : { timeZone }),
    },
    credential: { credentialId: 'aws-cp', name: 'AWS Cloud Practitioner' },
    outcome,
    takenAt,
  },
});

// ana passes late on 31 August UTC, which is 1 September in Lisbon (summer time, +1);
// ben fails at 05:00Z on 4 February, which is 3 February in Los Angeles (−8).
const anaPass = attempt('att-1', 'ana', 'pass', '2025-08-31T23:30:00Z', 'Europe/Lisbon');
const benFail = attempt('att-2', 'ben', 'fail', '2026-02-04T05:00:00Z', 'America/Los_Angeles');
const calPass = attempt('att-3', 'cal', 'pass', '2026-01-10T09:00:00Z');
const calErased = {
  type: 'candidate.erased',
  timestamp: '2026-02-01T00:00:00Z',
  data: { candidateId: 'cal' },
};
const calFailAfterErasure = attempt('att-4', 'cal', 'fail', '2026-03-01T09:00:00Z');

const EXPECTED_2026 = [
  {
    candidateId: 'ben',
    credentialId: 'aws-cp',
    kind: 'retake_available',
    dueOn: '2026-02-28',
    dueAt: '2026-02-28T08:00:00Z',
  },
  {
    candidateId: 'ana',
    credentialId: 'aws-cp',
    kind: 'renewal_window_open',
    dueOn: '2026-06-01',
    dueAt: '2026-05-31T23:00:00Z',
  },
  {
    candidateId: 'ana',
    credentialId: 'aws-cp',
    kind: 'expiring_soon',
    dueOn: '2026-08-02',
    dueAt: '2026-08-01T23:00:00Z',
  },
  {
    candidateId: 'ana',
    credentialId: 'aws-cp',
    kind: 'expired',
    dueOn: '2026-09-01',
    dueAt: '2026-08-31T23:00:00Z',
  },
];

const CSV_HEADER =
  'attemptId,candidateId,email,name,timeZone,credentialId,credentialName,outcome,takenAt,guardianEmail';

let dir = '';
const file = (name: string) => join(dir, name);
const jsonl = (events: readonly unknown[]) =>
  `${events.map((event) => JSON.stringify(event)).join('\n')}\n`;

/** `forecast --input <dir>/<name> --from <from> --to <to> …extra`. */
const forecastArgs = (name: string, from: string, to: string, ...extra: string[]): string[] => [
  'forecast',
  '--input',
  file(name),
  '--from',
  from,
  '--to',
  to,
  ...extra,
];

/** The SPEC §5 fields of the forecast's JSON lines. */
const specFields = (document: { reminders: Array<Record<string, unknown>> }) =>
  document.reminders.map(({ candidateId, credentialId, kind, dueOn, dueAt }) => ({
    candidateId,
    credentialId,
    kind,
    dueOn,
    dueAt,
  }));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'forecast-cli-'));
  await writeFile(
    file('events.jsonl'),
    [
      JSON.stringify(anaPass),
      JSON.stringify(benFail),
      '',
      JSON.stringify(calPass),
      JSON.stringify(calErased),
      JSON.stringify(calFailAfterErasure),
      JSON.stringify(anaPass),
    ].join('\n'),
  );
  await writeFile(
    file('events.csv'),
    [
      CSV_HEADER,
      'att-1,ana,ana@example.com,"Silva, Ana",Europe/Lisbon,aws-cp,AWS Cloud Practitioner,pass,2025-08-31T23:30:00Z,',
      'att-2,ben,ben@example.com,Ben,America/Los_Angeles,aws-cp,AWS Cloud Practitioner,fail,2026-02-04T05:00:00Z,guardian@example.com',
      '',
    ].join('\r\n'),
  );
  await writeFile(
    file('bad.csv'),
    [
      CSV_HEADER,
      'att-1,ana,ana@example.com,"Silva, Ana",Europe/Lisbon,aws-cp,AWS Cloud Practitioner,pass,2025-08-31T23:30:00Z,',
      'att-9,ben,ben@example.com,Ben,America/Los_Angeles,aws-cp',
      'att-2,ben,ben@example.com,Ben,America/Los_Angeles,aws-cp,AWS Cloud Practitioner,fail,2026-02-04T05:00:00Z,',
    ].join('\n'),
  );
  await writeFile(
    file('bad.jsonl'),
    [
      JSON.stringify(anaPass),
      '{"type": "attempt.recorded", not json',
      JSON.stringify(attempt('att-8', 'ben', 'pass', '2030-01-01T00:00:00Z')),
      JSON.stringify({ type: 'attempt.deleted', timestamp: '2026-01-01T00:00:00Z', data: {} }),
      JSON.stringify(benFail),
    ].join('\n'),
  );
  await writeFile(
    file('no-offset.jsonl'),
    jsonl([anaPass, attempt('att-7', 'ben', 'fail', '2026-02-04T05:00:00'), benFail]),
  );
  await writeFile(
    file('no-zone.jsonl'),
    jsonl([attempt('att-1', 'dan', 'pass', '2026-03-01T03:00:00Z')]),
  );
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('reminders forecast --input', () => {
  const reminders = inProcess;

  it(
    'prints one JSON document with the reminders in range, sorted, for a JSONL file',
    async () => {
      // Act
      const result = await reminders(
        forecastArgs('events.jsonl', '2026-01-01', '2026-12-31', '--json'),
      );

      // Assess
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const document = JSON.parse(result.stdout);
      expect(specFields(document)).toEqual(EXPECTED_2026);
      for (const line of document.reminders) expect(typeof line.why).toBe('string');
      expect(
        document.reminders.some((line: { candidateId: string }) => line.candidateId === 'cal'),
      ).toBe(false);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'gives the same reminders for the same attempts in a CSV file (header, quotes, CRLF)',
    async () => {
      // Act
      const result = await reminders(
        forecastArgs('events.csv', '2026-01-01', '2026-12-31', '--json'),
      );

      // Assess
      expect(result.code).toBe(0);
      expect(specFields(JSON.parse(result.stdout))).toEqual(EXPECTED_2026);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'reads SEND_HOUR and EXPIRY_WARNING_DAYS from the environment',
    async () => {
      // Act
      const result = await reminders(
        forecastArgs('events.jsonl', '2026-01-01', '2026-12-31', '--json'),
        { SEND_HOUR: '9', EXPIRY_WARNING_DAYS: '30,7' },
      );

      // Assess
      expect(result.code).toBe(0);
      expect(
        specFields(JSON.parse(result.stdout)).map(
          (line) => `${line.dueOn} ${line.kind} ${line.dueAt}`,
        ),
      ).toEqual([
        '2026-02-28 retake_available 2026-02-28T17:00:00Z',
        '2026-06-01 renewal_window_open 2026-06-01T08:00:00Z',
        '2026-08-02 expiring_soon 2026-08-02T08:00:00Z',
        '2026-08-25 expiring_soon 2026-08-25T08:00:00Z',
        '2026-09-01 expired 2026-09-01T08:00:00Z',
      ]);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'uses DEFAULT_TIME_ZONE for candidates without a zone',
    async () => {
      // Act: 03:00Z on 1 March is 22:00 on 28 February in New York
      const result = await reminders(
        forecastArgs('no-zone.jsonl', '2026-11-01', '2026-12-31', '--json'),
        { DEFAULT_TIME_ZONE: 'America/New_York' },
      );

      // Assess
      expect(result.code).toBe(0);
      expect(specFields(JSON.parse(result.stdout))).toEqual([
        {
          candidateId: 'dan',
          credentialId: 'aws-cp',
          kind: 'renewal_window_open',
          dueOn: '2026-11-28',
          dueAt: '2026-11-28T05:00:00Z',
        },
      ]);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'filters by --candidate and includes both ends of the range',
    async () => {
      // Act
      const result = await reminders(
        forecastArgs('events.jsonl', '2026-06-01', '2026-09-01', '--candidate', 'ana', '--json'),
      );

      // Assess
      expect(result.code).toBe(0);
      expect(specFields(JSON.parse(result.stdout)).map((line) => line.dueOn)).toEqual([
        '2026-06-01',
        '2026-08-02',
        '2026-09-01',
      ]);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'prints an empty list when nothing is due in the range',
    async () => {
      // Act
      const result = await reminders(
        forecastArgs('events.jsonl', '2026-06-02', '2026-08-01', '--json'),
      );

      // Assess
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ reminders: [] });
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'prints a readable table without --json',
    async () => {
      // Act
      const result = await reminders(forecastArgs('events.jsonl', '2026-01-01', '2026-12-31'));

      // Assess
      expect(result.code).toBe(0);
      for (const line of EXPECTED_2026) {
        expect(result.stdout).toContain(line.dueOn);
        expect(result.stdout).toContain(line.kind);
      }
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'reports bad JSONL lines by number, still forecasts the good ones, and exits 1',
    async () => {
      // Act
      const result = await reminders(
        forecastArgs('bad.jsonl', '2026-01-01', '2026-12-31', '--json'),
      );

      // Assess
      expect(result.code).toBe(1);
      const document = JSON.parse(result.stdout);
      expect(specFields(document)).toEqual(EXPECTED_2026);
      expect(document.rejected.map((line: { line: number }) => line.line)).toEqual([2, 3, 4]);
      expect(document.rejected[1].error).toContain('data.takenAt');
      for (const line of [2, 3, 4]) expect(result.stderr).toContain(`line ${line}`);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'reports a bad CSV line by number (counting the header) and exits 1',
    async () => {
      // Act
      const result = await reminders(forecastArgs('bad.csv', '2026-01-01', '2026-12-31', '--json'));

      // Assess
      expect(result.code).toBe(1);
      const document = JSON.parse(result.stdout);
      expect(specFields(document)).toEqual(EXPECTED_2026);
      expect(document.rejected.map((line: { line: number }) => line.line)).toEqual([3]);
      expect(result.stderr).toContain('line 3');
    },
    CLI_TIMEOUT_MS,
  );

  // Regression: a takenAt without an offset used to make the validator throw, so the whole
  // command died with "error: Cannot parse: …" and printed no JSON.
  it(
    'reports a takenAt without an offset as a bad line instead of failing the whole file',
    async () => {
      // Act
      const result = await reminders(
        forecastArgs('no-offset.jsonl', '2026-01-01', '2026-12-31', '--json'),
      );

      // Assess
      expect(result.code).toBe(1);
      const document = JSON.parse(result.stdout);
      expect(specFields(document)).toEqual(EXPECTED_2026);
      expect(document.rejected).toEqual([
        { line: 2, error: expect.stringContaining('data.takenAt') },
      ]);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'fails with exit 1 and a one-line message when the file does not exist',
    async () => {
      // Act
      const result = await reminders(
        forecastArgs('missing.jsonl', '2026-01-01', '2026-12-31', '--json'),
      );

      // Assess
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    },
    CLI_TIMEOUT_MS,
  );
});

describe('reminders forecast usage', () => {
  const reminders = inProcess;

  it.each<[string, string[], Record<string, string>]>([
    ['--to is missing', ['forecast', '--input', 'x.jsonl', '--from', '2026-01-01'], {}],
    [
      '--from is not a calendar date',
      ['forecast', '--input', 'x.jsonl', '--from', '2026-02-30', '--to', '2026-12-31'],
      {},
    ],
    [
      '--from is after --to',
      ['forecast', '--input', 'x.jsonl', '--from', '2026-12-31', '--to', '2026-01-01'],
      {},
    ],
    [
      'an option is unknown',
      [
        'forecast',
        '--input',
        'x.jsonl',
        '--from',
        '2026-01-01',
        '--to',
        '2026-12-31',
        '--frm',
        'x',
      ],
      {},
    ],
    [
      'SEND_HOUR is out of range',
      ['forecast', '--input', 'x.jsonl', '--from', '2026-01-01', '--to', '2026-12-31'],
      { SEND_HOUR: '24' },
    ],
    ['the command is unknown', ['forcast'], {}],
  ])(
    'exits 2 with an error on stderr when %s',
    async (_title, args, env) => {
      // Act
      const result = await reminders(args, env);

      // Assess
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/error/i);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    },
    CLI_TIMEOUT_MS,
  );

  it.each([
    [['--help'], 'forecast'],
    [['forecast', '--help'], '--from'],
  ])(
    '%j exits 0 and prints help',
    async (args, expected) => {
      // Act
      const result = await reminders(args);

      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(expected);
    },
    CLI_TIMEOUT_MS,
  );
});

describe.concurrent('the real reminders binary', () => {
  it(
    'prints the sorted forecast of a JSONL file as one JSON document and exits 0',
    async () => {
      // Act
      const result = await childProcess(
        forecastArgs('events.jsonl', '2026-01-01', '2026-12-31', '--json'),
      );

      // Assess
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(specFields(JSON.parse(result.stdout))).toEqual(EXPECTED_2026);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'reports bad lines by number and exits 1',
    async () => {
      // Act
      const result = await childProcess(
        forecastArgs('bad.csv', '2026-01-01', '2026-12-31', '--json'),
      );

      // Assess
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).rejected).toEqual([{ line: 3, error: expect.any(String) }]);
      expect(result.stderr).toContain('line 3');
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'exits 2 on a usage error',
    async () => {
      // Act
      const result = await childProcess(forecastArgs('events.jsonl', '2026-02-30', '2026-12-31'));

      // Assess
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: .*--from/m);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'exits 0 on --help',
    async () => {
      // Act
      const result = await childProcess(['forecast', '--help']);

      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('--input');
    },
    CLI_TIMEOUT_MS,
  );
});
