import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import type { CredentialAttempts } from '../../../functions/domain/event-fold';
import type { Attempt, Reminder, ReminderKind } from '../../../functions/domain/reminder-rules';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../../functions/domain/rule-settings';
import {
  type CandidateAtRun,
  decideRun,
  type LedgerEntry,
  type RunDecision,
  type SkipReason,
} from '../../../functions/domain/run-decisions';
import { fail, pass } from '../support/attempts';

/**
 * SPEC §1 "A run": what a run at instant T emails and what it skips, and why. Every due date and
 * due instant below was worked out by hand from the rules (P + 9 months, P + 12 months − N days,
 * P + 12 months, F + 25 days), never taken from the code under test.
 *
 * The main fixture is one pass `p1` on 2027-01-10 (UTC), which anchors:
 * - `renewal_window_open` due 2027-10-10T00:00:00Z;
 * - `expiring_soon` (30 days) due 2027-12-11T00:00:00Z;
 * - `expired` due 2028-01-10T00:00:00Z.
 */

const P1 = pass('p1', '2027-01-10T09:00:00Z');
const RENEWAL_DUE = '2027-10-10T00:00:00Z';
const WARNING_DUE = '2027-12-11T00:00:00Z';
const EXPIRED_DUE = '2028-01-10T00:00:00Z';
const RENEWAL_KEY = 'aws-cp#renewal_window_open#p1';
const WARNING_KEY = 'aws-cp#expiring_soon#p1#30';

const credential = (attempts: readonly Attempt[], credentialId = 'aws-cp'): CredentialAttempts => ({
  credentialId,
  name: `Credential ${credentialId}`,
  attempts,
});

const candidate = (
  credentials: readonly CredentialAttempts[],
  options: {
    ledger?: readonly LedgerEntry[];
    settledThrough?: Readonly<Record<string, string>>;
    optedOut?: boolean;
    timeZone?: string;
  } = {},
): CandidateAtRun => ({
  profile: {
    candidateId: 'cand-1',
    email: 'cand-1@example.com',
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
  },
  credentials,
  ledger: options.ledger ?? [],
  ...(options.settledThrough === undefined ? {} : { settledThrough: options.settledThrough }),
  optedOut: options.optedOut ?? false,
});

const at = (instant: string) => Temporal.Instant.from(instant);

const settingsWith = (overrides: Partial<RuleSettings> = {}): RuleSettings => ({
  ...DEFAULT_RULE_SETTINGS,
  ...overrides,
});

/** A ledger entry settling the reminder with `key` (of credential `aws-cp` unless told otherwise). */
const entry = (
  key: string,
  kind: ReminderKind,
  status: LedgerEntry['status'],
  extra: Partial<LedgerEntry> = {},
): LedgerEntry => ({ key, credentialId: 'aws-cp', kind, status, ...extra });

/** The decision written compactly: `credential kind dueOn` for sends, plus the reason for skips. */
const summary = (decision: RunDecision) => ({
  send: decision.send.map((r: Reminder) => `${r.credentialId} ${r.kind} ${r.dueOn}`),
  skip: decision.skip.map(
    ({ reminder, reason }: { reminder: Reminder; reason: SkipReason }) =>
      `${reminder.credentialId} ${reminder.kind} ${reminder.dueOn} ${reason}`,
  ),
});

const decide = (who: CandidateAtRun, runAt: string, settings: RuleSettings = settingsWith()) =>
  summary(decideRun(who, at(runAt), settings));

