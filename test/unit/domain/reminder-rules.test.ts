import { describe, expect, it } from 'vitest';
import { credentialStatusOn } from '../../../functions/domain/credential-status';
import {
  type Attempt,
  deriveReminders,
  type Reminder,
  reminderKey,
  retakeFromOf,
  stageOf,
} from '../../../functions/domain/reminder-rules';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../../functions/domain/rule-settings';
import { fail, pass } from '../support/attempts';

/**
 * Golden tables of SPEC §1. Every expected date was computed by hand from the definitions
 * (P + 9 months, P + 12 months, P + 12 months − N days, F + 25 days floored at P + 9 months) and
 * every due instant from the zone's offset on the due date; none comes from the code under test.
 */

type Row = readonly [kind: Reminder['kind'], dueOn: string, dueAt: string];

const derive = (
  attempts: readonly Attempt[],
  options: { timeZone?: string; settings?: Partial<RuleSettings> } = {},
): Reminder[] =>
  deriveReminders(
    {
      candidateId: 'cand-1',
      credentialId: 'aws-cp',
      timeZone: options.timeZone ?? 'UTC',
      attempts,
    },
    { ...DEFAULT_RULE_SETTINGS, ...options.settings },
  );

const rowsOf = (reminders: readonly Reminder[]): Row[] =>
  reminders.map((reminder) => [reminder.kind, reminder.dueOn, reminder.dueAt] as const);

/** Rows as a set: the order of `deriveReminders`' answer is not what these tables check. */
const sorted = (rows: readonly Row[]): string[] => rows.map((row) => row.join(' ')).sort();

/** Due at 00:00 UTC of the date: the due instant for candidates in UTC with SEND_HOUR=0. */
const utc = (kind: Reminder['kind'], dueOn: string): Row => [kind, dueOn, `${dueOn}T00:00:00Z`];

describe('a single pass anchors renewal (P+9m), expiring_soon (P+12m−30d) and expired (P+12m)', () => {
  it.each([
    ['2027-01-31T12:00:00Z', '2027-10-31', '2028-01-01', '2028-01-31'],
    ['2027-05-31T12:00:00Z', '2028-02-29', '2028-05-01', '2028-05-31'],
    ['2027-08-31T12:00:00Z', '2028-05-31', '2028-08-01', '2028-08-31'],
    ['2027-11-30T12:00:00Z', '2028-08-30', '2028-10-31', '2028-11-30'],
    ['2028-02-29T12:00:00Z', '2028-11-29', '2029-01-29', '2029-02-28'],
    ['2024-02-29T12:00:00Z', '2024-11-29', '2025-01-29', '2025-02-28'],
    ['2026-05-31T12:00:00Z', '2027-02-28', '2027-05-01', '2027-05-31'],
    ['2025-12-31T12:00:00Z', '2026-09-30', '2026-12-01', '2026-12-31'],
    ['2027-03-01T12:00:00Z', '2027-12-01', '2028-01-31', '2028-03-01'],
    ['2027-02-28T10:00:00Z', '2027-11-28', '2028-01-29', '2028-02-28'],
  ])(
    'a pass at %s (UTC) gives renewal on %s, expiring_soon on %s and expired on %s',
    (takenAt, renewal, warning, expiry) => {
      // Prepare
      const attempts = [pass('a-1', takenAt)];

      // Act
      const reminders = derive(attempts);

      // Assess
      expect(sorted(rowsOf(reminders))).toEqual(
        sorted([
          utc('renewal_window_open', renewal),
          utc('expiring_soon', warning),
          utc('expired', expiry),
        ]),
      );
      for (const reminder of reminders) expect(reminder.anchorOn).toBe(takenAt.slice(0, 10));
    },
  );

  it.each<[string, string, string, Row[]]>([
    [
      'west of UTC, the local date is the day before the UTC date',
      'America/Los_Angeles',
      '2027-01-31T23:30:00-08:00',
      [
        ['renewal_window_open', '2027-10-31', '2027-10-31T07:00:00Z'],
        ['expiring_soon', '2028-01-01', '2028-01-01T08:00:00Z'],
        ['expired', '2028-01-31', '2028-01-31T08:00:00Z'],
      ],
    ],
    [
      'east of UTC, the local date is the day after the UTC date',
      'Asia/Tokyo',
      '2027-05-31T16:00:00Z',
      [
        ['renewal_window_open', '2028-03-01', '2028-02-29T15:00:00Z'],
        ['expiring_soon', '2028-05-02', '2028-05-01T15:00:00Z'],
        ['expired', '2028-06-01', '2028-05-31T15:00:00Z'],
      ],
    ],
    [
      'at UTC+14 a pass on UTC 28 February is a leap-day pass',
      'Pacific/Kiritimati',
      '2028-02-28T10:00:00Z',
      [
        ['renewal_window_open', '2028-11-29', '2028-11-28T10:00:00Z'],
        ['expiring_soon', '2029-01-29', '2029-01-28T10:00:00Z'],
        ['expired', '2029-02-28', '2029-02-27T10:00:00Z'],
      ],
    ],
    [
      'at UTC−11 a pass on UTC 1 March is a leap-day pass',
      'Pacific/Pago_Pago',
      '2028-03-01T10:30:00Z',
      [
        ['renewal_window_open', '2028-11-29', '2028-11-29T11:00:00Z'],
        ['expiring_soon', '2029-01-29', '2029-01-29T11:00:00Z'],
        ['expired', '2029-02-28', '2029-02-28T11:00:00Z'],
      ],
    ],
  ])('%s (%s, pass at %s)', (_title, timeZone, takenAt, expected) => {
    // Prepare
    const attempts = [pass('a-1', takenAt)];

    // Act
    const reminders = derive(attempts, { timeZone });

    // Assess
    expect(sorted(rowsOf(reminders))).toEqual(sorted(expected));
  });

  it('explains each reminder and names the dates the email talks about', () => {
    // Prepare
    const attempts = [pass('a-1', '2027-05-31T12:00:00Z')];

    // Act
    const reminders = derive(attempts);

    // Assess
    for (const reminder of reminders) {
      expect(reminder.why).toContain('2027-05-31');
      expect(reminder.dates).toMatchObject({
        passedOn: '2027-05-31',
        renewalOpensOn: '2028-02-29',
        expiresOn: '2028-05-31',
      });
      expect(reminder.anchorAttemptId).toBe('a-1');
    }
  });
});

