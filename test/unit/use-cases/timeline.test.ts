import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import type { Attempt, ReminderKind } from '../../../functions/domain/reminder-rules';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../../functions/domain/rule-settings';
import { decideRun } from '../../../functions/domain/run-decisions';
import type {
  CandidateRecord,
  ReminderRecord,
} from '../../../functions/use-cases/candidate-record';
import { buildTimeline } from '../../../functions/use-cases/timeline';
import { fail, pass } from '../support/attempts';

/**
 * A hand-built candidate in Asia/Tokyo (UTC+9, no daylight saving). "Now" is 2027-10-09T20:00Z,
 * which is 2027-10-10 in Tokyo but still 2027-10-09 in UTC. Dates worked out by hand:
 *
 * - aws-cp: failed 2026-12-20, passed 2027-01-10 → renewal 2027-10-10, warning 2027-12-11,
 *   expires 2028-01-10 (the failure's retake, due 2027-01-14, never existed: the pass came first);
 * - aws-dev: failed 2027-09-20 → may retake from 2027-10-15;
 * - aws-sa: passed 2026-10-10 → renewal 2027-07-10, warning 2027-09-10, expires 2027-10-10.
 */

const NOW = new Date('2027-10-09T20:00:00Z');
const settings: RuleSettings = DEFAULT_RULE_SETTINGS;

type CredentialState = CandidateRecord['states'][number];
type RecordProfile = NonNullable<CandidateRecord['profile']>;

const state = (
  credentialId: string,
  credentialName: string,
  attempts: Attempt[],
): CredentialState => ({
  credentialId,
  credentialName,
  attempts,
});

const STATES: CredentialState[] = [
  state('aws-cp', 'Cloud Practitioner', [
    pass('p1', '2027-01-10T01:00:00Z'),
    fail('f0', '2026-12-20T01:00:00Z'),
  ]),
  state('aws-dev', 'Developer', [fail('f1', '2027-09-20T03:00:00Z')]),
  state('aws-sa', 'Solutions Architect', [pass('s1', '2026-10-10T01:00:00Z')]),
];

/** A stored profile in Tokyo; `timeZone: null` for one without a zone. */
const profile = (extra: Partial<RecordProfile> = {}, timeZone: string | null = 'Asia/Tokyo') =>
  ({
    profile: {
      candidateId: 'cand-ana',
      email: 'ana@example.com',
      name: 'Ana Silva',
      ...(timeZone === null ? {} : { timeZone }),
    },
    writes: {},
    ...extra,
  }) satisfies RecordProfile;

/** A reminder as the record lists it; its key names the anchoring attempt (SPEC §1). */
const ledger = (
  credentialId: string,
  kind: ReminderKind,
  anchorAttemptId: string,
  dueOn: string,
  status: ReminderRecord['status'],
  extra: Partial<ReminderRecord> = {},
): ReminderRecord => ({
  key: `${credentialId}#${kind}#${anchorAttemptId}${kind === 'expiring_soon' ? '#30' : ''}`,
  credentialId,
  kind,
  status,
  anchorAttemptId,
  ...(kind === 'expiring_soon' ? { daysBefore: 30 } : {}),
  dueOn,
  dueAt: `${dueOn}T00:00:00Z`,
  ...extra,
});

const record = (overrides: Partial<CandidateRecord> = {}): CandidateRecord => ({
  candidateId: 'cand-ana',
  version: 1,
  profile: profile(),
  states: STATES,
  reminders: [],
  erased: false,
  ...overrides,
});

const credentialOf = (timeline: ReturnType<typeof buildTimeline>, credentialId: string) => {
  const found = timeline.credentials.find((c) => c.credentialId === credentialId);
  if (found === undefined) throw new Error(`no credential ${credentialId}`);
  return found;
};

