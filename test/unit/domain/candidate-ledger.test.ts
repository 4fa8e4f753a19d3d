import { describe, expect, it } from 'vitest';
import { addDays } from '../../../functions/domain/calendar';
import {
  type ClaimRecord,
  claimReminders,
  compactLedger,
  LEDGER_KEEP,
  type LedgerRecord,
  nextDueAt,
  recordSkips,
  releaseClaims,
  remindersOfState,
  settleClaims,
  settledEntries,
} from '../../../functions/domain/candidate-ledger';
import {
  aliasOf,
  applyAttempts,
  type CandidateState,
  emptyCandidate,
  tombstoneOf,
} from '../../../functions/domain/candidate-state';
import type { Reminder } from '../../../functions/domain/reminder-rules';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../../functions/domain/rule-settings';
import {
  decideFor,
  incoming,
  passedOnce,
  runOnce,
  thirteenHundred,
  withAttempts,
  writes,
} from '../support/candidates';

/**
 * The run side of one candidate: which reminders count as dealt with (the ledger, live claims
 * judged on the wall clock, the compaction watermark), how claims are taken, settled and
 * released, and the one due instant the due index keeps.
 *
 * The main fixture is one pass `p1` on 2027-01-10 (UTC), which anchors (worked out by hand):
 * - `renewal_window_open` due 2027-10-10T00:00:00Z;
 * - `expiring_soon` (30 days) due 2027-12-11T00:00:00Z;
 * - `expired` due 2028-01-10T00:00:00Z.
 */

const settings: RuleSettings = DEFAULT_RULE_SETTINGS;
const RENEWAL_KEY = 'aws-cp#renewal_window_open#p1';
const WARNING_KEY = 'aws-cp#expiring_soon#p1#30';
const EXPIRED_KEY = 'aws-cp#expired#p1';
const RENEWAL_DUE = '2027-10-10T00:00:00Z';
const WARNING_DUE = '2027-12-11T00:00:00Z';
const EXPIRED_DUE = '2028-01-10T00:00:00Z';
const RUN = '2027-10-10T13:00:00Z';

const ana: CandidateState = passedOnce('ana');

const remindersOf = (state: CandidateState): Map<string, Reminder> =>
  new Map(remindersOfState(state, settings).map((reminder) => [reminder.key, reminder]));
const reminder = (key: string): Reminder => remindersOf(ana).get(key) as Reminder;

const claimOf = (key: string, token: string, leaseUntil: string): ClaimRecord => {
  const { credentialId, kind, anchorAttemptId, dueOn, dueAt } = reminder(key);
  return { credentialId, kind, anchorAttemptId, dueOn, dueAt, token, leaseUntil, runAt: RUN };
};

const sentRecord = (key: string, at = RUN): LedgerRecord => {
  const { credentialId, kind, anchorAttemptId, dueOn, dueAt } = reminder(key);
  return {
    credentialId,
    kind,
    anchorAttemptId,
    dueOn,
    dueAt,
    status: 'sent',
    at,
    messageId: 'm-1',
  };
};

const claimed = (claims: Record<string, ClaimRecord>): CandidateState => ({ ...ana, claims });

const keysOf = (reminders: readonly Reminder[]) => reminders.map((r) => r.key);
const skipKeysOf = (decision: ReturnType<typeof decideFor>) =>
  decision.skip.map(({ reminder: r, reason }) => `${r.key} ${reason}`);

describe('remindersOfState', () => {
  it('derives every reminder of every credential, keyed without dates', () => {
    // Act
    const reminders = remindersOfState(ana, settings);

    // Assess
    expect(reminders.map((r) => `${r.key} ${r.dueAt}`)).toEqual([
      `${RENEWAL_KEY} ${RENEWAL_DUE}`,
      `${WARNING_KEY} ${WARNING_DUE}`,
      `${EXPIRED_KEY} ${EXPIRED_DUE}`,
    ]);
  });

  it('dates them in the candidate’s zone, and in DEFAULT_TIME_ZONE without one', () => {
    // Prepare: in Tokyo (UTC+9) the renewal date begins at 15:00Z the day before.
    const inTokyo = {
      ...ana,
      own: {
        ...ana.own,
        ...writes(Date.parse('2027-02-01T00:00:00Z'), { timeZone: 'Asia/Tokyo' }),
      },
    };

    // Act
    const ownZone = remindersOfState(inTokyo, settings)[0];
    const defaultZone = remindersOfState(ana, { ...settings, defaultTimeZone: 'Asia/Tokyo' })[0];

    // Assess
    expect(ownZone?.dueAt).toBe('2027-10-09T15:00:00Z');
    expect(defaultZone?.dueAt).toBe('2027-10-09T15:00:00Z');
    expect(ownZone?.key).toBe(RENEWAL_KEY);
  });
});

