import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCandidate, encodedSize } from '../../../functions/adapters/dynamodb/candidate-codec';
import { addDays } from '../../../functions/domain/calendar';
import { compactLedger, LEDGER_KEEP, nextDueAt } from '../../../functions/domain/candidate-ledger';
import {
  applyAttempts,
  attemptIdsOf,
  type CandidateState,
  emptyCandidate,
} from '../../../functions/domain/candidate-state';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../../functions/domain/rule-settings';
import { incoming, runOnce, thirteenHundred, writes } from './support/candidates';

/**
 * The bound on one candidate's item: a candidate with 50 credentials, 200 attempts and ten years
 * of reminders stays under 100 KB once encoded (DynamoDB refuses items over 400 KB, and every
 * change rewrites the whole item). The candidate is built by the real transitions: attempts as
 * events bring them, then a run every day for ten years that settles what is due the way a
 * sender does, and compacts the ledger as every write does.
 */

const settings: RuleSettings = {
  ...DEFAULT_RULE_SETTINGS,
  // More warnings than the default, so more reminders a pass: a harder case for the bound.
  expiryWarningDays: [60, 30, 7],
};
const CREDENTIALS = 50;
const ATTEMPTS_PER_CREDENTIAL = 4;
const FIRST_YEAR = 2020;
const YEARS = 10;

/** A stable UUID-shaped id from a seed, so the item's size never varies between runs. */
const uuidOf = (seed: string) => {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};
/** An SES v2 message id: 16 hex digits, a UUID and six digits (60 characters). */
const messageIdOf = (seed: string) =>
  `0100018c${uuidOf(seed).slice(0, 8)}-${uuidOf(`m${seed}`)}-000000`;

const candidateId = `cand-${uuidOf('candidate')}`;
const credentialIdOf = (index: number) =>
  `aws-certified-solutions-architect-pro-${String(index).padStart(2, '0')}`;
const credentialNameOf = (index: number) =>
  `AWS Certified Solutions Architect – Professional ${String(index).padStart(2, '0')}`;

/**
 * Credential `index` starts in a year of its own so that together they span ten years; each has a
 * pass a year, save every fifth one, which fails once and passes 30 days later (a retake).
 */
const attemptsOf = (index: number) => {
  const startYear = FIRST_YEAR + (index % (YEARS - ATTEMPTS_PER_CREDENTIAL + 1));
  const month = String((index % 12) + 1).padStart(2, '0');
  const day = String((index % 28) + 1).padStart(2, '0');
  return Array.from({ length: ATTEMPTS_PER_CREDENTIAL }, (_, round) => {
    const date = `${startYear + round}-${month}-${day}`;
    const retake = index % 5 === 0 && round === 1;
    return [
      ...(retake ? [{ outcome: 'fail' as const, takenAt: `${addDays(date, -30)}T09:00:00Z` }] : []),
      { outcome: 'pass' as const, takenAt: `${date}T09:00:00Z` },
    ];
  })
    .flat()
    .slice(0, ATTEMPTS_PER_CREDENTIAL)
    .map(({ outcome, takenAt }) =>
      incoming({
        attemptId: `att-${uuidOf(`${index}-${takenAt}`)}`,
        outcome,
        takenAt,
        credentialId: credentialIdOf(index),
        credentialName: credentialNameOf(index),
        emittedAt: Date.parse(takenAt) + 60_000,
        profile: writes(Date.parse(takenAt) + 60_000, {
          email: 'maria.fernanda.oliveira-santos@example-university.edu',
          name: 'Maria Fernanda Oliveira dos Santos',
          timeZone: 'America/Sao_Paulo',
          locale: 'pt-BR',
          guardianEmail: 'guardian.of.maria.fernanda@example-family.com.br',
        }),
      }),
    );
};

/** What every write does after its change: bound the ledger (see `changeCandidate`). */
const written = (state: CandidateState) => compactLedger(state, settings);

/**
 * A run every day at 13:00 UTC for ten years. Like the planner, a day's run deals with the
 * candidate only when the due index says something is due. The system is down for 40 days once
 * (stale skips follow), and one email is rejected (a failed entry with its error).
 */
const tenYearsOfRuns = (start: CandidateState) => {
  let state = start;
  let dueAt = nextDueAt(state, settings);
  const counts = { runs: 0, sent: 0, skipped: 0, failed: 0 };
  const outage = { from: '2024-03-01', to: '2024-04-10' };
  for (
    let date = `${FIRST_YEAR}-01-01`;
    date < `${FIRST_YEAR + YEARS + 1}-01-01`;
    date = addDays(date, 1)
  ) {
    const runAt = thirteenHundred(date);
    if (date >= outage.from && date < outage.to) continue;
    if (dueAt === undefined || dueAt > runAt) continue;
    counts.runs += 1;
    const outcome =
      counts.runs === 250
        ? {
            error:
              'MessageRejected: Illegal address: the recipient mailbox does not exist (550 5.1.1)',
          }
        : { messageId: messageIdOf(runAt) };
    const { state: next, decision } = runOnce(state, runAt, settings, outcome);
    state = written(next);
    counts['messageId' in outcome ? 'sent' : 'failed'] += decision.send.length;
    counts.skipped += decision.skip.length;
    dueAt = nextDueAt(state, settings);
  }
  return { state, counts };
};

describe('the item of one candidate', () => {
  let built: {
    readonly state: CandidateState;
    readonly outcomes: readonly string[];
    readonly counts: ReturnType<typeof tenYearsOfRuns>['counts'];
  };

  beforeAll(() => {
    // Prepare
    const attempts = Array.from({ length: CREDENTIALS }, (_, index) => attemptsOf(index)).flat();
    const { state, outcomes } = applyAttempts(emptyCandidate(candidateId), attempts, 'own');
    built = { outcomes, ...tenYearsOfRuns(state) };
  }, 120_000);

  it('is built as described: 50 credentials, 200 attempts, ten years of reminders dealt with', () => {
    // Assess
    const { state, outcomes, counts } = built;
    expect(outcomes.every((outcome) => outcome === 'new')).toBe(true);
    expect(Object.keys(state.credentials)).toHaveLength(CREDENTIALS);
    expect(attemptIdsOf(state)).toHaveLength(CREDENTIALS * ATTEMPTS_PER_CREDENTIAL);
    expect(counts.sent).toBeGreaterThan(CREDENTIALS * ATTEMPTS_PER_CREDENTIAL * 2);
    expect(counts.skipped).toBeGreaterThan(0);
    expect(counts.failed).toBeGreaterThan(0);
    expect(Object.keys(state.ledger)).toHaveLength(LEDGER_KEEP);
    expect(nextDueAt(state, settings)).toBeUndefined();
  });

  it('stays under 100 KB once encoded', () => {
    // Act
    const { state, counts } = built;
    const item = encodeCandidate(state, counts.runs + CREDENTIALS, nextDueAt(state, settings));

    // Assess
    expect(encodedSize(item)).toBeLessThan(100 * 1024);
  });
});