describe('decideRun: a reminder becomes due at its due instant', () => {
  it.each([
    ['one millisecond before the due instant', '2027-10-09T23:59:59.999Z', []],
    ['exactly at the due instant', RENEWAL_DUE, ['aws-cp renewal_window_open 2027-10-10']],
    ['later on the due date', '2027-10-10T13:00:00Z', ['aws-cp renewal_window_open 2027-10-10']],
  ])('a run %s sends %j', (_label, runAt, expected) => {
    // Prepare
    const who = candidate([credential([P1])]);

    // Act
    const decision = decide(who, runAt);

    // Assess
    expect(decision).toEqual({ send: expected, skip: [] });
  });

  it.each([
    ['2027-10-10T12:59:59.999Z', 0],
    ['2027-10-10T13:00:00.000Z', 1],
  ])(
    'in the candidate zone with SEND_HOUR 9 (New York, EDT, due 13:00Z) a run at %s sends %i reminder(s)',
    (runAt, count) => {
      // Prepare
      const who = candidate([credential([P1])], { timeZone: 'America/New_York' });

      // Act
      const { send } = decideRun(who, at(runAt), settingsWith({ sendHour: 9 }));

      // Assess
      expect(send).toHaveLength(count);
      if (count > 0) expect(send[0]?.dueAt).toBe('2027-10-10T13:00:00Z');
    },
  );

  it('uses DEFAULT_TIME_ZONE for a candidate without a zone', () => {
    // Prepare: in Asia/Tokyo (UTC+9) the renewal is due 2027-10-09T15:00:00Z.
    const who = candidate([credential([P1])]);
    const settings = settingsWith({ defaultTimeZone: 'Asia/Tokyo' });

    // Act
    const before = decideRun(who, at('2027-10-09T14:59:59.999Z'), settings);
    const onTime = decideRun(who, at('2027-10-09T15:00:00Z'), settings);

    // Assess
    expect(before.send).toEqual([]);
    expect(onTime.send.map((r) => r.dueAt)).toEqual(['2027-10-09T15:00:00Z']);
  });

  it('decides nothing for a candidate without credentials', () => {
    // Prepare
    const who = candidate([]);

    // Act
    const decision = decideRun(who, at('2030-01-01T00:00:00Z'), settingsWith());

    // Assess
    expect(decision).toEqual({ send: [], skip: [] });
  });
});

describe('decideRun: the ledger settles reminders already dealt with', () => {
  it.each(['sent', 'skipped', 'failed', 'claimed'] as const)(
    'a %s entry under the same key settles the reminder: neither sent nor skipped',
    (status) => {
      // Prepare: a `claimed` entry is a live claim (the caller passes only those).
      const who = candidate([credential([P1])], {
        ledger: [entry(RENEWAL_KEY, 'renewal_window_open', status)],
      });

      // Act
      const decision = decide(who, '2027-10-10T13:00:00Z');

      // Assess
      expect(decision).toEqual({ send: [], skip: [] });
    },
  );

  it('a live claim settles the reminder whatever the run instant, even much later', () => {
    // Prepare: leases are judged on the wall clock by the caller, never on the run clock.
    const who = candidate([credential([P1])], {
      ledger: [entry(RENEWAL_KEY, 'renewal_window_open', 'claimed')],
    });

    // Act
    const decision = decide(who, '2027-10-20T13:00:00Z');

    // Assess
    expect(decision).toEqual({ send: [], skip: [] });
  });

  it('a sent entry settles the reminder after the candidate changed zone: the key has no date', () => {
    // Prepare: p2 at 23:30 UTC is on 2027-01-10 in UTC but 2027-01-11 in Tokyo, where the
    // candidate now lives; the renewal was sent while they were in UTC.
    const p2 = pass('p2', '2027-01-10T23:30:00Z');
    const inUtc = decideRun(
      candidate([credential([p2])]),
      at('2027-10-10T13:00:00Z'),
      settingsWith(),
    );
    const sentInUtc = (inUtc.send[0] as Reminder).key;
    const who = candidate([credential([p2])], {
      ledger: [entry(sentInUtc, 'renewal_window_open', 'sent')],
      timeZone: 'Asia/Tokyo',
    });

    // Act
    const decision = decideRun(who, at('2027-10-11T13:00:00Z'), settingsWith());

    // Assess
    expect(sentInUtc).toBe('aws-cp#renewal_window_open#p2');
    expect(decision).toEqual({ send: [], skip: [] });
  });

  it('gives a reminder the same key whatever the zone it is due in', () => {
    // Prepare
    const p2 = pass('p2', '2027-01-10T23:30:00Z');
    const zones = ['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Pacific/Kiritimati'];

    // Act
    const keys = zones.map((timeZone) =>
      decideRun(
        candidate([credential([p2])], { timeZone }),
        at('2027-10-12T13:00:00Z'),
        settingsWith(),
      ).send.map((reminder) => reminder.key),
    );

    // Assess
    for (const zoneKeys of keys) expect(zoneKeys).toEqual(['aws-cp#renewal_window_open#p2']);
  });

  it.each([
    [
      'another anchor attempt',
      entry('aws-cp#renewal_window_open#p9', 'renewal_window_open', 'sent'),
    ],
    [
      'another credential',
      entry('aws-dev#renewal_window_open#p2', 'renewal_window_open', 'sent', {
        credentialId: 'aws-dev',
      }),
    ],
    ['another kind', entry('aws-cp#expired#p2', 'expired', 'sent')],
    [
      'another key, though the same credential and kind',
      entry('aws-cp#renewal_window_open#2027-01-10', 'renewal_window_open', 'sent'),
    ],
  ])('a sent entry for %s does not settle the reminder', (_label, other) => {
    // Prepare
    const p2 = pass('p2', '2027-01-10T23:30:00Z');
    const who = candidate([credential([p2])], { ledger: [other], timeZone: 'Asia/Tokyo' });

    // Act
    const decision = decideRun(who, at('2027-10-11T13:00:00Z'), settingsWith());

    // Assess
    expect(decision.send.map((r) => r.key)).toEqual(['aws-cp#renewal_window_open#p2']);
  });

  it('a sent warning settles only the warning with the same days before', () => {
    // Prepare: warnings 60 and 30 days before; the 60-day one was sent (in UTC, before a move).
    const p2 = pass('p2', '2027-01-10T23:30:00Z');
    const settings = settingsWith({ expiryWarningDays: [60, 30], maxLatenessDays: 365 });
    const ledger = [
      entry('aws-cp#renewal_window_open#p2', 'renewal_window_open', 'sent'),
      entry('aws-cp#expiring_soon#p2#60', 'expiring_soon', 'sent'),
    ];
    const who = candidate([credential([p2])], { ledger, timeZone: 'Asia/Tokyo' });

    // Act: Tokyo expiry 2028-01-11; the 30-day warning is due on 2027-12-12 (15:00Z the day before).
    const decision = decideRun(who, at('2027-12-12T13:00:00Z'), settings);

    // Assess
    expect(decision.send.map((r) => r.key)).toEqual(['aws-cp#expiring_soon#p2#30']);
    expect(decision.skip).toEqual([]);
  });
});

