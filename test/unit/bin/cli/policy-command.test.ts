import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultCliContext } from '../../../../bin/cli/default-context';
import { runCli } from '../../../../bin/cli/program';

/**
 * `reminders policy check` (SPEC §5, §9), and every other command refusing to start on an
 * invalid `POLICY_FILE`; `forecast --input` following a valid one. In process, through `runCli`
 * with the real context and captured output.
 */

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const run = async (
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliResult> => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const capture = (into: string[]) => (chunk: string | Uint8Array) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation(capture(stdout));
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation(capture(stderr));
  const { POLICY_FILE: _unset, ...hostEnv } = process.env;
  try {
    const code = await runCli([...args], {
      ...defaultCliContext(),
      env: { ...hostEnv, CI: '1', ...env },
      print: (text) => stdout.push(`${text}\n`),
      warn: (text) => stderr.push(`${text}\n`),
    });
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
  }
};

let dir = '';
const file = (name: string) => join(dir, name);

const VALID = {
  default: { retakeWaitDays: 20 },
  credentials: {
    'aws-pro': [
      {
        effectiveFrom: '2000-01-01',
        validityMonths: 36,
        renewalOpensAfterMonths: 30,
        retakeWaitDays: 14,
        expiryWarningDays: [90, 30, 7],
      },
      { effectiveFrom: '2030-01-01', validityMonths: 24, expiryWarningDays: [] },
    ],
    'aws-legacy': [{ effectiveFrom: '2000-01-01', renewable: false }],
  },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'policy-command-'));
  await writeFile(file('valid.json'), JSON.stringify(VALID));
  await writeFile(
    file('unsorted.json'),
    JSON.stringify({
      credentials: { 'aws-x': [{ effectiveFrom: '2021-01-01' }, { effectiveFrom: '2020-01-01' }] },
    }),
  );
  await writeFile(
    file('two-issues.json'),
    JSON.stringify({ default: { validityMonths: 0, colour: 'blue' } }),
  );
  await writeFile(file('not-json.json'), '{"default": ');
  await writeFile(
    file('events.jsonl'),
    `${JSON.stringify({
      type: 'attempt.recorded',
      timestamp: '2026-02-28T10:00:00Z',
      data: {
        attemptId: 'att-1',
        candidate: { candidateId: 'ana', email: 'ana@example.com' },
        credential: { credentialId: 'aws-pro', name: 'AWS Pro' },
        outcome: 'pass',
        takenAt: '2026-02-28T10:00:00Z',
      },
    })}\n`,
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('policy check', () => {
  it('prints each credential’s versions as a table, the default first', async () => {
    // Act
    const result = await run(['policy', 'check', '--file', file('valid.json')]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('is valid: 2 credentials with their own versions');
    const lines = result.stdout.split('\n');
    expect(lines.find((line) => line.startsWith('default'))?.split(/\s{2,}/)).toEqual([
      'default',
      '-',
      '12',
      '9',
      '20',
      '30',
    ]);
    expect(
      lines.filter((line) => line.startsWith('aws-pro')).map((l) => l.split(/\s{2,}/)),
    ).toEqual([
      ['aws-pro', '2000-01-01', '36', '30', '14', '90, 30, 7'],
      ['aws-pro', '2030-01-01', '24', '9', '20', 'none'],
    ]);
    expect(lines.find((line) => line.startsWith('aws-legacy'))).toMatch(/not renewable/);
  });

  it('--json prints one document with every version as it applies', async () => {
    // Act
    const result = await run(['policy', 'check', '--file', file('valid.json'), '--json']);

    // Assess
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({
      valid: true,
      file: file('valid.json'),
      default: { validityMonths: 12, renewalOpensAfterMonths: 9, retakeWaitDays: 20 },
    });
    expect(document.credentials['aws-legacy']).toEqual([
      {
        effectiveFrom: '2000-01-01',
        validityMonths: 12,
        renewalOpensAfterMonths: 9,
        renewable: false,
        retakeWaitDays: 20,
        expiryWarningDays: [30],
      },
    ]);
  });

  it('checks POLICY_FILE when --file is absent, and the default policy when neither is given', async () => {
    // Act
    const fromEnv = await run(['policy', 'check', '--json'], { POLICY_FILE: file('valid.json') });
    const none = await run(['policy', 'check', '--json'], { EXPIRY_WARNING_DAYS: '60,7' });

    // Assess
    expect(JSON.parse(fromEnv.stdout).file).toBe(file('valid.json'));
    expect(JSON.parse(none.stdout)).toEqual({
      valid: true,
      file: null,
      default: {
        validityMonths: 12,
        renewalOpensAfterMonths: 9,
        renewable: true,
        retakeWaitDays: 25,
        expiryWarningDays: [60, 7],
      },
      credentials: {},
    });
  });

  it('exits 1 with the field and the reason on one line when the file is invalid', async () => {
    // Act
    const result = await run(['policy', 'check', '--file', file('unsorted.json')]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error: ${file('unsorted.json')}: credentials.aws-x[1].effectiveFrom: versions must be sorted by effectiveFrom with no two on the same date (2020-01-01 comes after 2021-01-01)\n`,
    );
  });

  it('lists every issue when there are several', async () => {
    // Act
    const result = await run(['policy', 'check', '--file', file('two-issues.json')]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('default.colour: unknown field');
    expect(result.stderr).toContain('default.validityMonths: must be a whole number');
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      `error: ${file('two-issues.json')} is not a valid policy file: 2 issues`,
    );
  });

  it('--json on an invalid file prints one document with the issues and exits 1', async () => {
    // Act
    const result = await run(['policy', 'check', '--file', file('not-json.json'), '--json']);

    // Assess
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ valid: false, file: file('not-json.json') });
    expect(document.issues).toEqual([
      { path: '', message: expect.stringMatching(/^not valid JSON/) },
    ]);
  });

  it('a missing file is an invalid one', async () => {
    // Act
    const result = await run(['policy', 'check', '--file', file('missing.json')]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: ${file('missing.json')}: cannot be read\n`);
  });
});

describe('every command refuses to start on an invalid POLICY_FILE', () => {
  it.each([
    [
      [
        'forecast',
        '--from',
        '2026-01-01',
        '--to',
        '2026-12-31',
        '--input',
        'examples/events.jsonl',
      ],
    ],
    [['run', '--dry-run']],
    [['timeline', 'cand-ana']],
    [['import', 'examples/events.jsonl']],
    [['sign', 'examples/attempt.json']],
  ])('%j', async (args) => {
    // Act
    const result = await run(args, { POLICY_FILE: file('unsorted.json') });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error: POLICY_FILE ${file('unsorted.json')}: credentials.aws-x[1].effectiveFrom: versions must be sorted by effectiveFrom with no two on the same date (2020-01-01 comes after 2021-01-01)\n`,
    );
  });

  it('nor on one that cannot be read', async () => {
    // Act
    const result = await run(['forecast', '--from', '2026-01-01', '--to', '2026-01-02'], {
      POLICY_FILE: file('missing.json'),
    });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: POLICY_FILE ${file('missing.json')}: cannot be read (ENOENT)\n`,
    );
  });
});

describe('forecast --input follows POLICY_FILE', () => {
  it('a 36-month credential is forecast with its own dates, and why names the version', async () => {
    // Act
    const result = await run(
      [
        'forecast',
        '--input',
        file('events.jsonl'),
        '--from',
        '2026-01-01',
        '--to',
        '2030-12-31',
        '--json',
      ],
      { POLICY_FILE: file('valid.json') },
    );

    // Assess
    expect(result.code).toBe(0);
    const { reminders } = JSON.parse(result.stdout);
    expect(reminders.map((r: { kind: string; dueOn: string }) => `${r.dueOn} ${r.kind}`)).toEqual([
      '2028-08-28 renewal_window_open',
      '2028-11-30 expiring_soon',
      '2029-01-29 expiring_soon',
      '2029-02-21 expiring_soon',
      '2029-02-28 expired',
    ]);
    expect(reminders.at(-1).why).toBe(
      'passed on 2026-02-28 (UTC); valid for 36 months under the policy from 2000-01-01, expires on 2029-02-28',
    );
  });

  it('without POLICY_FILE the same file follows the default policy', async () => {
    // Act
    const result = await run([
      'forecast',
      '--input',
      file('events.jsonl'),
      '--from',
      '2026-01-01',
      '--to',
      '2030-12-31',
      '--json',
    ]);

    // Assess
    const { reminders } = JSON.parse(result.stdout);
    expect(reminders.at(-1)).toMatchObject({
      kind: 'expired',
      dueOn: '2027-02-28',
      why: 'passed on 2026-02-28 (UTC); valid for 12 months, expires on 2027-02-28',
    });
  });
});