describe('buildTimeline: the day and the zone', () => {
  it('works on today in the candidate zone', () => {
    // Act
    const timeline = buildTimeline(record(), settings, NOW);

    // Assess
    expect(timeline).toMatchObject({
      candidateId: 'cand-ana',
      today: '2027-10-10',
      timeZone: 'Asia/Tokyo',
      profile: { candidateId: 'cand-ana', email: 'ana@example.com', name: 'Ana Silva' },
      unsubscribed: false,
    });
  });

  it('falls back to DEFAULT_TIME_ZONE for a candidate without a zone', () => {
    // Act
    const timeline = buildTimeline(record({ profile: profile({}, null) }), settings, NOW);

    // Assess
    expect(timeline.timeZone).toBe('UTC');
    expect(timeline.today).toBe('2027-10-09');
  });

  it('describes a candidate without a stored profile by id only', () => {
    // Prepare
    const bare = record({ profile: undefined, states: [], reminders: [] });

    // Act
    const timeline = buildTimeline(bare, { ...settings, defaultTimeZone: 'Asia/Tokyo' }, NOW);

    // Assess
    expect(timeline).toEqual({
      candidateId: 'cand-ana',
      today: '2027-10-10',
      timeZone: 'Asia/Tokyo',
      profile: { candidateId: 'cand-ana' },
      unsubscribed: false,
      credentials: [],
      reminders: { emailed: [], skipped: [], failed: [] },
    });
  });

  it('says when the candidate unsubscribed', () => {
    // Prepare
    const unsubscribed = record({ profile: profile({ unsubscribedAt: '2027-09-01T10:00:00Z' }) });

    // Act
    const timeline = buildTimeline(unsubscribed, settings, NOW);

    // Assess
    expect(timeline.unsubscribed).toBe(true);
  });
});