describe('a failure without an earlier pass anchors retake_available on F+25 days', () => {
  it.each<[string, string, Row]>([
    ['UTC', '2027-01-10T10:00:00Z', ['retake_available', '2027-02-04', '2027-02-04T00:00:00Z']],
    ['UTC', '2028-02-04T10:00:00Z', ['retake_available', '2028-02-29', '2028-02-29T00:00:00Z']],
    ['UTC', '2027-02-04T10:00:00Z', ['retake_available', '2027-03-01', '2027-03-01T00:00:00Z']],
    ['UTC', '2027-12-07T10:00:00Z', ['retake_available', '2028-01-01', '2028-01-01T00:00:00Z']],
    [
      'Pacific/Kiritimati',
      '2027-02-03T10:30:00Z',
      ['retake_available', '2027-03-01', '2027-02-28T10:00:00Z'],
    ],
    [
      'Pacific/Pago_Pago',
      '2028-02-05T10:00:00Z',
      ['retake_available', '2028-02-29', '2028-02-29T11:00:00Z'],
    ],
    [
      'America/Los_Angeles',
      '2027-02-04T05:00:00Z',
      ['retake_available', '2027-02-28', '2027-02-28T08:00:00Z'],
    ],
    [
      'Asia/Kolkata',
      '2027-01-31T19:00:00Z',
      ['retake_available', '2027-02-26', '2027-02-25T18:30:00Z'],
    ],
  ])('in %s a failure at %s is followed by %j', (timeZone, takenAt, expected) => {
    // Prepare
    const attempts = [fail('f-1', takenAt)];

    // Act
    const reminders = derive(attempts, { timeZone });

    // Assess
    expect(rowsOf(reminders)).toEqual([expected]);
    expect(reminders[0]?.dates).toMatchObject({ retakeFrom: expected[1] });
  });
});