describe('settledEntries', () => {
  it('passes every ledger entry on as {key, credentialId, kind, status}', () => {
    // Prepare
    const state = {
      ...ana,
      ledger: {
        [RENEWAL_KEY]: sentRecord(RENEWAL_KEY),
        [WARNING_KEY]: {
          ...sentRecord(WARNING_KEY),
          status: 'skipped' as const,
          reason: 'stale' as const,
        },
      },
    };

    // Act
    const entries = settledEntries(state, RUN);

    // Assess
    expect(entries).toEqual([
      { key: RENEWAL_KEY, credentialId: 'aws-cp', kind: 'renewal_window_open', status: 'sent' },
      { key: WARNING_KEY, credentialId: 'aws-cp', kind: 'expiring_soon', status: 'skipped' },
    ]);
  });

  it.each([
    ['one millisecond after the wall clock', '2027-10-10T13:15:00.001Z', true],
    ['long after the wall clock', '2027-10-11T00:00:00.000Z', true],
    ['exactly at the wall clock', '2027-10-10T13:15:00.000Z', false],
    ['before the wall clock', '2027-10-10T13:14:00.000Z', false],
  ])('counts a claim whose lease ends %s as settled: %s', (_label, leaseUntil, live) => {
    // Prepare
    const state = claimed({ [RENEWAL_KEY]: claimOf(RENEWAL_KEY, 'token-1', leaseUntil) });

    // Act
    const entries = settledEntries(state, '2027-10-10T13:15:00.000Z');

    // Assess
    expect(entries).toEqual(
      live
        ? [
            {
              key: RENEWAL_KEY,
              credentialId: 'aws-cp',
              kind: 'renewal_window_open',
              status: 'claimed',
            },
          ]
        : [],
    );
  });

  it('lets a live claim hold its reminder back from a run whose clock is much later', () => {
    // Prepare: the lease holds on the wall clock; the run replays an instant ten days on.
    const state = claimed({
      [RENEWAL_KEY]: claimOf(RENEWAL_KEY, 'token-1', '2027-10-10T13:15:00.000Z'),
    });

    // Act
    const decision = decideFor(state, '2027-10-20T13:00:00Z', settings, {
      wallNow: '2027-10-10T13:05:00.000Z',
    });

    // Assess
    expect(decision).toEqual({ send: [], skip: [] });
  });

  it('lets a run take over a claim whose lease ended on the wall clock, even when the run clock is before it', () => {
    // Prepare: a replay at 13:01 after the sender that claimed at 13:00 died.
    const state = claimed({
      [RENEWAL_KEY]: claimOf(RENEWAL_KEY, 'token-1', '2027-10-10T13:15:00.000Z'),
    });

    // Act
    const decision = decideFor(state, '2027-10-10T13:01:00Z', settings, {
      wallNow: '2027-10-10T13:16:00.000Z',
    });

    // Assess
    expect(keysOf(decision.send)).toEqual([RENEWAL_KEY]);
  });
});

describe('claimReminders', () => {
  it('claims each reminder for one sender, with its reference, lease and run instant', () => {
    // Prepare
    const other = claimOf(EXPIRED_KEY, 'token-0', '2027-10-10T13:10:00.000Z');
    const state = claimed({ [EXPIRED_KEY]: other });

    // Act
    const next = claimReminders(state, [reminder(RENEWAL_KEY)], {
      token: 'token-1',
      leaseUntil: '2027-10-10T13:15:00.000Z',
      runAt: RUN,
    });

    // Assess
    expect(next.claims).toEqual({
      [EXPIRED_KEY]: other,
      [RENEWAL_KEY]: {
        credentialId: 'aws-cp',
        kind: 'renewal_window_open',
        anchorAttemptId: 'p1',
        dueOn: '2027-10-10',
        dueAt: RENEWAL_DUE,
        token: 'token-1',
        leaseUntil: '2027-10-10T13:15:00.000Z',
        runAt: RUN,
      },
    });
    expect(next.ledger).toEqual({});
  });

  it('replaces the claim of a sender whose lease ran out', () => {
    // Prepare
    const state = claimed({
      [RENEWAL_KEY]: claimOf(RENEWAL_KEY, 'dead-token', '2027-10-10T13:00:00.000Z'),
    });

    // Act
    const next = claimReminders(state, [reminder(RENEWAL_KEY)], {
      token: 'token-2',
      leaseUntil: '2027-10-10T13:30:00.000Z',
      runAt: RUN,
    });

    // Assess
    expect(next.claims[RENEWAL_KEY]).toMatchObject({
      token: 'token-2',
      leaseUntil: '2027-10-10T13:30:00.000Z',
    });
  });
});