describe('buildTimeline: each credential', () => {
  it.each([
    [
      'aws-cp',
      {
        name: 'Cloud Practitioner',
        status: 'valid',
        passedOn: '2027-01-10',
        renewalOpensOn: '2027-10-10',
        expiresOn: '2028-01-10',
      },
    ],
    ['aws-dev', { name: 'Developer', status: 'not_certified', nextAttemptFrom: '2027-10-15' }],
    [
      'aws-sa',
      {
        name: 'Solutions Architect',
        status: 'expired',
        passedOn: '2026-10-10',
        renewalOpensOn: '2027-07-10',
        expiresOn: '2027-10-10',
      },
    ],
  ])('gives %s its status on today in Tokyo', (credentialId, expected) => {
    // Act
    const timeline = buildTimeline(record(), settings, NOW);

    // Assess
    const {
      attempts: _a,
      upcoming: _u,
      credentialId: _c,
      ...status
    } = credentialOf(timeline, credentialId);
    expect(status).toEqual(expected);
  });

  it('judges status on the candidate date: in UTC, aws-sa still has a day of validity', () => {
    // Act
    const timeline = buildTimeline(record({ profile: profile({}, 'UTC') }), settings, NOW);

    // Assess
    expect(credentialOf(timeline, 'aws-sa').status).toBe('valid');
  });

  it('lists the attempts in the order taken, with their local dates', () => {
    // Act
    const timeline = buildTimeline(record(), settings, NOW);

    // Assess
    expect(credentialOf(timeline, 'aws-cp').attempts).toEqual([
      { attemptId: 'f0', outcome: 'fail', takenAt: '2026-12-20T01:00:00Z', takenOn: '2026-12-20' },
      { attemptId: 'p1', outcome: 'pass', takenAt: '2027-01-10T01:00:00Z', takenOn: '2027-01-10' },
    ]);
  });

  it('lists as upcoming the reminders still to come, with their due instants in the zone', () => {
    // Act
    const timeline = buildTimeline(record(), settings, NOW);

    // Assess
    const upcoming = (id: string) =>
      credentialOf(timeline, id).upcoming.map((r) => `${r.kind} ${r.dueOn} ${r.dueAt}`);
    expect(upcoming('aws-cp')).toEqual([
      'renewal_window_open 2027-10-10 2027-10-09T15:00:00Z',
      'expiring_soon 2027-12-11 2027-12-10T15:00:00Z',
      'expired 2028-01-10 2028-01-09T15:00:00Z',
    ]);
    expect(upcoming('aws-dev')).toEqual(['retake_available 2027-10-15 2027-10-14T15:00:00Z']);
    expect(upcoming('aws-sa')).toEqual(['expired 2027-10-10 2027-10-09T15:00:00Z']);
    expect(credentialOf(timeline, 'aws-dev').upcoming[0]?.why).toMatch(/failed on 2027-09-20/);
  });

  /**
   * A single failure of `aws-ml` anchors one retake reminder 25 days later. A run at instant T
   * still sends it while T − due instant ≤ MAX_LATENESS_DAYS (SPEC §1 "A run"), so the timeline
   * lists it as due and not yet sent exactly then.
   */
  it.each([
    ['due 13 days ago (13 days 5 hours late)', NOW, '2027-09-02T03:00:00Z', '2027-09-27', true],
    [
      'due 14 days ago, exactly 14 days late at Tokyo midnight',
      new Date('2027-10-09T15:00:00Z'),
      '2027-09-01T03:00:00Z',
      '2027-09-26',
      true,
    ],
    [
      'due 14 days ago, 14 days 5 hours late: a run now skips it as stale',
      NOW,
      '2027-09-01T03:00:00Z',
      '2027-09-26',
      false,
    ],
    ['due 15 days ago', NOW, '2027-08-31T03:00:00Z', '2027-09-25', false],
  ])(
    'decides whether to list a reminder not yet dealt with that is %s',
    (_label, now, failedAt, dueOn, listed) => {
      // Prepare
      const attempts = [fail('m1', failedAt)];
      const single = record({ states: [state('aws-ml', 'Machine Learning', attempts)] });
      const runNow = decideRun(
        {
          profile: profile().profile,
          credentials: [{ credentialId: 'aws-ml', name: 'Machine Learning', attempts }],
          ledger: [],
          optedOut: false,
        },
        Temporal.Instant.fromEpochMilliseconds(now.getTime()),
        settings,
      );

      // Act
      const timeline = buildTimeline(single, settings, now);

      // Assess: the timeline agrees with what a run at the same instant would do.
      expect(runNow.send.map((r) => r.dueOn)).toEqual(listed ? [dueOn] : []);
      expect(timeline.today).toBe('2027-10-10');
      expect(credentialOf(timeline, 'aws-ml').upcoming.map((r) => r.dueOn)).toEqual(
        listed ? [dueOn] : [],
      );
    },
  );

  it('lists nothing from before today with MAX_LATENESS_DAYS 0', () => {
    // Prepare
    const single = record({
      states: [state('aws-ml', 'Machine Learning', [fail('m1', '2027-09-14T03:00:00Z')])],
    });

    // Act: the retake was due 2027-10-09 (Tokyo), yesterday.
    const timeline = buildTimeline(single, { ...settings, maxLatenessDays: 0 }, NOW);

    // Assess
    expect(credentialOf(timeline, 'aws-ml').upcoming).toEqual([]);
  });

  it.each(['sent', 'skipped', 'failed', 'claimed'] as const)(
    'leaves out of upcoming a reminder the ledger holds as %s',
    (status) => {
      // Prepare
      const reminders = [
        ledger('aws-cp', 'renewal_window_open', 'p1', '2027-10-10', status),
        ledger('aws-cp', 'expiring_soon', 'p1', '2027-12-11', status),
      ];

      // Act
      const timeline = buildTimeline(record({ reminders }), settings, NOW);

      // Assess
      expect(credentialOf(timeline, 'aws-cp').upcoming.map((r) => r.kind)).toEqual(['expired']);
    },
  );

  it('keeps in upcoming a reminder the ledger holds as pending', () => {
    // Prepare
    const reminders = [ledger('aws-cp', 'expiring_soon', 'p1', '2027-12-11', 'pending')];

    // Act
    const timeline = buildTimeline(record({ reminders }), settings, NOW);

    // Assess
    expect(credentialOf(timeline, 'aws-cp').upcoming.map((r) => r.kind)).toEqual([
      'renewal_window_open',
      'expiring_soon',
      'expired',
    ]);
  });

  it('does not leave out a reminder settled for another credential under a similar key', () => {
    // Prepare
    const reminders = [ledger('aws-dev', 'expired', 's1', '2027-10-10', 'sent')];

    // Act
    const timeline = buildTimeline(record({ reminders }), settings, NOW);

    // Assess
    expect(credentialOf(timeline, 'aws-sa').upcoming.map((r) => r.kind)).toEqual(['expired']);
  });
});