describe('the 25-day wait against the 9-month floor of the latest pass', () => {
  const passedJanuary10 = pass('p-1', '2027-01-10T09:00:00Z');

  it.each<[string, string, Row[]]>([
    [
      'a failure shortly after a pass waits until P+9m, and ends the renewal reminder',
      '2027-02-01T09:00:00Z',
      [
        utc('retake_available', '2027-10-10'),
        utc('expiring_soon', '2027-12-11'),
        utc('expired', '2028-01-10'),
      ],
    ],
    [
      'a failure whose 25 days end one day before P+9m still waits until P+9m',
      '2027-09-14T09:00:00Z',
      [
        utc('retake_available', '2027-10-10'),
        utc('expiring_soon', '2027-12-11'),
        utc('expired', '2028-01-10'),
      ],
    ],
    [
      'a failure whose 25 days end exactly on P+9m may retake on P+9m',
      '2027-09-15T09:00:00Z',
      [
        utc('retake_available', '2027-10-10'),
        utc('expiring_soon', '2027-12-11'),
        utc('expired', '2028-01-10'),
      ],
    ],
    [
      'a failure whose 25 days end one day after P+9m waits the 25 days',
      '2027-09-16T09:00:00Z',
      [
        utc('retake_available', '2027-10-11'),
        utc('expiring_soon', '2027-12-11'),
        utc('expired', '2028-01-10'),
      ],
    ],
    [
      'a failure late in validity waits 25 days, after the renewal reminder was already due',
      '2027-11-20T09:00:00Z',
      [
        utc('renewal_window_open', '2027-10-10'),
        utc('retake_available', '2027-12-15'),
        utc('expiring_soon', '2027-12-11'),
        utc('expired', '2028-01-10'),
      ],
    ],
    [
      'a failure after expiry waits 25 days and leaves every reminder of the pass',
      '2028-02-01T09:00:00Z',
      [
        utc('renewal_window_open', '2027-10-10'),
        utc('expiring_soon', '2027-12-11'),
        utc('expired', '2028-01-10'),
        utc('retake_available', '2028-02-26'),
      ],
    ],
  ])('%s (pass 2027-01-10, fail %s)', (_title, failedAt, expected) => {
    // Prepare
    const attempts = [passedJanuary10, fail('f-1', failedAt)];

    // Act
    const reminders = derive(attempts);

    // Assess
    expect(sorted(rowsOf(reminders))).toEqual(sorted(expected));
  });

  it('clamps the floor at a month end: a pass on 31 May floors a retake at 29 February', () => {
    // Prepare
    const attempts = [pass('p-1', '2027-05-31T09:00:00Z'), fail('f-1', '2027-06-10T09:00:00Z')];

    // Act
    const retake = derive(attempts).filter((reminder) => reminder.kind === 'retake_available');

    // Assess
    expect(rowsOf(retake)).toEqual([utc('retake_available', '2028-02-29')]);
    expect(retake[0]?.anchorOn).toBe('2027-06-10');
    expect(retake[0]?.dates).toMatchObject({
      failedOn: '2027-06-10',
      retakeFrom: '2028-02-29',
      passedOn: '2027-05-31',
    });
  });

  it.each([
    ['2027-06-01', undefined, '2027-06-26'],
    ['2027-06-01', '2027-01-10', '2027-10-10'],
    ['2027-09-15', '2027-01-10', '2027-10-10'],
    ['2027-09-16', '2027-01-10', '2027-10-11'],
    ['2027-06-10', '2027-05-31', '2028-02-29'],
    ['2028-02-04', undefined, '2028-02-29'],
    ['2028-02-01', '2027-01-10', '2028-02-26'],
  ])('retakeFromOf(failed %s, latest pass %s) is %s', (failedOn, passedOn, expected) => {
    // Act
    const retakeFrom = retakeFromOf(failedOn, passedOn);

    // Assess
    expect(retakeFrom).toBe(expected);
  });
});

describe('the expiry reminder after a failed renewal attempt', () => {
  const expiredOf = (attempts: readonly Attempt[]) =>
    derive(attempts).find((reminder) => reminder.kind === 'expired');

  it('carries the end of a 25-day wait that runs past the expiry date', () => {
    // Prepare: passed 2026-01-10 (expires 2027-01-10), failed a renewal attempt on 2027-01-01
    const attempts = [pass('p', '2026-01-10T09:00:00Z'), fail('f', '2027-01-01T09:00:00Z')];

    // Act
    const expired = expiredOf(attempts);

    // Assess
    expect(expired?.dueOn).toBe('2027-01-10');
    expect(expired?.dates.retakeFrom).toBe('2027-01-26');
  });

  it('carries nothing when the wait ends before the expiry date', () => {
    // Prepare: the failure on 2026-11-01 may be retaken from 2026-11-26, before 2027-01-10
    const attempts = [pass('p', '2026-01-10T09:00:00Z'), fail('f', '2026-11-01T09:00:00Z')];

    // Act
    const expired = expiredOf(attempts);

    // Assess
    expect(expired?.dates.retakeFrom).toBeUndefined();
  });
});

