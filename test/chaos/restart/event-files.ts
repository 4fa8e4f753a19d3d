import { writeFile } from 'node:fs/promises';
import { Temporal } from 'temporal-polyfill';

/** Events files for the restart tests, from a seeded generator (the same file on every run). */

/** A small deterministic PRNG (mulberry32). */
export const seededRandom = (seed: number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export interface AttemptLine {
  readonly attemptId: string;
  readonly candidateId: string;
  readonly line: string;
}

const ZONES = ['UTC', 'Europe/Lisbon', 'America/Los_Angeles', 'Asia/Tokyo', 'Asia/Kolkata'];
const CREDENTIALS = [
  { credentialId: 'aws-serverless', name: 'AWS Serverless Microcredential' },
  { credentialId: 'aws-data-pipelines', name: 'AWS Data Pipelines Microcredential' },
  { credentialId: 'aws-security', name: 'AWS Cloud Security Microcredential' },
];

/**
 * A history of `candidates` candidates with 1 to 4 attempts each (passes and failures on one or
 * two credentials, taken between `from` and `to`), shuffled as an export sorted by nothing would
 * be. Every line is an `attempt.recorded` event with its own `attemptId`.
 */
export const attemptHistory = (options: {
  readonly prefix: string;
  readonly candidates: number;
  readonly seed: number;
  readonly from: Date;
  readonly to: Date;
}): AttemptLine[] => {
  const random = seededRandom(options.seed);
  const span = options.to.getTime() - options.from.getTime();
  const lines: AttemptLine[] = [];
  for (let index = 0; index < options.candidates; index += 1) {
    const candidateId = `${options.prefix}-c${index}`;
    const timeZone = ZONES[index % ZONES.length] as string;
    const attempts = 1 + Math.floor(random() * 4);
    for (let n = 0; n < attempts; n += 1) {
      const credential = CREDENTIALS[(index + (n % 2)) % CREDENTIALS.length] as {
        credentialId: string;
        name: string;
      };
      const takenAt = new Date(options.from.getTime() + Math.floor(random() * span))
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
      const attemptId = `${candidateId}-a${n}`;
      const event = {
        type: 'attempt.recorded',
        timestamp: takenAt,
        data: {
          attemptId,
          candidate: {
            candidateId,
            email: `${candidateId}@example.com`,
            name: `Candidate ${index}`,
            timeZone,
          },
          credential,
          outcome: random() < 0.7 ? 'pass' : 'fail',
          takenAt,
        },
      };
      lines.push({ attemptId, candidateId, line: JSON.stringify(event) });
    }
  }
  for (let index = lines.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [lines[index], lines[other]] = [lines[other] as AttemptLine, lines[index] as AttemptLine];
  }
  return lines;
};

export const writeEventsFile = async (path: string, lines: readonly AttemptLine[]) => {
  await writeFile(path, `${lines.map((entry) => entry.line).join('\n')}\n`, 'utf8');
  return path;
};

const DUE_CREDENTIALS = [
  { credentialId: 'aws-serverless', name: 'AWS Serverless Microcredential' },
  { credentialId: 'aws-security', name: 'AWS Cloud Security Microcredential' },
];

/**
 * Candidates who passed ten days ago (so nothing is due today, and the catch-up run at each start
 * of the stack sends nothing); every fourth passed two credentials that day (a digest). Their
 * renewal windows open on one day, `t1` the day after at 13:00 UTC; their expiry warnings are due
 * by `t2`. Lines of a `.jsonl` file.
 */
export const dueHistory = (prefix: string, candidates: number) => {
  const passedOn = Temporal.Now.plainDateISO('UTC').subtract({ days: 10 });
  const takenAt = `${passedOn.toString()}T10:00:00Z`;
  const lines: string[] = [];
  const credentialsOf = new Map<string, string[]>();
  for (let index = 0; index < candidates; index += 1) {
    const candidateId = `${prefix}-c${index}`;
    const held = index % 4 === 0 ? DUE_CREDENTIALS : DUE_CREDENTIALS.slice(0, 1);
    credentialsOf.set(
      candidateId,
      held.map((credential) => credential.credentialId),
    );
    held.forEach((credential, n) => {
      lines.push(
        JSON.stringify({
          type: 'attempt.recorded',
          timestamp: takenAt,
          data: {
            attemptId: `${candidateId}-a${n}`,
            candidate: { candidateId, email: `${candidateId}@example.com`, timeZone: 'UTC' },
            credential,
            outcome: 'pass',
            takenAt,
          },
        }),
      );
    });
  }
  const renewalOpensOn = passedOn.add({ months: 9 });
  const warningOn = passedOn.add({ months: 12 }).subtract({ days: 30 });
  return {
    lines,
    credentialsOf,
    t1: `${renewalOpensOn.add({ days: 1 }).toString()}T13:00:00Z`,
    t2: `${warningOn.add({ days: 1 }).toString()}T13:00:00Z`,
  };
};