describe('settleClaims', () => {
  const lease = '2027-10-10T13:15:00.000Z';
  const mine = claimed({
    [RENEWAL_KEY]: claimOf(RENEWAL_KEY, 'token-1', lease),
    [WARNING_KEY]: claimOf(WARNING_KEY, 'token-1', lease),
  });

  it('records the claims of the token as sent with the message id and the run instant', () => {
    // Act
    const next = settleClaims(mine, {
      token: 'token-1',
      keys: [RENEWAL_KEY],
      at: RUN,
      wallNow: RUN,
      outcome: { messageId: 'm-42' },
    });

    // Assess
    expect(next.ledger).toEqual({
      [RENEWAL_KEY]: {
        credentialId: 'aws-cp',
        kind: 'renewal_window_open',
        anchorAttemptId: 'p1',
        dueOn: '2027-10-10',
        dueAt: RENEWAL_DUE,
        status: 'sent',
        at: RUN,
        messageId: 'm-42',
      },
    });
    expect(Object.keys(next.claims)).toEqual([WARNING_KEY]);
  });

  it('records the claims of the token as failed with the error of a rejected message', () => {
    // Act
    const next = settleClaims(mine, {
      token: 'token-1',
      keys: [RENEWAL_KEY, WARNING_KEY],
      at: RUN,
      wallNow: RUN,
      outcome: { error: 'invalid recipient' },
    });

    // Assess
    expect(Object.values(next.ledger).map((record) => [record.status, record.error])).toEqual([
      ['failed', 'invalid recipient'],
      ['failed', 'invalid recipient'],
    ]);
    expect(next.claims).toEqual({});
  });

  it('leaves alone a claim taken over by another token', () => {
    // Prepare
    const takenOver = claimed({
      [RENEWAL_KEY]: claimOf(RENEWAL_KEY, 'token-2', '2027-10-10T13:40:00.000Z'),
    });

    // Act
    const next = settleClaims(takenOver, {
      token: 'token-1',
      keys: [RENEWAL_KEY],
      at: RUN,
      wallNow: RUN,
      outcome: { messageId: 'm-42' },
    });

    // Assess
    expect(next.ledger).toEqual({});
    expect(next.claims).toEqual(takenOver.claims);
  });

  it('records the skips of the same decision with the run instant', () => {
    // Act
    const next = settleClaims(mine, {
      token: 'token-1',
      keys: [WARNING_KEY],
      at: RUN,
      wallNow: RUN,
      outcome: { messageId: 'm-42' },
      skips: [{ reminder: reminder(EXPIRED_KEY), reason: 'superseded' }],
    });

    // Assess
    expect(next.ledger[EXPIRED_KEY]).toMatchObject({
      status: 'skipped',
      reason: 'superseded',
      at: RUN,
    });
    expect(next.ledger[WARNING_KEY]).toMatchObject({ status: 'sent', messageId: 'm-42' });
  });

  it('lets a skip replace a claim left by a dead sender when given the wall clock', () => {
    // Prepare: the warning was claimed by a sender whose lease ended at 13:15.
    const state = claimed({
      [RENEWAL_KEY]: claimOf(RENEWAL_KEY, 'token-1', lease),
      [WARNING_KEY]: claimOf(WARNING_KEY, 'dead-token', lease),
    });
    const settlement = {
      token: 'token-1',
      keys: [RENEWAL_KEY],
      at: RUN,
      outcome: { messageId: 'm-42' },
      skips: [{ reminder: reminder(WARNING_KEY), reason: 'stale' as const }],
    };

    // Act
    const withoutClock = settleClaims(state, { ...settlement, wallNow: RUN });
    const withClock = settleClaims(state, { ...settlement, wallNow: '2027-10-10T13:20:00.000Z' });

    // Assess
    expect(withoutClock.ledger[WARNING_KEY]).toBeUndefined();
    expect(withClock.ledger[WARNING_KEY]).toMatchObject({ status: 'skipped', reason: 'stale' });
    expect(withClock.claims).toEqual({});
  });

  it.each([
    ['an alias', aliasOf('ana', 'ana-new')],
    ['a tombstone', tombstoneOf(mine, '2027-10-10T13:02:00Z')],
    ['an erased alias', tombstoneOf(aliasOf('ana', 'ana-new'), '2027-10-10T13:02:00Z')],
  ])('changes nothing on %s: nothing is re-created in it', (_label, dead) => {
    // Act
    const next = settleClaims(dead, {
      token: 'token-1',
      keys: [RENEWAL_KEY],
      at: RUN,
      wallNow: RUN,
      outcome: { messageId: 'm-42' },
      skips: [{ reminder: reminder(EXPIRED_KEY), reason: 'stale' }],
    });

    // Assess
    expect(next).toBe(dead);
  });
});

