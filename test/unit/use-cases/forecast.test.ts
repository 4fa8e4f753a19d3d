import { describe, expect, it } from 'vitest';
import { createEventFold } from '../../../functions/domain/event-fold';
import {
  DEFAULT_RULE_SETTINGS,
  type RuleSettings,
  ruleSettingsFromEnv,
} from '../../../functions/domain/rule-settings';
import {
  type ForecastEntry,
  type ForecastQuery,
  forecast,
} from '../../../functions/use-cases/forecast';
import {
  accountMerged,
  attemptRecorded,
  candidateErased,
  candidateUpdated,
  valid,
} from '../support/events';

/** SPEC §1, §2 and §5 through the pure forecast: events in, reminders due in a range out. */

const EVERYTHING: ForecastQuery = { from: '2000-01-01', to: '2100-12-31' };

const forecastOf = (
  events: readonly unknown[],
  query: ForecastQuery = EVERYTHING,
  settings: RuleSettings = DEFAULT_RULE_SETTINGS,
): ForecastEntry[] => {
  const fold = createEventFold();
  for (const event of events) fold.apply(valid(event));
  return forecast(fold.candidates(), settings, query);
};

/** The SPEC §5 fields that identify a forecast line. */
const lines = (entries: readonly ForecastEntry[]): string[] =>
  entries.map(
    (entry) =>
      `${entry.dueOn} ${entry.candidateId} ${entry.credentialId} ${entry.kind} ${entry.dueAt}`,
  );

describe('the candidate zone decides every date', () => {
  const passLateOnJanuary31 = attemptRecorded({
    attemptId: 'a-1',
    candidateId: 'ana',
    outcome: 'pass',
    takenAt: '2026-01-31T20:00:00Z',
    timeZone: 'UTC',
  });

  it.each([
    [
      'newer',
      '2026-02-05T00:00:00Z',
      [
        '2026-11-01 ana aws-cp renewal_window_open 2026-10-31T15:00:00Z',
        '2027-01-02 ana aws-cp expiring_soon 2027-01-01T15:00:00Z',
        '2027-02-01 ana aws-cp expired 2027-01-31T15:00:00Z',
      ],
    ],
    [
      'older',
      '2026-01-01T00:00:00Z',
      [
        '2026-10-31 ana aws-cp renewal_window_open 2026-10-31T00:00:00Z',
        '2027-01-01 ana aws-cp expiring_soon 2027-01-01T00:00:00Z',
        '2027-01-31 ana aws-cp expired 2027-01-31T00:00:00Z',
      ],
    ],
  ])(
    'a %s change of timeZone to Asia/Tokyo moves the local dates accordingly',
    (_title, timestamp, expected) => {
      // Prepare
      const change = candidateUpdated('ana', timestamp, { timeZone: 'Asia/Tokyo' });

      // Act
      const inOrder = forecastOf([passLateOnJanuary31, change]);
      const reversed = forecastOf([change, passLateOnJanuary31]);

      // Assess
      expect(lines(inOrder)).toEqual(expected);
      expect(reversed).toEqual(inOrder);
    },
  );

  it('uses DEFAULT_TIME_ZONE for a candidate without a zone', () => {
    // Prepare: 05:00Z on 1 February is 21:00 on 31 January in Los Angeles
    const events = [
      attemptRecorded({
        attemptId: 'a-1',
        candidateId: 'ana',
        outcome: 'pass',
        takenAt: '2026-02-01T05:00:00Z',
      }),
    ];
    const settings = ruleSettingsFromEnv({ DEFAULT_TIME_ZONE: 'America/Los_Angeles' });

    // Act
    const entries = forecastOf(events, EVERYTHING, settings);

    // Assess
    expect(lines(entries)).toEqual([
      '2026-10-31 ana aws-cp renewal_window_open 2026-10-31T07:00:00Z',
      '2027-01-01 ana aws-cp expiring_soon 2027-01-01T08:00:00Z',
      '2027-01-31 ana aws-cp expired 2027-01-31T08:00:00Z',
    ]);
  });

  it('falls back to the default zone once the zone is removed with null', () => {
    // Prepare
    const events = [
      attemptRecorded({
        attemptId: 'a-1',
        candidateId: 'ana',
        outcome: 'pass',
        takenAt: '2026-02-01T05:00:00Z',
        timeZone: 'America/Los_Angeles',
      }),
      candidateUpdated('ana', '2026-03-01T00:00:00Z', { timeZone: null }),
    ];

    // Act
    const entries = forecastOf(events);

    // Assess
    expect(lines(entries)).toEqual([
      '2026-11-01 ana aws-cp renewal_window_open 2026-11-01T00:00:00Z',
      '2027-01-02 ana aws-cp expiring_soon 2027-01-02T00:00:00Z',
      '2027-02-01 ana aws-cp expired 2027-02-01T00:00:00Z',
    ]);
  });
});

