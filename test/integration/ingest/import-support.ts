import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { storedCandidates } from '../../../bin/cli/open-store';
import { foldEventFile } from '../../../functions/use-cases/fold-event-file';
import { forecast } from '../../../functions/use-cases/forecast';
import { importEvents } from '../../../functions/use-cases/import-events';
import { attemptEvent, type TestApp } from '../support/harness';
import { WIDE_RANGE } from './ingest-support';

/** Helpers shared by the import tests: histories, CSV rows, files, and both forecasts. */

export const now = () => new Date();

/**
 * A temporary directory for the calling test file, made before its tests and removed after them.
 *
 * @returns `writeLines(name, lines)`, which writes a file there and returns its path.
 */
export const temporaryFiles = (prefix: string) => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });
  return {
    writeLines: async (name: string, lines: readonly string[]) => {
      const path = join(directory, name);
      await writeFile(path, `${lines.join('\n')}\n`, 'utf8');
      return path;
    },
  };
};

export type Attempt = ReturnType<typeof attemptEvent>;

/** The attempts of a few candidates: zones west and east of UTC, none, and a teen with a guardian. */
export const attemptHistory = (prefix: string): Attempt[] => {
  const id = (name: string) => `${prefix}-${name}`;
  const attempt = (
    name: string,
    extra: Omit<Parameters<typeof attemptEvent>[0], 'candidateId' | 'attemptId'> & { n: number },
  ) => {
    const { n, ...rest } = extra;
    return attemptEvent({ candidateId: id(name), attemptId: `${id(name)}-a${n}`, ...rest });
  };
  return [
    attempt('west', {
      n: 1,
      timeZone: 'America/Los_Angeles',
      name: 'Wes Tern',
      outcome: 'fail',
      takenAt: '2026-01-15T07:30:00Z',
    }),
    attempt('west', {
      n: 2,
      timeZone: 'America/Los_Angeles',
      name: 'Wes Tern',
      outcome: 'pass',
      takenAt: '2026-02-28T06:00:00Z',
    }),
    attempt('east', {
      n: 1,
      timeZone: 'Asia/Tokyo',
      name: 'Silva, Bo',
      outcome: 'pass',
      takenAt: '2026-03-31T15:30:00Z',
    }),
    attempt('east', {
      n: 2,
      timeZone: 'Asia/Tokyo',
      name: 'Silva, Bo',
      credentialId: 'gcp-ace',
      credentialName: 'GCP "ACE"',
      outcome: 'fail',
      takenAt: '2026-10-20T16:00:00Z',
    }),
    attempt('kiri', {
      n: 1,
      timeZone: 'Pacific/Kiritimati',
      outcome: 'pass',
      takenAt: '2025-12-31T10:30:00Z',
    }),
    attempt('teen', {
      n: 1,
      timeZone: 'Europe/Lisbon',
      guardianEmail: `${id('teen')}.parent@example.com`,
      outcome: 'pass',
      takenAt: '2025-11-30T23:30:00Z',
    }),
    attempt('teen', {
      n: 2,
      timeZone: 'Europe/Lisbon',
      guardianEmail: `${id('teen')}.parent@example.com`,
      outcome: 'fail',
      takenAt: '2026-09-01T08:00:00Z',
    }),
    attempt('utc', { n: 1, outcome: 'pass', takenAt: '2026-05-31T23:59:00Z' }),
    attempt('utc', {
      n: 2,
      credentialId: 'gcp-ace',
      credentialName: 'GCP ACE',
      outcome: 'fail',
      takenAt: '2026-06-15T12:00:00Z',
    }),
    attempt('utc', {
      n: 3,
      credentialId: 'gcp-ace',
      credentialName: 'GCP ACE',
      outcome: 'pass',
      takenAt: '2026-07-20T12:00:00Z',
    }),
    attempt('old', {
      n: 1,
      timeZone: 'Australia/Sydney',
      outcome: 'pass',
      takenAt: '2026-01-31T20:00:00Z',
    }),
    attempt('gone', {
      n: 1,
      name: 'Gone Person',
      outcome: 'pass',
      takenAt: '2026-02-10T10:00:00Z',
    }),
    attempt('gone', {
      n: 2,
      name: 'Gone Person',
      credentialId: 'gcp-ace',
      credentialName: 'GCP ACE',
      outcome: 'fail',
      takenAt: '2026-08-10T10:00:00Z',
    }),
  ];
};

const csvField = (value: string | undefined) =>
  value === undefined ? '' : /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

export const CSV_HEADER =
  'attemptId,candidateId,email,name,timeZone,credentialId,credentialName,outcome,takenAt,guardianEmail';

export const csvRow = (event: Attempt) => {
  const { attemptId, candidate, credential, outcome, takenAt } = event.data;
  const withOptional = candidate as typeof candidate & {
    name?: string;
    timeZone?: string;
    guardianEmail?: string;
  };
  return [
    attemptId,
    candidate.candidateId,
    candidate.email,
    withOptional.name,
    withOptional.timeZone,
    credential.credentialId,
    credential.name,
    outcome,
    takenAt,
    withOptional.guardianEmail,
  ]
    .map(csvField)
    .join(',');
};

/** The forecast of every candidate read back from the store. */
export const forecastFromStore = async (testApp: TestApp) =>
  forecast(await storedCandidates(testApp.app), testApp.settings, WIDE_RANGE);

/** The forecast computed purely from a file (`forecast --input`). */
export const forecastFromFile = async (testApp: TestApp, path: string) =>
  forecast((await foldEventFile(path, { now })).fold.candidates(), testApp.settings, WIDE_RANGE);

/** `import`: the file through the import use case into the test's table. */
export const importFile = (
  testApp: TestApp,
  path: string,
  options: Parameters<typeof importEvents>[2] = {},
) =>
  importEvents(
    { stores: testApp.app.stores, settings: testApp.settings, clock: testApp.app.clock },
    path,
    options,
  );