describe('releaseClaims', () => {
  it('drops the listed claims of the token, so their reminders stay due', () => {
    // Prepare
    const lease = '2027-10-10T13:15:00.000Z';
    const state = claimed({
      [RENEWAL_KEY]: claimOf(RENEWAL_KEY, 'token-1', lease),
      [WARNING_KEY]: claimOf(WARNING_KEY, 'token-1', lease),
      [EXPIRED_KEY]: claimOf(EXPIRED_KEY, 'token-2', lease),
    });

    // Act
    const next = releaseClaims(state, [RENEWAL_KEY, EXPIRED_KEY], 'token-1');

    // Assess
    expect(Object.keys(next.claims).sort()).toEqual([EXPIRED_KEY, WARNING_KEY].sort());
    expect(next.ledger).toEqual({});
    expect(nextDueAt(next, settings)).toBe(RENEWAL_DUE);
  });
});

describe('recordSkips', () => {
  it('records each skip with its reason, reference and the run instant', () => {
    // Act
    const next = recordSkips(
      ana,
      [{ reminder: reminder(RENEWAL_KEY), reason: 'unsubscribed' }],
      RUN,
      RUN,
    );

    // Assess
    expect(next.ledger).toEqual({
      [RENEWAL_KEY]: {
        credentialId: 'aws-cp',
        kind: 'renewal_window_open',
        anchorAttemptId: 'p1',
        dueOn: '2027-10-10',
        dueAt: RENEWAL_DUE,
        status: 'skipped',
        at: RUN,
        reason: 'unsubscribed',
      },
    });
  });

  it('never overwrites a reminder the ledger already holds', () => {
    // Prepare
    const sent = { ...ana, ledger: { [RENEWAL_KEY]: sentRecord(RENEWAL_KEY) } };

    // Act
    const next = recordSkips(
      sent,
      [{ reminder: reminder(RENEWAL_KEY), reason: 'stale' }],
      '2027-11-01T13:00:00Z',
      '2027-11-01T13:00:00Z',
    );

    // Assess
    expect(next.ledger).toEqual(sent.ledger);
  });

  it('never overwrites a claim at the run instant: a sender may be sending it', () => {
    // Prepare
    const state = claimed({
      [RENEWAL_KEY]: claimOf(RENEWAL_KEY, 'token-1', '2027-10-10T13:15:00.000Z'),
    });

    // Act
    const next = recordSkips(
      state,
      [{ reminder: reminder(RENEWAL_KEY), reason: 'stale' }],
      RUN,
      RUN,
    );

    // Assess
    expect(next.ledger).toEqual({});
    expect(next.claims).toEqual(state.claims);
  });

  it('never overwrites a claim whose lease still runs on the wall clock', () => {
    // Prepare
    const state = claimed({
      [RENEWAL_KEY]: claimOf(RENEWAL_KEY, 'token-1', '2027-10-10T13:15:00.000Z'),
    });

    // Act
    const next = recordSkips(
      state,
      [{ reminder: reminder(RENEWAL_KEY), reason: 'stale' }],
      RUN,
      '2027-10-10T13:14:59.999Z',
    );

    // Assess
    expect(next.ledger).toEqual({});
    expect(next.claims).toEqual(state.claims);
  });

  it('replaces the claim of a dead sender (lease over on the wall clock), so the reminder stops being due', () => {
    // Prepare: the sender died after claiming; the candidate opted out before the next run.
    const dead = {
      ...claimed({ [RENEWAL_KEY]: claimOf(RENEWAL_KEY, 'token-1', '2027-10-10T13:15:00.000Z') }),
      unsubscribedAt: '2027-10-10T20:00:00Z',
    };
    const runAt = '2027-10-11T13:00:00Z';
    const wallNow = '2027-10-11T13:00:05.000Z';
    const decision = decideFor(dead, runAt, settings, { wallNow });

    // Act
    const next = recordSkips(dead, decision.skip, runAt, wallNow);

    // Assess
    expect(skipKeysOf(decision)).toEqual([`${RENEWAL_KEY} unsubscribed`]);
    expect(next.ledger[RENEWAL_KEY]).toMatchObject({ status: 'skipped', reason: 'unsubscribed' });
    expect(next.claims).toEqual({});
    expect(nextDueAt(next, settings)).toBe(WARNING_DUE);
  });

  it.each([
    ['an alias', aliasOf('ana', 'ana-new')],
    ['a tombstone', tombstoneOf(ana, '2027-10-10T13:02:00Z')],
  ])('changes nothing on %s', (_label, dead) => {
    // Act
    const next = recordSkips(
      dead,
      [{ reminder: reminder(RENEWAL_KEY), reason: 'stale' }],
      RUN,
      RUN,
    );

    // Assess
    expect(next).toBe(dead);
  });

  it('changes nothing without skips', () => {
    // Act & Assess
    expect(recordSkips(ana, [], RUN, RUN)).toBe(ana);
  });
});