describe('decideRun: the compaction watermark `settledThrough` settles reminders due by it', () => {
  it.each([
    ['exactly at the due instant', RENEWAL_DUE, []],
    ['after the due instant', '2027-11-01T00:00:00Z', []],
    [
      'one millisecond before the due instant',
      '2027-10-09T23:59:59.999Z',
      ['aws-cp renewal_window_open 2027-10-10'],
    ],
  ])('a watermark %s: sends %j', (_label, through, expected) => {
    // Prepare
    const who = candidate([credential([P1])], { settledThrough: { 'aws-cp': through } });

    // Act
    const decision = decide(who, '2027-10-10T13:00:00Z');

    // Assess
    expect(decision).toEqual({ send: expected, skip: [] });
  });

  it('settles only the reminders of its own credential', () => {
    // Prepare
    const who = candidate([credential([P1])], {
      settledThrough: { 'aws-dev': '2099-01-01T00:00:00Z' },
    });

    // Act
    const decision = decide(who, '2027-10-10T13:00:00Z');

    // Assess
    expect(decision).toEqual({ send: ['aws-cp renewal_window_open 2027-10-10'], skip: [] });
  });

  it('leaves a later stage due after the watermark to be decided on its own', () => {
    // Prepare: everything up to the renewal was compacted; the warning is due.
    const who = candidate([credential([P1])], { settledThrough: { 'aws-cp': RENEWAL_DUE } });

    // Act
    const decision = decide(who, '2027-12-11T13:00:00Z');

    // Assess
    expect(decision).toEqual({ send: ['aws-cp expiring_soon 2027-12-11'], skip: [] });
  });
});