describe('later attempts supersede reminders only when taken before their due instant', () => {
  it.each<[string, Attempt[], Row[]]>([
    [
      'fail→fail: a second failure before the first retake is due replaces it',
      [fail('f-1', '2027-01-10T10:00:00Z'), fail('f-2', '2027-02-03T23:59:59Z')],
      [utc('retake_available', '2027-02-28')],
    ],
    [
      'fail→fail: a second failure exactly at the due instant leaves both retakes',
      [fail('f-1', '2027-01-10T10:00:00Z'), fail('f-2', '2027-02-04T00:00:00Z')],
      [utc('retake_available', '2027-02-04'), utc('retake_available', '2027-03-01')],
    ],
    [
      'fail→fail: a second failure just after the due instant leaves both retakes',
      [fail('f-1', '2027-01-10T10:00:00Z'), fail('f-2', '2027-02-04T00:00:01Z')],
      [utc('retake_available', '2027-02-04'), utc('retake_available', '2027-03-01')],
    ],
    [
      'fail→pass: a pass before the retake is due replaces it',
      [fail('f-1', '2027-01-10T10:00:00Z'), pass('p-1', '2027-02-01T10:00:00Z')],
      [
        utc('renewal_window_open', '2027-11-01'),
        utc('expiring_soon', '2028-01-02'),
        utc('expired', '2028-02-01'),
      ],
    ],
    [
      'fail→pass: a pass after the retake was due leaves it',
      [fail('f-1', '2027-01-10T10:00:00Z'), pass('p-1', '2027-02-10T10:00:00Z')],
      [
        utc('retake_available', '2027-02-04'),
        utc('renewal_window_open', '2027-11-10'),
        utc('expiring_soon', '2028-01-11'),
        utc('expired', '2028-02-10'),
      ],
    ],
    [
      'pass→pass: an early second pass replaces every reminder of the first',
      [pass('p-1', '2027-01-10T09:00:00Z'), pass('p-2', '2027-06-01T09:00:00Z')],
      [
        utc('renewal_window_open', '2028-03-01'),
        utc('expiring_soon', '2028-05-02'),
        utc('expired', '2028-06-01'),
      ],
    ],
    [
      'pass→pass: a second pass after the warning keeps what was already due',
      [pass('p-1', '2027-01-10T09:00:00Z'), pass('p-2', '2027-12-20T09:00:00Z')],
      [
        utc('renewal_window_open', '2027-10-10'),
        utc('expiring_soon', '2027-12-11'),
        utc('renewal_window_open', '2028-09-20'),
        utc('expiring_soon', '2028-11-20'),
        utc('expired', '2028-12-20'),
      ],
    ],
    [
      'pass→pass: a second pass after expiry keeps every reminder of the first',
      [pass('p-1', '2027-01-10T09:00:00Z'), pass('p-2', '2028-03-01T09:00:00Z')],
      [
        utc('renewal_window_open', '2027-10-10'),
        utc('expiring_soon', '2027-12-11'),
        utc('expired', '2028-01-10'),
        utc('renewal_window_open', '2028-12-01'),
        utc('expiring_soon', '2029-01-30'),
        utc('expired', '2029-03-01'),
      ],
    ],
    [
      'pass→pass: a second pass exactly at the expiry instant leaves expired',
      [pass('p-1', '2027-01-10T09:00:00Z'), pass('p-2', '2028-01-10T00:00:00Z')],
      [
        utc('renewal_window_open', '2027-10-10'),
        utc('expiring_soon', '2027-12-11'),
        utc('expired', '2028-01-10'),
        utc('renewal_window_open', '2028-10-10'),
        utc('expiring_soon', '2028-12-11'),
        utc('expired', '2029-01-10'),
      ],
    ],
    [
      'pass→pass: a second pass one second before the expiry instant replaces expired',
      [pass('p-1', '2027-01-10T09:00:00Z'), pass('p-2', '2028-01-09T23:59:59Z')],
      [
        utc('renewal_window_open', '2027-10-10'),
        utc('expiring_soon', '2027-12-11'),
        utc('renewal_window_open', '2028-10-09'),
        utc('expiring_soon', '2028-12-10'),
        utc('expired', '2029-01-09'),
      ],
    ],
    [
      'pass→fail→pass: the failure ends the renewal only if before it, the new pass ends the old expiry',
      [
        pass('p-1', '2027-01-10T09:00:00Z'),
        fail('f-1', '2027-10-20T09:00:00Z'),
        pass('p-2', '2027-11-20T09:00:00Z'),
      ],
      [
        utc('renewal_window_open', '2027-10-10'),
        utc('retake_available', '2027-11-14'),
        utc('renewal_window_open', '2028-08-20'),
        utc('expiring_soon', '2028-10-21'),
        utc('expired', '2028-11-20'),
      ],
    ],
    [
      'fail→fail→fail: only the last failure before each due instant counts',
      [
        fail('f-1', '2027-01-10T10:00:00Z'),
        fail('f-2', '2027-01-20T10:00:00Z'),
        fail('f-3', '2027-03-01T10:00:00Z'),
      ],
      [utc('retake_available', '2027-02-14'), utc('retake_available', '2027-03-26')],
    ],
  ])('%s', (_title, attempts, expected) => {
    // Act
    const reminders = derive(attempts);

    // Assess
    expect(sorted(rowsOf(reminders))).toEqual(sorted(expected));
  });

  it('keeps the expiry reminders of a pass when a failure ends its renewal reminder', () => {
    // Prepare
    const attempts = [pass('p-1', '2027-01-10T09:00:00Z'), fail('f-1', '2027-03-01T09:00:00Z')];

    // Act
    const reminders = derive(attempts);

    // Assess
    const anchored = reminders.map((reminder) => `${reminder.kind}<-${reminder.anchorAttemptId}`);
    expect(anchored.sort()).toEqual([
      'expired<-p-1',
      'expiring_soon<-p-1',
      'retake_available<-f-1',
    ]);
  });

  it.each<[string, number, string, Row[]]>([
    [
      'with SEND_HOUR=9 a failure at 08:59:59 on the due date still supersedes',
      9,
      '2027-02-04T08:59:59Z',
      [['retake_available', '2027-03-01', '2027-03-01T09:00:00Z']],
    ],
    [
      'with SEND_HOUR=9 a failure at 09:00:00 on the due date does not',
      9,
      '2027-02-04T09:00:00Z',
      [
        ['retake_available', '2027-02-04', '2027-02-04T09:00:00Z'],
        ['retake_available', '2027-03-01', '2027-03-01T09:00:00Z'],
      ],
    ],
    [
      'with SEND_HOUR=0 a failure at 08:59:59 on the due date does not',
      0,
      '2027-02-04T08:59:59Z',
      [utc('retake_available', '2027-02-04'), utc('retake_available', '2027-03-01')],
    ],
  ])('%s', (_title, sendHour, secondFailure, expected) => {
    // Prepare
    const attempts = [fail('f-1', '2027-01-10T10:00:00Z'), fail('f-2', secondFailure)];

    // Act
    const reminders = derive(attempts, { settings: { sendHour } });

    // Assess
    expect(sorted(rowsOf(reminders))).toEqual(sorted(expected));
  });

  it.each<[string, string, string, Row[]]>([
    [
      'west: in Los Angeles a failure at 07:59:59Z on the due date is still the evening before',
      'America/Los_Angeles',
      '2027-02-04T07:59:59Z',
      [['retake_available', '2027-02-28', '2027-02-28T08:00:00Z']],
    ],
    [
      'west: in Los Angeles a failure at 08:00Z on the due date comes after the due instant',
      'America/Los_Angeles',
      '2027-02-04T08:00:00Z',
      [
        ['retake_available', '2027-02-04', '2027-02-04T08:00:00Z'],
        ['retake_available', '2027-03-01', '2027-03-01T08:00:00Z'],
      ],
    ],
    [
      'east: in Kolkata a failure at 18:29:59Z the UTC day before the due date supersedes',
      'Asia/Kolkata',
      '2027-02-03T18:29:59Z',
      [['retake_available', '2027-02-28', '2027-02-27T18:30:00Z']],
    ],
    [
      'east: in Kolkata a failure at 18:30Z the UTC day before the due date is already on it',
      'Asia/Kolkata',
      '2027-02-03T18:30:00Z',
      [
        ['retake_available', '2027-02-04', '2027-02-03T18:30:00Z'],
        ['retake_available', '2027-03-01', '2027-02-28T18:30:00Z'],
      ],
    ],
  ])('%s', (_title, timeZone, secondFailure, expected) => {
    // Prepare: a first failure on local 2027-01-10, whose retake is due on local 2027-02-04
    const firstFailure =
      timeZone === 'Asia/Kolkata' ? '2027-01-10T06:00:00Z' : '2027-01-10T20:00:00Z';
    const attempts = [fail('f-1', firstFailure), fail('f-2', secondFailure)];

    // Act
    const reminders = derive(attempts, { timeZone });

    // Assess
    expect(sorted(rowsOf(reminders))).toEqual(sorted(expected));
  });

  it('does not depend on the order in which the attempts are given, nor on repeats', () => {
    // Prepare
    const attempts = [
      pass('p-1', '2027-01-10T09:00:00Z'),
      fail('f-1', '2027-10-20T09:00:00Z'),
      pass('p-2', '2027-11-20T09:00:00Z'),
      fail('f-2', '2029-01-02T09:00:00Z'),
    ];
    const shuffled = [attempts[3], attempts[1], attempts[0], attempts[2], attempts[1]] as Attempt[];

    // Act
    const inOrder = derive(attempts);
    const outOfOrder = derive(shuffled);

    // Assess
    expect(outOfOrder).toEqual(inOrder);
  });
});

