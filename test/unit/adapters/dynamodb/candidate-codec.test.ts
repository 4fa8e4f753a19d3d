import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeCandidate,
  encodeCandidate,
  encodedSize,
} from '../../../../functions/adapters/dynamodb/candidate-codec';
import { shardOf } from '../../../../functions/adapters/dynamodb/item-keys';
import { addDays } from '../../../../functions/domain/calendar';
import {
  claimReminders,
  compactLedger,
  LEDGER_KEEP,
  nextDueAt,
} from '../../../../functions/domain/candidate-ledger';
import {
  applyAttempts,
  attemptIdsOf,
  type CandidateState,
  emptyCandidate,
} from '../../../../functions/domain/candidate-state';
import {
  DEFAULT_RULE_SETTINGS,
  type RuleSettings,
} from '../../../../functions/domain/rule-settings';
import {
  decideFor,
  incoming,
  passedOnce,
  runOnce,
  thirteenHundred,
  writes,
} from '../../support/candidates';

/** How a candidate is written as one item and read back, and how large that item can grow. */

const DUE_AT = '2027-12-11T00:00:00Z';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Ana after a pass, a run that sent her renewal reminder (a ledger entry), and a run under way on
 * her expiry warning (a claim): every part of the state the item has to carry.
 */
const ana: CandidateState = (() => {
  const passed = passedOnce('cand-ana', { email: 'ana@example.com', timeZone: 'Asia/Tokyo' });
  const renewed = runOnce(passed, '2027-10-10T13:00:00Z', DEFAULT_RULE_SETTINGS).state;
  const warningRun = '2027-12-11T13:00:00Z';
  return claimReminders(renewed, decideFor(renewed, warningRun, DEFAULT_RULE_SETTINGS).send, {
    token: 'token-1',
    leaseUntil: '2027-12-11T13:15:00.000Z',
    runAt: warningRun,
  });
})();

describe('encodeCandidate', () => {
  it('keys the item by the candidate, with its version and the whole state as one JSON attribute', () => {
    // Act
    const item = encodeCandidate(ana, 7, undefined);

    // Assess
    expect(item).toEqual({
      pk: 'CAND#cand-ana',
      sk: 'CANDIDATE',
      version: 7,
      data: JSON.stringify(ana),
      emailKey: `EMAIL#${sha256('ana@example.com')}`,
    });
  });

  it('keys the item in the address indexes by hashes of the lowercased email and guardian email', () => {
    // Prepare
    const teen = passedOnce('cand-teen', {
      email: 'Teen@Example.com',
      guardianEmail: ' Parent@Example.COM ',
    });

    // Act
    const item = encodeCandidate(teen, 1, undefined);

    // Assess
    expect(item).toMatchObject({
      emailKey: `EMAIL#${sha256('teen@example.com')}`,
      guardianKey: `EMAIL#${sha256('parent@example.com')}`,
    });
    expect(JSON.stringify({ ...item, data: undefined })).not.toMatch(/example\.com/i);
  });

  it('leaves a candidate without an address, an alias and a tombstone out of the address indexes', () => {
    // Prepare
    const states: CandidateState[] = [
      passedOnce('cand-nameless', { name: 'No Address' }),
      { ...emptyCandidate('cand-old'), mergedInto: 'cand-ana' },
      { ...emptyCandidate('cand-gone'), erasedAt: '2027-06-01T00:00:00Z' },
    ];

    // Act
    const items = states.map((state) => encodeCandidate(state, 2, undefined));

    // Assess
    for (const item of items) {
      expect(item).not.toHaveProperty('emailKey');
      expect(item).not.toHaveProperty('guardianKey');
    }
  });

  it("puts the item in its shard of the due index, sorted by the due instant and then the candidate's id", () => {
    // Act
    const item = encodeCandidate(ana, 7, DUE_AT);

    // Assess
    expect(item).toMatchObject({
      duePk: `DUE#${shardOf('cand-ana')}`,
      dueSk: '2027-12-11T00:00:00Z#cand-ana',
    });
    expect(item.duePk).toMatch(/^DUE#([0-9]|1[0-5])$/);
  });

  it('leaves the due-index keys out when nothing is due', () => {
    // Act
    const item = encodeCandidate(ana, 7, undefined);

    // Assess
    expect(item).not.toHaveProperty('duePk');
    expect(item).not.toHaveProperty('dueSk');
  });
});

describe('decodeCandidate', () => {
  it('reads back the state, the version and the due instant it was encoded with', () => {
    // Prepare
    const item = encodeCandidate(ana, 7, DUE_AT);

    // Act
    const decoded = decodeCandidate(item);

    // Assess
    expect(Object.keys(ana.ledger)).toHaveLength(1);
    expect(Object.keys(ana.claims)).toHaveLength(1);
    expect(decoded).toStrictEqual({ state: ana, version: 7, dueAt: DUE_AT });
  });

  it('reads back no due instant from an item out of the due index', () => {
    // Prepare
    const item = encodeCandidate(ana, 7, undefined);

    // Act
    const decoded = decodeCandidate(item);

    // Assess
    expect(decoded).toStrictEqual({ state: ana, version: 7 });
  });

  it.each([
    ['an alias', { ...emptyCandidate('cand-old'), mergedInto: 'cand-ana' }],
    ['a tombstone', { ...emptyCandidate('cand-gone'), erasedAt: '2027-06-01T00:00:00Z' }],
  ])('reads back %s as it was written', (_title, state: CandidateState) => {
    // Act
    const decoded = decodeCandidate(encodeCandidate(state, 2, undefined));

    // Assess
    expect(decoded).toStrictEqual({ state, version: 2 });
  });
});

describe('encodedSize', () => {
  it('counts the UTF-8 bytes of every name and string value, and 8 bytes a number', () => {
    // Act
    const size = encodedSize({ pk: 'CAND#é', version: 3 });

    // Assess: "pk" 2 + "CAND#é" 7 + "version" 7 + a number 8
    expect(size).toBe(24);
  });
});

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