describe('nextDueAt', () => {
  it('is the earliest due instant of the reminders not yet dealt with', () => {
    // Act & Assess
    expect(nextDueAt(ana, settings)).toBe(RENEWAL_DUE);
  });

  it('moves on past the reminders the ledger holds, whatever their status', () => {
    // Prepare
    const dealt = {
      ...ana,
      ledger: {
        [RENEWAL_KEY]: sentRecord(RENEWAL_KEY),
        [WARNING_KEY]: { ...sentRecord(WARNING_KEY), status: 'failed' as const, error: 'rejected' },
      },
    };

    // Act & Assess
    expect(nextDueAt(dealt, settings)).toBe(EXPIRED_DUE);
  });

  it('still counts claimed reminders, so a claim left by a dead sender is planned again', () => {
    // Prepare
    const state = claimed({
      [RENEWAL_KEY]: claimOf(RENEWAL_KEY, 'token-1', '2027-10-10T13:15:00.000Z'),
    });

    // Act & Assess
    expect(nextDueAt(state, settings)).toBe(RENEWAL_DUE);
  });

  it('skips the reminders under the compaction watermark of their credential', () => {
    // Prepare
    const compacted = { ...ana, settledThrough: { 'aws-cp': WARNING_DUE } };
    const otherCredential = { ...ana, settledThrough: { 'gcp-ace': EXPIRED_DUE } };

    // Act & Assess
    expect(nextDueAt(compacted, settings)).toBe(EXPIRED_DUE);
    expect(nextDueAt(otherCredential, settings)).toBe(RENEWAL_DUE);
  });

  it('takes the earliest over all credentials', () => {
    // Prepare: a failure on 2027-03-01 makes a retake due on 2027-03-26.
    const two = applyAttempts(
      ana,
      [
        incoming({
          attemptId: 'f1',
          outcome: 'fail',
          takenAt: '2027-03-01T10:00:00Z',
          credentialId: 'gcp-ace',
        }),
      ],
      'own',
    ).state;

    // Act & Assess
    expect(nextDueAt(two, settings)).toBe('2027-03-26T00:00:00Z');
  });

  it.each([
    ['a candidate without attempts', emptyCandidate('ana')],
    ['an alias', { ...ana, mergedInto: 'ana-new' }],
    ['a tombstone', { ...ana, erasedAt: '2027-06-01T00:00:00Z' }],
    [
      'a candidate whose every reminder was dealt with',
      {
        ...ana,
        ledger: Object.fromEntries(
          [RENEWAL_KEY, WARNING_KEY, EXPIRED_KEY].map((key) => [key, sentRecord(key)]),
        ),
      },
    ],
  ])('is undefined for %s: it leaves the due index', (_label, state) => {
    // Act & Assess
    expect(nextDueAt(state, settings)).toBeUndefined();
  });
});