describe('EXPIRY_WARNING_DAYS gives one expiring_soon per value, staged from the largest N down', () => {
  const passedJanuary10 = [pass('p-1', '2027-01-10T09:00:00Z')];

  it.each<[string, number[], Row[]]>([
    [
      'three warnings',
      [60, 30, 7],
      [
        utc('renewal_window_open', '2027-10-10'),
        utc('expiring_soon', '2027-11-11'),
        utc('expiring_soon', '2027-12-11'),
        utc('expiring_soon', '2028-01-03'),
        utc('expired', '2028-01-10'),
      ],
    ],
    [
      'the same warnings given in another order',
      [7, 60, 30],
      [
        utc('renewal_window_open', '2027-10-10'),
        utc('expiring_soon', '2027-11-11'),
        utc('expiring_soon', '2027-12-11'),
        utc('expiring_soon', '2028-01-03'),
        utc('expired', '2028-01-10'),
      ],
    ],
    ['no warnings', [], [utc('renewal_window_open', '2027-10-10'), utc('expired', '2028-01-10')]],
    [
      'a warning due before the renewal opens',
      [100],
      [
        utc('expiring_soon', '2027-10-02'),
        utc('renewal_window_open', '2027-10-10'),
        utc('expired', '2028-01-10'),
      ],
    ],
  ])('%s (%j)', (_title, expiryWarningDays, expected) => {
    // Act
    const reminders = derive(passedJanuary10, { settings: { expiryWarningDays } });

    // Assess
    expect(sorted(rowsOf(reminders))).toEqual(sorted(expected));
  });

  it('numbers the stages renewal/retake, then warnings from the largest N down, then expired', () => {
    // Prepare
    const settings = { expiryWarningDays: [7, 60, 30] };

    // Act
    const reminders = derive(passedJanuary10, { settings });

    // Assess
    const stages = Object.fromEntries(
      reminders.map((reminder) => [`${reminder.kind}${reminder.daysBefore ?? ''}`, reminder.stage]),
    );
    expect(stages).toEqual({
      renewal_window_open: 0,
      expiring_soon60: 1,
      expiring_soon30: 2,
      expiring_soon7: 3,
      expired: 4,
    });
    expect(stageOf('retake_available', settings)).toBe(0);
    expect(stageOf('expiring_soon', settings, 60)).toBeLessThan(
      stageOf('expiring_soon', settings, 7),
    );
  });

  it('a second pass supersedes only the warnings not yet due', () => {
    // Prepare
    const attempts = [...passedJanuary10, pass('p-2', '2027-12-01T09:00:00Z')];

    // Act
    const reminders = derive(attempts, { settings: { expiryWarningDays: [60, 30, 7] } });

    // Assess
    const ofFirstPass = reminders.filter((reminder) => reminder.anchorAttemptId === 'p-1');
    expect(sorted(rowsOf(ofFirstPass))).toEqual(
      sorted([utc('renewal_window_open', '2027-10-10'), utc('expiring_soon', '2027-11-11')]),
    );
    expect(ofFirstPass.find((reminder) => reminder.kind === 'expiring_soon')?.daysBefore).toBe(60);
  });
});