describe('decideRun: a reminder made pointless by a later attempt is superseded', () => {
  it.each([
    [
      'a retake reminder, by a later failure',
      [fail('f1', '2027-03-01T10:00:00Z'), fail('f2', '2027-03-28T10:00:00Z')],
      '2027-03-28T12:00:00Z',
      'aws-cp retake_available 2027-03-26 superseded',
    ],
    [
      'a retake reminder, by a later pass',
      [fail('f1', '2027-03-01T10:00:00Z'), pass('p2', '2027-03-28T10:00:00Z')],
      '2027-03-28T12:00:00Z',
      'aws-cp retake_available 2027-03-26 superseded',
    ],
    [
      'a renewal reminder, by a later failure',
      [P1, fail('f1', '2027-10-12T10:00:00Z')],
      '2027-10-12T12:00:00Z',
      'aws-cp renewal_window_open 2027-10-10 superseded',
    ],
    [
      'a renewal reminder, by a later pass',
      [P1, pass('p2', '2027-10-12T10:00:00Z')],
      '2027-10-12T12:00:00Z',
      'aws-cp renewal_window_open 2027-10-10 superseded',
    ],
  ])('%s taken after the due instant', (_label, attempts, runAt, expected) => {
    // Prepare
    const who = candidate([credential(attempts)]);

    // Act
    const decision = decide(who, runAt);

    // Assess
    expect(decision).toEqual({ send: [], skip: [expected] });
  });

  it.each([
    ['expiring_soon', WARNING_DUE, '2027-12-12', 'aws-cp expiring_soon 2027-12-11 superseded'],
    ['expired', EXPIRED_DUE, '2028-01-11', 'aws-cp expired 2028-01-10 superseded'],
  ])(
    '%s is superseded by a later pass taken after its due instant',
    (kind, _due, day, expected) => {
      // Prepare: earlier reminders of p1 are already settled.
      const ledger = [
        entry(RENEWAL_KEY, 'renewal_window_open', 'sent'),
        ...(kind === 'expired' ? [entry(WARNING_KEY, 'expiring_soon', 'sent')] : []),
      ];
      const who = candidate([credential([P1, pass('p2', `${day}T10:00:00Z`)])], { ledger });

      // Act
      const decision = decide(who, `${day}T12:00:00Z`);

      // Assess
      expect(decision).toEqual({ send: [], skip: [expected] });
    },
  );

  it.each([
    ['expiring_soon', '2027-12-12', 'aws-cp expiring_soon 2027-12-11'],
    ['expired', '2028-01-11', 'aws-cp expired 2028-01-10'],
  ])('%s is NOT superseded by a later failure: it is still sent', (kind, day, expected) => {
    // Prepare
    const ledger = [
      entry(RENEWAL_KEY, 'renewal_window_open', 'sent'),
      ...(kind === 'expired' ? [entry(WARNING_KEY, 'expiring_soon', 'sent')] : []),
    ];
    const who = candidate([credential([P1, fail('f1', `${day}T10:00:00Z`)])], { ledger });

    // Act
    const decision = decide(who, `${day}T12:00:00Z`);

    // Assess
    expect(decision).toEqual({ send: [expected], skip: [] });
  });

  it('ignores attempts taken after the run instant', () => {
    // Prepare: p2 would supersede the warning, but it is taken after the run.
    const who = candidate([credential([P1, pass('p2', '2027-12-12T10:00:00Z')])], {
      ledger: [entry(RENEWAL_KEY, 'renewal_window_open', 'sent')],
    });

    // Act
    const decision = decide(who, '2027-12-11T12:00:00Z');

    // Assess
    expect(decision).toEqual({ send: ['aws-cp expiring_soon 2027-12-11'], skip: [] });
  });

  it('counts an attempt taken exactly at the run instant as known', () => {
    // Prepare
    const who = candidate([credential([P1, fail('f1', '2027-10-12T12:00:00Z')])]);

    // Act
    const decision = decide(who, '2027-10-12T12:00:00Z');

    // Assess
    expect(decision).toEqual({
      send: [],
      skip: ['aws-cp renewal_window_open 2027-10-10 superseded'],
    });
  });

  it('ignores a failure taken after the run instant: its retake reminder does not exist yet', () => {
    // Prepare: f1's retake would be due 2027-03-26, but f1 itself lies after this run.
    const who = candidate([credential([fail('f1', '2027-03-01T10:00:00Z')])]);

    // Act
    const decision = decide(who, '2027-02-28T12:00:00Z');

    // Assess
    expect(decision).toEqual({ send: [], skip: [] });
  });
});