describe('erased candidates get no reminders', () => {
  const other = attemptRecorded({
    attemptId: 'b-1',
    candidateId: 'ben',
    outcome: 'fail',
    takenAt: '2026-01-10T09:00:00Z',
  });
  const ofAna = [
    attemptRecorded({
      attemptId: 'a-1',
      candidateId: 'ana',
      outcome: 'pass',
      takenAt: '2026-01-10T09:00:00Z',
    }),
    attemptRecorded({
      attemptId: 'a-2',
      candidateId: 'ana',
      outcome: 'fail',
      takenAt: '2026-03-10T09:00:00Z',
      credentialId: 'gcp-ace',
    }),
  ];
  const erase = candidateErased('ana', '2026-02-01T00:00:00Z');

  it.each([
    ['after the attempts', [...ofAna, other, erase]],
    ['before attempts that arrive later in the file', [erase, other, ...ofAna]],
    ['between attempts, even one taken after the erasure', [ofAna[0], erase, ofAna[1], other]],
  ])('when the erasure arrives %s', (_title, events) => {
    // Act
    const entries = forecastOf(events);

    // Assess
    expect(lines(entries)).toEqual(['2026-02-04 ben aws-cp retake_available 2026-02-04T00:00:00Z']);
  });
});

describe('merged accounts are forecast under the target only', () => {
  // The source lives in Tokyo, the target in Los Angeles (whose profile wins after the merge).
  const events = [
    attemptRecorded({
      attemptId: 's-1',
      candidateId: 'old-acct',
      outcome: 'pass',
      takenAt: '2026-01-10T09:00:00Z',
      timeZone: 'Asia/Tokyo',
    }),
    attemptRecorded({
      attemptId: 's-2',
      candidateId: 'old-acct',
      credentialId: 'gcp-ace',
      outcome: 'fail',
      takenAt: '2026-02-10T03:00:00Z',
      timeZone: 'Asia/Tokyo',
    }),
    attemptRecorded({
      attemptId: 't-1',
      candidateId: 'new-acct',
      outcome: 'pass',
      takenAt: '2026-03-01T20:00:00Z',
      timeZone: 'America/Los_Angeles',
    }),
    accountMerged('old-acct', 'new-acct', '2026-04-01T00:00:00Z'),
  ];

  it('in the target zone, with the target pass superseding the source pass', () => {
    // Act
    const entries = forecastOf(events);

    // Assess: the source failure is on 2026-02-09 in Los Angeles (2026-02-10 in Tokyo)
    expect(lines(entries)).toEqual([
      '2026-03-06 new-acct gcp-ace retake_available 2026-03-06T08:00:00Z',
      '2026-12-01 new-acct aws-cp renewal_window_open 2026-12-01T08:00:00Z',
      '2027-01-30 new-acct aws-cp expiring_soon 2027-01-30T08:00:00Z',
      '2027-03-01 new-acct aws-cp expired 2027-03-01T08:00:00Z',
    ]);
  });

  it('whatever the arrival order of the merge', () => {
    // Prepare
    const mergeFirst = [events[3], events[2], events[0], events[1]];

    // Act
    const entries = forecastOf(mergeFirst);

    // Assess
    expect(entries).toEqual(forecastOf(events));
  });

  it('and nothing is forecast for the source id', () => {
    // Act
    const entries = forecastOf(events, { ...EVERYTHING, candidateId: 'old-acct' });

    // Assess
    expect(entries).toEqual([]);
  });

  it.each(['old-acct', 'new-acct'])(
    'erasing %s leaves nothing of the merged accounts',
    (erasedId) => {
      // Act
      const entries = forecastOf([...events, candidateErased(erasedId, '2026-05-01T00:00:00Z')]);

      // Assess
      expect(entries).toEqual([]);
    },
  );
});