describe('SEND_HOUR moves every due instant but no due date', () => {
  it('a pass in New York with SEND_HOUR=9 is reminded at 09:00 local time', () => {
    // Prepare
    const attempts = [pass('p-1', '2027-01-31T15:00:00Z')];

    // Act
    const reminders = derive(attempts, { timeZone: 'America/New_York', settings: { sendHour: 9 } });

    // Assess: 2027-10-31 is still summer time (EDT, −4); January is EST (−5)
    expect(sorted(rowsOf(reminders))).toEqual(
      sorted([
        ['renewal_window_open', '2027-10-31', '2027-10-31T13:00:00Z'],
        ['expiring_soon', '2028-01-01', '2028-01-01T14:00:00Z'],
        ['expired', '2028-01-31', '2028-01-31T14:00:00Z'],
      ]),
    );
  });
});

describe('natural keys', () => {
  it('are candidate-relative keys of credential, kind, anchor attemptId (and N for warnings)', () => {
    // Act
    const warning = reminderKey('aws-cp', 'expiring_soon', 'att-17', 30);
    const renewal = reminderKey('aws-cp', 'renewal_window_open', 'att-17');

    // Assess
    expect(warning).toBe('aws-cp#expiring_soon#att-17#30');
    expect(renewal).toBe('aws-cp#renewal_window_open#att-17');
  });

  it('are unique among the reminders of one credential', () => {
    // Prepare
    const attempts = [
      pass('p-1', '2027-01-10T09:00:00Z'),
      fail('f-1', '2027-11-20T09:00:00Z'),
      fail('f-2', '2027-12-20T09:00:00Z'),
      pass('p-2', '2028-03-01T09:00:00Z'),
    ];

    // Act
    const reminders = derive(attempts, { settings: { expiryWarningDays: [60, 30, 7] } });

    // Assess
    const keys = reminders.map((reminder) => reminder.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const reminder of reminders)
      expect(reminder.key).toBe(
        reminderKey('aws-cp', reminder.kind, reminder.anchorAttemptId, reminder.daysBefore),
      );
  });

  it('hold no date, so the same attempts give the same keys in every zone', () => {
    // Prepare: 23:30 UTC is 2027-01-10 in UTC but already 2027-01-11 in Tokyo.
    const attempts = [pass('p-1', '2027-01-10T23:30:00Z'), fail('f-1', '2027-11-20T09:00:00Z')];

    // Act
    const inUtc = derive(attempts, { timeZone: 'UTC' });
    const inTokyo = derive(attempts, { timeZone: 'Asia/Tokyo' });

    // Assess
    expect(inUtc.map((reminder) => reminder.anchorOn)).not.toEqual(
      inTokyo.map((reminder) => reminder.anchorOn),
    );
    expect(inTokyo.map((reminder) => reminder.key).sort()).toEqual(
      inUtc.map((reminder) => reminder.key).sort(),
    );
  });

  it('tell apart two anchors on the same local date', () => {
    // Prepare: two passes on one day; the expiry reminders belong to the later one only.
    const attempts = [pass('p-1', '2027-01-10T08:00:00Z'), pass('p-2', '2027-01-10T17:00:00Z')];

    // Act
    const reminders = derive(attempts);

    // Assess
    expect(reminders.map((reminder) => reminder.key).sort()).toEqual(
      [
        'aws-cp#expired#p-2',
        'aws-cp#expiring_soon#p-2#30',
        'aws-cp#renewal_window_open#p-2',
      ].sort(),
    );
  });
});