describe('decideRun: a reminder more than MAX_LATENESS_DAYS late is stale', () => {
  it.each([
    ['exactly 14 days late', '2027-10-24T00:00:00.000Z', 'send'],
    ['14 days and 1 ms late', '2027-10-24T00:00:00.001Z', 'stale'],
    ['a month late', '2027-11-10T00:00:00Z', 'stale'],
  ])('a renewal %s is decided %s', (_label, runAt, outcome) => {
    // Prepare
    const who = candidate([credential([P1])]);

    // Act
    const decision = decide(who, runAt);

    // Assess
    expect(decision).toEqual(
      outcome === 'send'
        ? { send: ['aws-cp renewal_window_open 2027-10-10'], skip: [] }
        : { send: [], skip: ['aws-cp renewal_window_open 2027-10-10 stale'] },
    );
  });

  it.each([
    [0, '2027-10-10T00:00:00Z', 'send'],
    [0, '2027-10-10T00:00:00.001Z', 'stale'],
    [3, '2027-10-13T00:00:00Z', 'send'],
    [3, '2027-10-13T00:00:00.001Z', 'stale'],
  ])('with MAX_LATENESS_DAYS %i a run at %s decides %s', (maxLatenessDays, runAt, outcome) => {
    // Prepare
    const who = candidate([credential([P1])]);

    // Act
    const { send, skip } = decideRun(who, at(runAt), settingsWith({ maxLatenessDays }));

    // Assess
    expect(send.length === 1 ? 'send' : skip[0]?.reason).toBe(outcome);
  });
});

describe('decideRun: a reminder whose later stage is also due is stale', () => {
  const warnings = { expiryWarningDays: [60, 30, 7] };

  it.each([
    ['within the lateness limit', 365],
    ['beyond the lateness limit', 14],
  ])(
    'after a month down, renewal and all warnings are stale and only expired is sent (%s)',
    (_label, maxLatenessDays) => {
      // Prepare: renewal 2027-10-10, warnings 2027-11-11, 2027-12-11, 2028-01-03, expired 2028-01-10.
      const who = candidate([credential([P1])]);

      // Act
      const decision = decide(
        who,
        '2028-01-10T13:00:00Z',
        settingsWith({ ...warnings, maxLatenessDays }),
      );

      // Assess
      expect(decision.send).toEqual(['aws-cp expired 2028-01-10']);
      expect([...decision.skip].sort()).toEqual(
        [
          'aws-cp renewal_window_open 2027-10-10 stale',
          'aws-cp expiring_soon 2027-11-11 stale',
          'aws-cp expiring_soon 2027-12-11 stale',
          'aws-cp expiring_soon 2028-01-03 stale',
        ].sort(),
      );
    },
  );

  const settledBefore = (count: number): LedgerEntry[] =>
    [
      entry(RENEWAL_KEY, 'renewal_window_open', 'sent'),
      entry('aws-cp#expiring_soon#p1#60', 'expiring_soon', 'sent'),
      entry('aws-cp#expiring_soon#p1#30', 'expiring_soon', 'sent'),
    ].slice(0, count);

  it.each([
    [
      'renewal and the 60-day warning',
      0,
      '2027-11-11T13:00:00Z',
      'aws-cp expiring_soon 2027-11-11',
      'aws-cp renewal_window_open 2027-10-10 stale',
    ],
    [
      'the 60- and 30-day warnings',
      1,
      '2027-12-11T13:00:00Z',
      'aws-cp expiring_soon 2027-12-11',
      'aws-cp expiring_soon 2027-11-11 stale',
    ],
    [
      'the 30- and 7-day warnings',
      2,
      '2028-01-03T13:00:00Z',
      'aws-cp expiring_soon 2028-01-03',
      'aws-cp expiring_soon 2027-12-11 stale',
    ],
    [
      'the 7-day warning and expired',
      3,
      '2028-01-10T13:00:00Z',
      'aws-cp expired 2028-01-10',
      'aws-cp expiring_soon 2028-01-03 stale',
    ],
  ])(
    'when %s are due, only the later stage is sent',
    (_label, settledCount, runAt, sent, stale) => {
      // Prepare: the stages before the two in question are already settled.
      const who = candidate([credential([P1])], { ledger: settledBefore(settledCount) });

      // Act
      const decision = decide(who, runAt, settingsWith({ ...warnings, maxLatenessDays: 365 }));

      // Assess
      expect(decision).toEqual({ send: [sent], skip: [stale] });
    },
  );

  it('a superseded later stage does not make an active earlier one stale', () => {
    // Prepare: p2, taken the day after p1 expired, supersedes all of p1's reminders; p2's own
    // renewal opens on 2028-10-11.
    const who = candidate([credential([P1, pass('p2', '2028-01-11T10:00:00Z')])]);

    // Act
    const decision = decide(who, '2028-10-11T13:00:00Z', settingsWith({ maxLatenessDays: 365 }));

    // Assess
    expect(decision.send).toEqual(['aws-cp renewal_window_open 2028-10-11']);
    expect([...decision.skip].sort()).toEqual([
      'aws-cp expired 2028-01-10 superseded',
      'aws-cp expiring_soon 2027-12-11 superseded',
      'aws-cp renewal_window_open 2027-10-10 superseded',
    ]);
  });
});