describe('buildTimeline: reminders already dealt with', () => {
  const reminders: ReminderRecord[] = [
    ledger('aws-cp', 'renewal_window_open', 'p1', '2027-10-10', 'sent', {
      messageId: 'ses-2',
      resolvedAt: '2027-10-09T15:00:04Z',
    }),
    ledger('aws-sa', 'expiring_soon', 's1', '2027-09-10', 'sent', {
      messageId: 'ses-1',
      resolvedAt: '2027-09-09T15:00:03Z',
    }),
    ledger('aws-sa', 'renewal_window_open', 's1', '2027-07-10', 'skipped', {
      reason: 'stale',
      resolvedAt: '2027-09-09T15:00:03Z',
    }),
    ledger('aws-dev', 'retake_available', 'f1', '2027-10-15', 'skipped', {
      reason: 'unsubscribed',
    }),
    ledger('aws-sa', 'expired', 's1', '2027-10-10', 'failed', {
      resolvedAt: '2027-10-09T15:00:09Z',
    }),
    ledger('aws-cp', 'expiring_soon', 'p1', '2027-12-11', 'pending'),
    ledger('aws-cp', 'expired', 'p1', '2028-01-10', 'claimed'),
  ];

  it('lists emailed, skipped and failed reminders by due date, with what the ledger knows and why', () => {
    // Act
    const timeline = buildTimeline(record({ reminders }), settings, NOW);

    // Assess
    expect(timeline.reminders).toEqual({
      emailed: [
        {
          credentialId: 'aws-sa',
          kind: 'expiring_soon',
          dueOn: '2027-09-10',
          why: 'passed on 2026-10-10 (Asia/Tokyo); expires 12 months later on 2027-10-10, warned 30 days before',
          messageId: 'ses-1',
          at: '2027-09-09T15:00:03Z',
        },
        {
          credentialId: 'aws-cp',
          kind: 'renewal_window_open',
          dueOn: '2027-10-10',
          why: 'passed on 2027-01-10 (Asia/Tokyo); renewal opens 9 months later',
          messageId: 'ses-2',
          at: '2027-10-09T15:00:04Z',
        },
      ],
      skipped: [
        {
          credentialId: 'aws-sa',
          kind: 'renewal_window_open',
          dueOn: '2027-07-10',
          why: 'passed on 2026-10-10 (Asia/Tokyo); renewal opens 9 months later',
          reason: 'stale',
          at: '2027-09-09T15:00:03Z',
        },
        {
          credentialId: 'aws-dev',
          kind: 'retake_available',
          dueOn: '2027-10-15',
          why: 'failed on 2027-09-20 (Asia/Tokyo); may retake after the 25-day wait',
          reason: 'unsubscribed',
        },
      ],
      failed: [
        {
          credentialId: 'aws-sa',
          kind: 'expired',
          dueOn: '2027-10-10',
          why: 'passed on 2026-10-10 (Asia/Tokyo); valid for 12 months, expires on 2027-10-10',
          at: '2027-10-09T15:00:09Z',
        },
      ],
    });
  });

  it('leaves settled reminders out of upcoming and keeps the pending one', () => {
    // Act
    const timeline = buildTimeline(record({ reminders }), settings, NOW);

    // Assess
    expect(
      timeline.credentials.map((c) => [c.credentialId, c.upcoming.map((r) => r.kind)]),
    ).toEqual([
      ['aws-cp', ['expiring_soon']],
      ['aws-dev', []],
      ['aws-sa', []],
    ]);
  });
});