describe('the status of a credential on a local date', () => {
  const passedJanuary10 = pass('p-1', '2027-01-10T09:00:00Z');

  it.each([
    ['the day before the pass', '2027-01-09', { status: 'not_certified' }],
    [
      'the day of the pass',
      '2027-01-10',
      {
        status: 'valid',
        passedOn: '2027-01-10',
        renewalOpensOn: '2027-10-10',
        expiresOn: '2028-01-10',
        nextAttemptFrom: '2027-10-10',
      },
    ],
    [
      'while renewal is not open yet',
      '2027-05-01',
      {
        status: 'valid',
        passedOn: '2027-01-10',
        renewalOpensOn: '2027-10-10',
        expiresOn: '2028-01-10',
        nextAttemptFrom: '2027-10-10',
      },
    ],
    [
      'once renewal is open',
      '2027-10-10',
      {
        status: 'valid',
        passedOn: '2027-01-10',
        renewalOpensOn: '2027-10-10',
        expiresOn: '2028-01-10',
      },
    ],
    [
      'the last valid day',
      '2028-01-09',
      {
        status: 'valid',
        passedOn: '2027-01-10',
        renewalOpensOn: '2027-10-10',
        expiresOn: '2028-01-10',
      },
    ],
    [
      'the expiry date itself',
      '2028-01-10',
      {
        status: 'expired',
        passedOn: '2027-01-10',
        renewalOpensOn: '2027-10-10',
        expiresOn: '2028-01-10',
      },
    ],
  ])('after one pass on 2027-01-10, %s (%s) is %j', (_title, on, expected) => {
    // Act
    const status = credentialStatusOn([passedJanuary10], 'UTC', on);

    // Assess
    expect(status).toEqual(expected);
  });

  it.each([
    [
      'a failure soon after a pass may retake only at P+9m',
      [passedJanuary10, fail('f-1', '2027-02-01T09:00:00Z')],
      '2027-03-01',
      {
        status: 'valid',
        passedOn: '2027-01-10',
        renewalOpensOn: '2027-10-10',
        expiresOn: '2028-01-10',
        nextAttemptFrom: '2027-10-10',
      },
    ],
    [
      'a failure late in validity may retake after 25 days',
      [passedJanuary10, fail('f-1', '2027-11-20T09:00:00Z')],
      '2027-11-25',
      {
        status: 'valid',
        passedOn: '2027-01-10',
        renewalOpensOn: '2027-10-10',
        expiresOn: '2028-01-10',
        nextAttemptFrom: '2027-12-15',
      },
    ],
    [
      'a failure without a pass may retake after 25 days',
      [fail('f-1', '2027-01-10T09:00:00Z')],
      '2027-01-20',
      { status: 'not_certified', nextAttemptFrom: '2027-02-04' },
    ],
    [
      'an expired credential after a failure past its wait may be retaken any time',
      [passedJanuary10, fail('f-1', '2028-02-01T09:00:00Z')],
      '2028-06-01',
      {
        status: 'expired',
        passedOn: '2027-01-10',
        renewalOpensOn: '2027-10-10',
        expiresOn: '2028-01-10',
      },
    ],
    ['no attempts at all', [], '2027-06-01', { status: 'not_certified' }],
  ])('%s', (_title, attempts, on, expected) => {
    // Act
    const status = credentialStatusOn(attempts, 'UTC', on);

    // Assess
    expect(status).toEqual(expected);
  });

  // Regression: `nextAttemptFrom` means "the first date on which the candidate may sit the exam
  // (absent: any time)"; the not_certified branch used to keep a wait that ended months ago.
  it('a failure without a pass whose wait is over may be retaken any time', () => {
    // Prepare
    const attempts = [fail('f-1', '2027-01-10T09:00:00Z')];

    // Act
    const status = credentialStatusOn(attempts, 'UTC', '2027-06-01');

    // Assess
    expect(status).toEqual({ status: 'not_certified' });
  });

  it('judges dates in the candidate zone: a pass late on 9 January in Los Angeles', () => {
    // Prepare: 2027-01-10T02:00Z is 2027-01-09 18:00 in Los Angeles
    const attempts = [pass('p-1', '2027-01-10T02:00:00Z')];

    // Act
    const status = credentialStatusOn(attempts, 'America/Los_Angeles', '2027-01-09');

    // Assess
    expect(status).toMatchObject({
      status: 'valid',
      passedOn: '2027-01-09',
      expiresOn: '2028-01-09',
    });
  });
});