describe('decideRun: a candidate who opted out', () => {
  it('has every would-be send skipped as unsubscribed', () => {
    // Prepare
    const who = candidate([credential([P1])], { optedOut: true });

    // Act
    const decision = decide(who, '2027-10-10T13:00:00Z');

    // Assess
    expect(decision).toEqual({
      send: [],
      skip: ['aws-cp renewal_window_open 2027-10-10 unsubscribed'],
    });
  });

  it.each([
    [
      'superseded',
      [P1, fail('f1', '2027-10-12T10:00:00Z')],
      '2027-10-12T12:00:00Z',
      14,
      ['aws-cp renewal_window_open 2027-10-10 superseded'],
    ],
    [
      'stale (late)',
      [P1],
      '2027-11-10T00:00:00Z',
      14,
      ['aws-cp renewal_window_open 2027-10-10 stale'],
    ],
    [
      'stale (later stage due)',
      [P1],
      '2028-01-10T13:00:00Z',
      365,
      [
        'aws-cp renewal_window_open 2027-10-10 stale',
        'aws-cp expiring_soon 2027-12-11 stale',
        'aws-cp expired 2028-01-10 unsubscribed',
      ],
    ],
  ])(
    'keeps the %s reason of a reminder that would not be sent anyway',
    (_label, attempts, runAt, maxLatenessDays, expected) => {
      // Prepare
      const who = candidate([credential(attempts)], { optedOut: true });

      // Act
      const decision = decide(who, runAt, settingsWith({ maxLatenessDays }));

      // Assess
      expect(decision.send).toEqual([]);
      expect([...decision.skip].sort()).toEqual([...expected].sort());
    },
  );
});

describe('decideRun: several credentials', () => {
  it('decides each credential on its own: one credential’s later stage does not make another’s stale', () => {
    // Prepare: aws-cp's renewal and aws-dev's expiry are both due on the run.
    const dev = pass('d1', '2026-10-10T09:00:00Z');
    const who = candidate([credential([P1]), credential([dev], 'aws-dev')], {
      ledger: [
        entry('aws-dev#renewal_window_open#d1', 'renewal_window_open', 'sent', {
          credentialId: 'aws-dev',
        }),
        entry('aws-dev#expiring_soon#d1#30', 'expiring_soon', 'sent', { credentialId: 'aws-dev' }),
      ],
    });

    // Act
    const decision = decide(who, '2027-10-10T13:00:00Z');

    // Assess
    expect(decision).toEqual({
      send: ['aws-cp renewal_window_open 2027-10-10', 'aws-dev expired 2027-10-10'],
      skip: [],
    });
  });

  it('supersedes, skips and sends per credential in one decision', () => {
    // Prepare: aws-cp's renewal is superseded by a failure; aws-dev's retake is due today.
    const who = candidate([
      credential([P1, fail('f1', '2027-10-12T10:00:00Z')]),
      credential([fail('g1', '2027-09-17T10:00:00Z')], 'aws-dev'),
    ]);

    // Act
    const decision = decide(who, '2027-10-12T12:00:00Z');

    // Assess
    expect(decision).toEqual({
      send: ['aws-dev retake_available 2027-10-12'],
      skip: ['aws-cp renewal_window_open 2027-10-10 superseded'],
    });
  });
});