describe('compactLedger', () => {
  /** `count` sent records of one credential, due one a day from `firstDue`, dealt with at `at`. */
  const records = (
    count: number,
    options: { firstDue: string; at: string; credentialId?: string },
  ): Record<string, LedgerRecord> => {
    const credentialId = options.credentialId ?? 'aws-cp';
    const first = Date.parse(options.firstDue);
    return Object.fromEntries(
      Array.from({ length: count }, (_, index) => {
        const dueAt = new Date(first + index * 86_400_000).toISOString().replace('.000Z', 'Z');
        return [
          `${credentialId}#expiring_soon#a-${index}#30`,
          {
            credentialId,
            kind: 'expiring_soon' as const,
            anchorAttemptId: `a-${index}`,
            daysBefore: 30,
            dueOn: dueAt.slice(0, 10),
            dueAt,
            status: 'sent' as const,
            at: options.at,
            messageId: `m-${index}`,
          },
        ];
      }),
    );
  };
  /** The latest run 2021-01-01, MAX_LATENESS_DAYS 14: entries due before 2020-12-16T00:00Z may fold. */
  const LATEST_RUN = '2021-01-01T13:00:00Z';
  const CUTOFF = '2020-12-16T00:00:00Z';
  const stateWith = (ledger: Record<string, LedgerRecord>): CandidateState => ({
    ...emptyCandidate('ana'),
    ledger,
  });

  it(`leaves a ledger of at most LEDGER_KEEP (${LEDGER_KEEP}) entries as it is`, () => {
    // Prepare
    const state = stateWith(
      records(LEDGER_KEEP, { firstDue: '2019-01-01T00:00:00Z', at: LATEST_RUN }),
    );

    // Act & Assess
    expect(compactLedger(state, settings)).toBe(state);
  });

  it('folds the oldest entries beyond LEDGER_KEEP into the watermark of their credential', () => {
    // Prepare: 150 entries due daily from 2019-01-01, all long before the cutoff.
    const state = stateWith(records(150, { firstDue: '2019-01-01T00:00:00Z', at: LATEST_RUN }));

    // Act
    const next = compactLedger(state, settings);

    // Assess: the oldest 150 − LEDGER_KEEP (due daily from 2019-01-01) are folded.
    const lastFolded = `${addDays('2019-01-01', 150 - LEDGER_KEEP - 1)}T00:00:00Z`;
    expect(Object.keys(next.ledger)).toHaveLength(LEDGER_KEEP);
    expect(next.settledThrough).toEqual({ 'aws-cp': lastFolded });
    expect(Object.values(next.ledger).every((record) => record.dueAt > lastFolded)).toBe(true);
  });

  it('folds only entries due before the latest run minus MAX_LATENESS_DAYS + 2 days, even beyond the bound', () => {
    // Prepare: 10 entries due before the cutoff, 140 due after it.
    const old = records(10, { firstDue: '2020-11-01T00:00:00Z', at: LATEST_RUN });
    const recent = records(140, { firstDue: CUTOFF, at: LATEST_RUN, credentialId: 'gcp-ace' });
    const state = stateWith({ ...old, ...recent });

    // Act
    const next = compactLedger(state, settings);

    // Assess
    expect(Object.keys(next.ledger)).toHaveLength(140);
    expect(next.settledThrough).toEqual({ 'aws-cp': '2020-11-10T00:00:00Z' });
  });

  it.each([
    ['exactly at the cutoff', CUTOFF, false],
    ['one second before the cutoff', '2020-12-15T23:59:59Z', true],
  ])('an entry due %s is folded: %s', (_label, dueAt, folded) => {
    // Prepare: 120 entries after the cutoff and the one in question.
    const recent = records(LEDGER_KEEP, {
      firstDue: '2020-12-17T00:00:00Z',
      at: LATEST_RUN,
      credentialId: 'gcp-ace',
    });
    const probe = {
      ...sentRecord(RENEWAL_KEY, '2020-12-20T13:00:00Z'),
      dueAt,
      dueOn: dueAt.slice(0, 10),
    };
    const state = stateWith({ ...recent, [RENEWAL_KEY]: probe });

    // Act
    const next = compactLedger(state, settings);

    // Assess
    expect(next.ledger[RENEWAL_KEY] === undefined).toBe(folded);
    expect(next.settledThrough?.['aws-cp']).toBe(folded ? dueAt : undefined);
  });

  it('judges the cutoff on the latest run that dealt with any entry, with MAX_LATENESS_DAYS', () => {
    // Prepare: one entry dealt with on 2021-01-01 makes the others (dealt with in 2019) foldable;
    // with MAX_LATENESS_DAYS 0 the cutoff is 2020-12-30T00:00Z.
    const old = records(130, { firstDue: '2019-01-01T00:00:00Z', at: '2019-06-01T13:00:00Z' });
    const latest = records(1, {
      firstDue: '2020-12-29T00:00:00Z',
      at: LATEST_RUN,
      credentialId: 'gcp-ace',
    });
    const state = stateWith({ ...old, ...latest });

    // Act
    const strict = compactLedger(state, { ...settings, maxLatenessDays: 0 });
    const lenient = compactLedger(state, { ...settings, maxLatenessDays: 800 });

    // Assess
    expect(Object.keys(strict.ledger)).toHaveLength(LEDGER_KEEP);
    expect(strict.settledThrough).toEqual({
      'aws-cp': `${addDays('2019-01-01', 131 - LEDGER_KEEP - 1)}T00:00:00Z`,
    });
    expect(lenient.ledger).toEqual(state.ledger);
  });

  it('never lowers a watermark it already has', () => {
    // Prepare
    const state = {
      ...stateWith(records(121, { firstDue: '2019-01-01T00:00:00Z', at: LATEST_RUN })),
      settledThrough: { 'aws-cp': '2020-06-01T00:00:00Z' },
    };

    // Act
    const next = compactLedger(state, settings);

    // Assess
    expect(Object.keys(next.ledger)).toHaveLength(LEDGER_KEEP);
    expect(next.settledThrough).toEqual({ 'aws-cp': '2020-06-01T00:00:00Z' });
  });

  describe('on a candidate run for years', () => {
    // Fourteen credentials, one pass a year each from 2020 to 2023: three reminders a pass.
    const credentialIds = Array.from(
      { length: 14 },
      (_, index) => `cred-${String(index).padStart(2, '0')}`,
    );
    const start = withAttempts(
      'ana',
      credentialIds.flatMap((credentialId, index) =>
        [2020, 2021, 2022, 2023].map((year) =>
          incoming({
            attemptId: `${credentialId}-${year}`,
            takenAt: `${year}-02-${String(index + 1).padStart(2, '0')}T09:00:00Z`,
            credentialId,
            profile: writes(0, { email: 'ana@example.com' }),
          }),
        ),
      ),
    );

    /** Runs on every day something is due (what the due index makes the planner do). */
    const runUntil = (state: CandidateState, until: string, compact: boolean) => {
      let current = state;
      for (let due = nextDueAt(current, settings); due !== undefined && due < until; ) {
        const runAt = thirteenHundred(due.slice(0, 10));
        current = runOnce(current, runAt, settings).state;
        if (compact) current = compactLedger(current, settings);
        due = nextDueAt(current, settings);
      }
      return current;
    };
    const full = runUntil(start, '2024-01-31T00:00:00Z', false);
    const compacted = runUntil(start, '2024-01-31T00:00:00Z', true);

    it('keeps the ledger bounded while runs go on', () => {
      // Assess
      expect(Object.keys(full.ledger).length).toBeGreaterThan(LEDGER_KEEP);
      expect(Object.keys(compacted.ledger)).toHaveLength(LEDGER_KEEP);
      expect(Object.keys(compacted.settledThrough ?? {}).length).toBeGreaterThan(0);
    });

    it('counts compacted reminders as settled for nextDueAt', () => {
      // Act & Assess
      expect(nextDueAt(compacted, settings)).toBe(nextDueAt(full, settings));
      expect(nextDueAt(compacted, settings)).toBe('2024-02-01T00:00:00Z');
    });

    it('counts compacted reminders as settled for decideRun, at the next run and at a replay of an old one', () => {
      // Prepare: a replay of 2021-11-02, when the first of them was being sent, and the next run.
      const replay = '2021-11-02T13:00:00Z';
      const next = '2024-02-01T13:00:00Z';

      // Act
      const replayed = decideFor(compacted, replay, settings);
      const decided = decideFor(compacted, next, settings);

      // Assess
      expect(replayed).toEqual({ send: [], skip: [] });
      expect(decided).toEqual(decideFor(full, next, settings));
      expect(keysOf(decided.send)).toEqual(['cred-00#expired#cred-00-2023']);
    });
  });
});