describe('repeated attempts', () => {
  const original = attemptRecorded({
    attemptId: 'a-1',
    candidateId: 'ana',
    outcome: 'fail',
    takenAt: '2026-01-10T09:00:00Z',
  });

  it('an identical repeat does not double any reminder', () => {
    // Act
    const entries = forecastOf([original, original, original]);

    // Assess
    expect(lines(entries)).toEqual(['2026-02-04 ana aws-cp retake_available 2026-02-04T00:00:00Z']);
  });

  it('a conflicting repeat is left out', () => {
    // Prepare
    const conflicting = attemptRecorded({
      attemptId: 'a-1',
      candidateId: 'ana',
      outcome: 'pass',
      takenAt: '2026-01-10T09:00:00Z',
    });

    // Act
    const entries = forecastOf([original, conflicting]);

    // Assess
    expect(lines(entries)).toEqual(['2026-02-04 ana aws-cp retake_available 2026-02-04T00:00:00Z']);
  });
});

describe('the forecast is sorted and filtered as SPEC §5 says', () => {
  const pass = (
    attemptId: string,
    candidateId: string,
    credentialId: string,
    takenAt = '2026-01-10T09:00:00Z',
  ) => attemptRecorded({ attemptId, candidateId, credentialId, outcome: 'pass', takenAt });
  const events = [
    pass('b-2', 'cand-b', 'gcp-ace'),
    pass('c-1', 'cand-c', 'aws-cp'),
    attemptRecorded({
      attemptId: 'c-2',
      candidateId: 'cand-c',
      credentialId: 'aws-cp',
      outcome: 'fail',
      takenAt: '2026-11-16T09:00:00Z',
    }),
    pass('a-2', 'cand-a', 'gcp-ace'),
    attemptRecorded({
      attemptId: 'z-1',
      candidateId: 'cand-z',
      credentialId: 'aws-cp',
      outcome: 'fail',
      takenAt: '2026-09-10T09:00:00Z',
    }),
    pass('b-1', 'cand-b', 'aws-cp'),
    pass('a-1', 'cand-a', 'aws-cp'),
  ];

  it('by dueOn, then candidateId, then credentialId, then kind', () => {
    // Act
    const entries = forecastOf(events, { from: '2026-10-01', to: '2026-12-31' });

    // Assess
    expect(
      entries.map(
        (entry) => `${entry.dueOn} ${entry.candidateId} ${entry.credentialId} ${entry.kind}`,
      ),
    ).toEqual([
      '2026-10-05 cand-z aws-cp retake_available',
      '2026-10-10 cand-a aws-cp renewal_window_open',
      '2026-10-10 cand-a gcp-ace renewal_window_open',
      '2026-10-10 cand-b aws-cp renewal_window_open',
      '2026-10-10 cand-b gcp-ace renewal_window_open',
      '2026-10-10 cand-c aws-cp renewal_window_open',
      '2026-12-11 cand-a aws-cp expiring_soon',
      '2026-12-11 cand-a gcp-ace expiring_soon',
      '2026-12-11 cand-b aws-cp expiring_soon',
      '2026-12-11 cand-b gcp-ace expiring_soon',
      '2026-12-11 cand-c aws-cp expiring_soon',
      '2026-12-11 cand-c aws-cp retake_available',
    ]);
  });

  it('carries the SPEC §5 fields, with a why', () => {
    // Act
    const entries = forecastOf(events, { from: '2026-10-05', to: '2026-10-05' });

    // Assess
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      candidateId: 'cand-z',
      credentialId: 'aws-cp',
      kind: 'retake_available',
      dueOn: '2026-10-05',
      dueAt: '2026-10-05T00:00:00Z',
    });
    expect(entries[0]?.why).toEqual(expect.stringContaining('2026-09-10'));
  });

  it.each<[string, ForecastQuery, number]>([
    ['both ends are included', { from: '2026-10-10', to: '2026-12-11' }, 11],
    ['a range one day inside both ends is empty', { from: '2026-10-11', to: '2026-12-10' }, 0],
    ['a one-day range', { from: '2026-12-11', to: '2026-12-11' }, 6],
    ['a candidate filter', { from: '2026-10-01', to: '2026-12-31', candidateId: 'cand-c' }, 3],
    [
      'a candidate filter with no such candidate',
      { from: '2000-01-01', to: '2100-12-31', candidateId: 'nobody' },
      0,
    ],
  ])('%s', (_title, query, count) => {
    // Act
    const entries = forecastOf(events, query);

    // Assess
    expect(entries).toHaveLength(count);
    for (const entry of entries) {
      expect(entry.dueOn >= query.from && entry.dueOn <= query.to).toBe(true);
      if (query.candidateId) expect(entry.candidateId).toBe(query.candidateId);
    }
  });
});
