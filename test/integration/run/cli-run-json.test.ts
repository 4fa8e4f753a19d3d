import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { CliContext } from '../../../bin/cli/cli-context';
import { runCli } from '../../../bin/cli/program';
import { createTestApp, emailsTo, UNSUBSCRIBE_SECRET, WEBHOOK_SECRET } from '../support/harness';
import { newCandidate, postAttempt } from './run-helpers';

/**
 * SPEC §5: `reminders run --now <instant> --json` prints one JSON document
 * `{runAt, dryRun, emails:[{candidateId, to, cc, messageId, reminders:[{credentialId, kind, dueOn}]}],
 * skipped:[{candidateId, credentialId, kind, dueOn, reason}]}`; a bare date means 13:00 UTC.
 */

const temporaryDirectories: string[] = [];
afterAll(async () => {
  for (const directory of temporaryDirectories)
    await rm(directory, { recursive: true, force: true });
});

/** A CLI context on the emulators and one table, capturing what the command prints. */
const cliContextFor = async (tableName: string) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cli-run-'));
  temporaryDirectories.push(dataDir);
  const printed: string[] = [];
  const warnings: string[] = [];
  const context: CliContext = {
    env: {
      DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
      SES_ENDPOINT: inject('sesEndpoint'),
      TABLE_NAME: tableName,
      DATA_DIR: dataDir,
      UNSUBSCRIBE_SECRET,
      WEBHOOK_SECRET,
      PUBLIC_URL: 'http://127.0.0.1:3999',
    },
    now: () => new Date(),
    print: (text) => printed.push(text),
    warn: (text) => warnings.push(text),
    interactive: false,
  };
  return { context, printed, warnings };
};

/** Runs the CLI and parses the one JSON document it printed. */
const runJson = async (argv: readonly string[], tableName: string) => {
  const { context, printed } = await cliContextFor(tableName);
  const code = await runCli(argv, context);
  expect(printed, 'one document printed').toHaveLength(1);
  return {
    code,
    document: JSON.parse(printed[0] ?? 'null') as Record<string, unknown> & RunDocument,
  };
};

interface RunDocument {
  readonly runAt: string;
  readonly dryRun: boolean;
  readonly emails: ReadonlyArray<{
    readonly candidateId: string;
    readonly to: readonly string[];
    readonly cc: readonly string[];
    readonly messageId: string | null;
    readonly reminders: ReadonlyArray<{
      readonly credentialId: string;
      readonly kind: string;
      readonly dueOn: string;
    }>;
  }>;
  readonly skipped: ReadonlyArray<Record<string, unknown>>;
}

describe('reminders run --json', () => {
  it('prints the SPEC §5 shape, for a dry run and for a real run', async () => {
    // Prepare: a teen whose credential expired on 2026-12-20 (its renewal and warning are stale)
    const { app, tableName } = await createTestApp();
    const candidate = newCandidate('cli-json');
    const guardian = `guardian-${candidate.candidateId}@example.net`;
    await postAttempt(app, candidate, {
      outcome: 'pass',
      takenAt: '2025-12-20T09:00:00Z',
      guardianEmail: guardian,
    });
    const expectedSkipped = [
      {
        candidateId: candidate.candidateId,
        credentialId: 'aws-serverless',
        kind: 'renewal_window_open',
        dueOn: '2026-09-20',
        reason: 'stale',
      },
      {
        candidateId: candidate.candidateId,
        credentialId: 'aws-serverless',
        kind: 'expiring_soon',
        dueOn: '2026-11-20',
        reason: 'stale',
      },
    ];
    const bySkipDate = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      String(a.dueOn).localeCompare(String(b.dueOn));

    // Act
    const dry = await runJson(
      ['run', '--now', '2026-12-22T13:00:00Z', '--dry-run', '--json'],
      tableName,
    );
    const real = await runJson(['run', '--now', '2026-12-22T13:00:00Z', '--json'], tableName);

    // Assess
    for (const { code, document } of [dry, real]) {
      expect(code).toBe(0);
      expect(Object.keys(document)).toEqual(
        expect.arrayContaining(['runAt', 'dryRun', 'emails', 'skipped']),
      );
      expect(document.runAt).toBe('2026-12-22T13:00:00Z');
      expect(document.emails).toHaveLength(1);
      const [email] = document.emails;
      expect(Object.keys(email ?? {})).toEqual(
        expect.arrayContaining(['candidateId', 'to', 'cc', 'messageId', 'reminders']),
      );
      expect(email).toMatchObject({
        candidateId: candidate.candidateId,
        to: [candidate.email],
        cc: [guardian],
      });
      expect(email?.reminders).toEqual([
        { credentialId: 'aws-serverless', kind: 'expired', dueOn: '2026-12-20' },
      ]);
      expect([...document.skipped].sort(bySkipDate)).toEqual(expectedSkipped);
    }
    expect(dry.document.dryRun).toBe(true);
    expect(dry.document.emails[0]?.messageId).toBeNull();
    expect(real.document.dryRun).toBe(false);
    const [stored] = await emailsTo(candidate.email);
    expect(real.document.emails[0]?.messageId).toEqual(expect.any(String));
    expect(real.document.emails[0]?.messageId).toBe(stored?.messageId);
    expect(stored?.destination.cc).toEqual([guardian]);
  });

  it('a bare date means 13:00 UTC that day', async () => {
    // Prepare: renewal windows opening on 2027-01-06 local time: in Nouméa (UTC+11) that
    // begins at 2027-01-05T13:00:00Z, in Tokyo (UTC+9) at 2027-01-05T15:00:00Z; in UTC a
    // renewal due 2027-01-05 began at midnight
    const { app, tableName } = await createTestApp();
    const noumea = newCandidate('cli-noumea');
    const tokyo = newCandidate('cli-tokyo');
    const utc = newCandidate('cli-utc');
    await postAttempt(app, noumea, {
      outcome: 'pass',
      takenAt: '2026-04-06T01:00:00Z',
      timeZone: 'Pacific/Noumea',
    });
    await postAttempt(app, tokyo, {
      outcome: 'pass',
      takenAt: '2026-04-06T03:00:00Z',
      timeZone: 'Asia/Tokyo',
    });
    await postAttempt(app, utc, { outcome: 'pass', takenAt: '2026-04-05T09:00:00Z' });

    // Act
    const { code, document } = await runJson(['run', '--now', '2027-01-05', '--json'], tableName);

    // Assess
    expect(code).toBe(0);
    expect(document.runAt).toBe('2027-01-05T13:00:00Z');
    expect(document.dryRun).toBe(false);
    expect(
      document.emails
        .map((email) => ({ candidateId: email.candidateId, reminders: email.reminders }))
        .sort((a, b) => a.candidateId.localeCompare(b.candidateId)),
    ).toEqual(
      [
        {
          candidateId: noumea.candidateId,
          reminders: [
            { credentialId: 'aws-serverless', kind: 'renewal_window_open', dueOn: '2027-01-06' },
          ],
        },
        {
          candidateId: utc.candidateId,
          reminders: [
            { credentialId: 'aws-serverless', kind: 'renewal_window_open', dueOn: '2027-01-05' },
          ],
        },
      ].sort((a, b) => a.candidateId.localeCompare(b.candidateId)),
    );
    expect(document.skipped).toEqual([]);
    expect(await emailsTo(tokyo.email)).toHaveLength(0);
    expect(await emailsTo(noumea.email)).toHaveLength(1);
  });
});
