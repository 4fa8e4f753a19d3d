import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, isCalendarDate } from '../../../functions/domain/calendar';
import type { ClaimRecord, LedgerRecord } from '../../../functions/domain/candidate-ledger';
import type { ProfileWrites } from '../../../functions/domain/candidate-profile';
import {
  absorbAccount,
  applyAttempts,
  applyProfileWrites,
  type CandidateState,
  emptyCandidate,
  viewOf,
} from '../../../functions/domain/candidate-state';
import { type CandidateView, createEventFold } from '../../../functions/domain/event-fold';
import type { CertificationEvent } from '../../../functions/domain/event-schemas';
import {
  type Attempt,
  deriveReminders,
  type Reminder,
} from '../../../functions/domain/reminder-rules';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../../functions/domain/rule-settings';
import { type ForecastEntry, forecast } from '../../../functions/use-cases/forecast';
import { incoming } from '../support/candidates';
import {
  accountMerged,
  attemptRecorded,
  candidateErased,
  candidateUpdated,
  valid,
} from '../support/events';
import {
  daysInMonth,
  dueInstant,
  isoSeconds,
  localDateIn,
  modelReminders,
  parseDate,
  plusDays,
  plusMonths,
  reminderText,
  startOfDayMs,
  wallClockOf,
} from '../support/oracle';

/**
 * Properties of SPEC §1 and §2 on generated histories. `FC_NUM_RUNS` sets the number of runs
 * (`npm run test:props` uses 10,000); each property takes well under a second per 1,000 runs.
 */

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 1000);
const TIMEOUT_MS = Math.max(30_000, NUM_RUNS * 30);
const settingsOf = { numRuns: NUM_RUNS };

/** Zones west and east of UTC, half- and quarter-hour offsets, DST (also at midnight). */
const ZONES = [
  'UTC',
  'America/Los_Angeles',
  'America/New_York',
  'America/Santiago',
  'Pacific/Pago_Pago',
  'Europe/Lisbon',
  'Asia/Beirut',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Kiritimati',
] as const;

const HOUR = 3_600_000;
const START = Date.parse('2020-01-01T00:00:00Z');

// ---------------------------------------------------------------------------------------------
// One credential's history: a chain of attempts, each either a random time after the previous
// one or placed exactly at, just before or just after a due instant that the previous attempt
// anchors (the boundaries that decide supersession).

type Target = 'retake' | 'renewal' | 'warning' | 'expiry';
interface Step {
  readonly outcome: 'pass' | 'fail';
  readonly placement: 'random' | 'at' | 'before' | 'after';
  readonly target: Target;
  readonly gapMinutes: number;
}

const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  outcome: fc.constantFrom('pass' as const, 'fail' as const),
  placement: fc.constantFrom(
    'random' as const,
    'random' as const,
    'at' as const,
    'before' as const,
    'after' as const,
  ),
  target: fc.constantFrom(
    'retake' as const,
    'renewal' as const,
    'warning' as const,
    'expiry' as const,
  ),
  // 15-minute grid up to ~450 days, so that local midnights in every zone are hit now and then
  gapMinutes: fc.integer({ min: 1, max: 45_000 }).map((quarters) => quarters * 15),
});

interface History {
  readonly zone: string;
  readonly sendHour: number;
  readonly warningDays: readonly number[];
  readonly startMinutes: number;
  readonly steps: readonly Step[];
}

const historyArbitrary: fc.Arbitrary<History> = fc.record({
  zone: fc.constantFrom(...ZONES),
  sendHour: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 23 })),
  warningDays: fc.oneof(
    fc.constant([30]),
    fc.uniqueArray(fc.integer({ min: 1, max: 364 }), { maxLength: 3 }),
  ),
  startMinutes: fc.integer({ min: 0, max: 4 * 365 * 24 * 4 }).map((quarters) => quarters * 15),
  steps: fc.array(stepArbitrary, { minLength: 1, maxLength: 6 }),
});

const attemptsOf = (history: History): Attempt[] => {
  const attempts: Attempt[] = [];
  let at = START + history.startMinutes * 60_000;
  history.steps.forEach((step, index) => {
    if (index > 0 && step.placement !== 'random') {
      const previous = localDateIn(at, history.zone);
      const expiry = plusMonths(previous, 12);
      const dueOn = {
        retake: plusDays(previous, 25),
        renewal: plusMonths(previous, 9),
        warning: plusDays(expiry, -(history.warningDays[0] ?? 30)),
        expiry,
      }[step.target];
      const dueMs = startOfDayMs(dueOn, history.zone) + history.sendHour * HOUR;
      at = dueMs + { at: 0, before: -1000, after: 1000 }[step.placement];
    } else if (index > 0) {
      at += step.gapMinutes * 60_000;
    }
    attempts.push({ attemptId: `att-${index}`, outcome: step.outcome, takenAt: isoSeconds(at) });
  });
  return attempts;
};

const settingsFor = (history: History): RuleSettings => ({
  ...DEFAULT_RULE_SETTINGS,
  sendHour: history.sendHour,
  expiryWarningDays: history.warningDays,
});

const deriveFor = (
  history: History,
  attempts: readonly Attempt[] = attemptsOf(history),
): Reminder[] =>
  deriveReminders(
    { candidateId: 'cand', credentialId: 'cred', timeZone: history.zone, attempts },
    settingsFor(history),
  );

describe('the test oracle itself agrees with hand-computed values', () => {
  it.each([
    ['2028-02-29', 12, '2029-02-28'],
    ['2027-05-31', 9, '2028-02-29'],
    ['2027-08-31', 9, '2028-05-31'],
    ['2099-05-31', 9, '2100-02-28'],
  ])('plusMonths(%s, %i) is %s', (date, months, expected) => {
    // Act & Assess
    expect(plusMonths(date, months)).toBe(expected);
  });

  it.each([
    ['2027-09-05', 'America/Santiago', 0, '2027-09-05T04:00:00Z'],
    ['2027-03-28', 'Asia/Beirut', 0, '2027-03-27T22:00:00Z'],
    ['2027-10-31', 'Europe/Lisbon', 9, '2027-10-31T08:00:00Z'],
    ['2027-04-05', 'Australia/Lord_Howe', 0, '2027-04-04T13:30:00Z'],
    ['2027-03-01', 'Asia/Kathmandu', 0, '2027-02-28T18:15:00Z'],
    ['2027-03-14', 'America/New_York', 3, '2027-03-14T08:00:00Z'],
  ])('dueInstant(%s, %s, %i) is %s', (date, zone, sendHour, expected) => {
    // Act & Assess
    expect(dueInstant(date, zone, sendHour)).toBe(expected);
  });
});

describe('properties of the rules', () => {
  it(
    'derived reminders are exactly those of a literal model of SPEC §1',
    () => {
      fc.assert(
        fc.property(historyArbitrary, (history) => {
          // Prepare
          const attempts = attemptsOf(history);

          // Act: given in reverse, since the order of attempts must not matter
          const reminders = deriveFor(history, [...attempts].reverse());

          // Assess
          const expected = modelReminders(
            attempts,
            history.zone,
            history.sendHour,
            history.warningDays,
          );
          expect(reminders.map(reminderText).sort()).toEqual(expected.map(reminderText).sort());
        }),
        settingsOf,
      );
    },
    TIMEOUT_MS,
  );

  it(
    'every dueOn is a real date after its anchor, and dueAt is the start of dueOn plus SEND_HOUR',
    () => {
      fc.assert(
        fc.property(historyArbitrary, (history) => {
          // Act
          const reminders = deriveFor(history);

          // Assess
          for (const reminder of reminders) {
            expect(isCalendarDate(reminder.dueOn)).toBe(true);
            expect(reminder.dueOn > reminder.anchorOn).toBe(true);
            const startMs = Date.parse(reminder.dueAt) - history.sendHour * HOUR;
            expect(localDateIn(startMs, history.zone)).toBe(reminder.dueOn);
            expect(localDateIn(startMs - 60_000, history.zone) < reminder.dueOn).toBe(true);
            const wall = wallClockOf(startMs, history.zone).time;
            // 00:00 unless the day begins later because midnight fell in a DST gap
            if (wall !== '00:00:00')
              expect(localDateIn(startMs - 60_000, history.zone)).toBe(
                plusDays(reminder.dueOn, -1),
              );
          }
        }),
        settingsOf,
      );
    },
    TIMEOUT_MS,
  );

  it(
    'reminders do not depend on the host time zone (recomputed under another TZ in-process)',
    () => {
      const hostZone = process.env.TZ;
      const setHostZone = (zone: string | undefined) => {
        if (zone === undefined) delete process.env.TZ;
        else process.env.TZ = zone;
      };
      try {
        fc.assert(
          fc.property(
            historyArbitrary,
            fc.constantFrom(...ZONES, 'Asia/Tokyo', 'Pacific/Chatham'),
            (history, otherHost) => {
              // Prepare
              setHostZone(hostZone);
              const here = deriveFor(history);

              // Act: Node re-reads TZ when it is assigned, so Date and Intl now use another host zone
              setHostZone(otherHost);
              const elsewhere = deriveFor(history);

              // Assess
              expect(elsewhere).toEqual(here);
            },
          ),
          { numRuns: Math.max(1, Math.floor(NUM_RUNS / 4)) },
        );
      } finally {
        setHostZone(hostZone);
      }
      expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(
        new Intl.DateTimeFormat('en', { timeZone: hostZone }).resolvedOptions().timeZone,
      );
    },
    TIMEOUT_MS,
  );
});

describe('properties of calendar arithmetic', () => {
  const dateArbitrary = fc
    .record({
      year: fc.integer({ min: 2000, max: 2099 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
    })
    .map(({ year, month, day }) => {
      const clamped = Math.min(day, daysInMonth(year, month));
      return `${year}-${String(month).padStart(2, '0')}-${String(clamped).padStart(2, '0')}`;
    });

  it(
    'addMonths keeps the day of month or clamps to the last day, never spilling into the next month',
    () => {
      fc.assert(
        fc.property(dateArbitrary, fc.integer({ min: 0, max: 60 }), (date, months) => {
          // Act
          const result = addMonths(date, months);

          // Assess
          const before = parseDate(date);
          const after = parseDate(result);
          const monthIndex = before.year * 12 + before.month - 1 + months;
          expect(after.year * 12 + after.month - 1).toBe(monthIndex);
          const last = daysInMonth(after.year, after.month);
          expect(after.day === before.day || (after.day === last && before.day > last)).toBe(true);
          expect(result).toBe(plusMonths(date, months));
        }),
        settingsOf,
      );
    },
    TIMEOUT_MS,
  );

  it(
    'addDays counts calendar days',
    () => {
      fc.assert(
        fc.property(dateArbitrary, fc.integer({ min: -400, max: 400 }), (date, days) => {
          // Act
          const result = addDays(date, days);

          // Assess
          expect(result).toBe(plusDays(date, days));
          expect(addDays(result, -days)).toBe(date);
        }),
        settingsOf,
      );
    },
    TIMEOUT_MS,
  );
});

// ---------------------------------------------------------------------------------------------
// Event streams of a few candidates: attempts with unique ids, profile updates with distinct
// timestamps, merges without cycles (always into a lower-numbered account, each source once),
// erasures.

const CANDIDATES = ['c0', 'c1', 'c2', 'c3'] as const;
const CREDENTIALS = ['cred-x', 'cred-y'] as const;
const EVENT_ZONES = [
  'UTC',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Pacific/Kiritimati',
  'Europe/Lisbon',
] as const;

interface Stream {
  readonly attempts: ReadonlyArray<{
    candidate: number;
    credential: number;
    outcome: 'pass' | 'fail';
    hours: number;
    zone: number;
  }>;
  readonly updates: ReadonlyArray<{ candidate: number; zone: number }>;
  readonly merges: ReadonlyArray<{ from: number; to: number }>;
  readonly erasures: readonly number[];
}

const streamArbitrary = (options: { minErasures: number }): fc.Arbitrary<Stream> =>
  fc.record({
    attempts: fc.array(
      fc.record({
        candidate: fc.integer({ min: 0, max: CANDIDATES.length - 1 }),
        credential: fc.integer({ min: 0, max: CREDENTIALS.length - 1 }),
        outcome: fc.constantFrom('pass' as const, 'fail' as const),
        hours: fc.integer({ min: 0, max: 3 * 365 * 24 }),
        zone: fc.integer({ min: -1, max: EVENT_ZONES.length - 1 }),
      }),
      { maxLength: 10 },
    ),
    updates: fc.array(
      fc.record({
        candidate: fc.integer({ min: 0, max: CANDIDATES.length - 1 }),
        zone: fc.integer({ min: -1, max: EVENT_ZONES.length - 1 }),
      }),
      { maxLength: 4 },
    ),
    merges: fc.uniqueArray(
      fc
        .tuple(fc.integer({ min: 1, max: CANDIDATES.length - 1 }), fc.nat())
        .map(([from, seed]) => ({ from, to: seed % from })),
      { maxLength: 2, selector: (merge) => merge.from },
    ),
    erasures: fc.uniqueArray(fc.integer({ min: 0, max: CANDIDATES.length - 1 }), {
      minLength: options.minErasures,
      maxLength: 2,
    }),
  });

/** The stream as validated events (validated once, then replayed in many orders). */
const eventsOf = (stream: Stream): CertificationEvent[] => {
  let tick = 0;
  const timestamp = () => isoSeconds(Date.parse('2025-06-01T00:00:00Z') + (tick++ * 7 + 3) * 1000);
  const zoneOf = (index: number) => (index < 0 ? undefined : EVENT_ZONES[index]);
  const events: unknown[] = [];
  stream.attempts.forEach((attempt, index) => {
    const timeZone = zoneOf(attempt.zone);
    events.push(
      attemptRecorded({
        attemptId: `att-${index}`,
        candidateId: CANDIDATES[attempt.candidate] as string,
        credentialId: CREDENTIALS[attempt.credential],
        outcome: attempt.outcome,
        takenAt: isoSeconds(
          Date.parse('2022-01-01T00:00:00Z') + attempt.hours * HOUR + index * 1000,
        ),
        timestamp: timestamp(),
        ...(timeZone === undefined ? {} : { timeZone }),
      }),
    );
  });
  for (const update of stream.updates) {
    events.push(
      candidateUpdated(CANDIDATES[update.candidate] as string, timestamp(), {
        timeZone: zoneOf(update.zone) ?? null,
      }),
    );
  }
  for (const merge of stream.merges) {
    events.push(
      accountMerged(CANDIDATES[merge.from] as string, CANDIDATES[merge.to] as string, timestamp()),
    );
  }
  for (const erased of stream.erasures)
    events.push(candidateErased(CANDIDATES[erased] as string, timestamp()));
  return events.map((event) => valid(event));
};

const forecastFrom = (events: readonly CertificationEvent[]): ForecastEntry[] => {
  const fold = createEventFold();
  for (const event of events) fold.apply(event);
  return forecast(fold.candidates(), DEFAULT_RULE_SETTINGS, {
    from: '2000-01-01',
    to: '2100-12-31',
  });
};

/** Reorders `events` by random keys and repeats some of them. */
const arrivalArbitrary = fc.record({
  keys: fc.array(fc.integer(), { minLength: 20, maxLength: 20 }),
  repeats: fc.array(fc.nat(), { maxLength: 5 }),
});
const arrive = <T>(events: readonly T[], arrival: { keys: number[]; repeats: number[] }): T[] => {
  const repeated =
    events.length === 0 ? [] : arrival.repeats.map((index) => events[index % events.length] as T);
  return [...events, ...repeated]
    .map((event, index) => ({ event, key: arrival.keys[index % arrival.keys.length] ?? 0, index }))
    .sort((a, b) => a.key - b.key || b.index - a.index)
    .map(({ event }) => event);
};

/** The candidates merged (directly or not) with any of `ids`, and `ids` themselves. */
const mergedWith = (stream: Stream, ids: readonly number[]): Set<string> => {
  const group = new Set(ids.map((id) => CANDIDATES[id] as string));
  let grew = true;
  while (grew) {
    grew = false;
    for (const merge of stream.merges) {
      const from = CANDIDATES[merge.from] as string;
      const to = CANDIDATES[merge.to] as string;
      if (group.has(from) !== group.has(to)) {
        group.add(from);
        group.add(to);
        grew = true;
      }
    }
  }
  return group;
};

describe('properties of event folding', () => {
  it(
    'any permutation and duplication of the events gives the same forecast',
    () => {
      fc.assert(
        fc.property(streamArbitrary({ minErasures: 0 }), arrivalArbitrary, (stream, arrival) => {
          // Prepare
          const events = eventsOf(stream);

          // Act
          const inOrder = forecastFrom(events);
          const shuffled = forecastFrom(arrive(events, arrival));

          // Assess
          expect(shuffled).toEqual(inOrder);
        }),
        settingsOf,
      );
    },
    TIMEOUT_MS,
  );

  it(
    'no reminder is forecast for an erased candidate nor any account merged with it, and others are untouched',
    () => {
      fc.assert(
        fc.property(streamArbitrary({ minErasures: 1 }), arrivalArbitrary, (stream, arrival) => {
          // Prepare
          const events = arrive(eventsOf(stream), arrival);
          const withoutErasures = eventsOf({ ...stream, erasures: [] });
          const erasedGroup = mergedWith(stream, stream.erasures);

          // Act
          const entries = forecastFrom(events);

          // Assess
          for (const entry of entries) expect(erasedGroup.has(entry.candidateId)).toBe(false);
          const untouched = forecastFrom(withoutErasures).filter(
            (entry) => !erasedGroup.has(entry.candidateId),
          );
          expect(entries).toEqual(untouched);
        }),
        settingsOf,
      );
    },
    TIMEOUT_MS,
  );
});

/**
 * Candidates as a set of attempts per credential: the fold holds attempts in arrival order, which
 * nothing reads (the rules date and sort them), so views are compared with attempts sorted.
 */
const asSets = (views: readonly CandidateView[]) =>
  views.map((view) => ({
    ...view,
    credentials: view.credentials.map((credential) => ({
      ...credential,
      attempts: [...credential.attempts].sort((a, b) =>
        a.attemptId < b.attemptId ? -1 : a.attemptId > b.attemptId ? 1 : 0,
      ),
    })),
  }));

const candidatesFrom = (events: readonly CertificationEvent[]): CandidateView[] => {
  const fold = createEventFold();
  for (const event of events) fold.apply(event);
  return fold.candidates();
};

describe('properties of event folding: the candidates themselves', () => {
  it(
    'any permutation of the same events gives the same candidates (profiles, names, attempts)',
    () => {
      fc.assert(
        fc.property(streamArbitrary({ minErasures: 0 }), arrivalArbitrary, (stream, arrival) => {
          // Prepare
          const events = eventsOf(stream);

          // Act
          const inOrder = candidatesFrom(events);
          const shuffled = candidatesFrom(arrive(events, { ...arrival, repeats: [] }));

          // Assess
          expect(asSets(shuffled)).toEqual(asSets(inOrder));
        }),
        settingsOf,
      );
    },
    TIMEOUT_MS,
  );

  it(
    'repeating events on top of any permutation changes no candidate',
    () => {
      fc.assert(
        fc.property(streamArbitrary({ minErasures: 0 }), arrivalArbitrary, (stream, arrival) => {
          // Prepare
          const events = eventsOf(stream);

          // Act
          const once = candidatesFrom(events);
          const repeated = candidatesFrom([...events, ...arrive(events, arrival)]);

          // Assess
          expect(asSets(repeated)).toEqual(asSets(once));
        }),
        settingsOf,
      );
    },
    TIMEOUT_MS,
  );
});

// ---------------------------------------------------------------------------------------------
// Accounts built by the real transitions, to merge: attempts drawn from one pool (so two accounts
// may hold the same attempt, with the same content, as the registry guarantees), profile writes
// with colliding stamps now and then, ledgers, claims, opt-outs and watermarks.

const POOL_CREDENTIALS = ['cred-x', 'cred-y', 'cred-z'] as const;
const KEYS = [
  'cred-x#renewal_window_open#att-0',
  'cred-x#expired#att-1',
  'cred-y#expiring_soon#att-2#30',
  'cred-z#retake_available#att-3',
] as const;

const attemptPool = Array.from({ length: 8 }, (_, index) =>
  incoming({
    attemptId: `att-${index}`,
    outcome: index % 3 === 0 ? 'fail' : 'pass',
    takenAt: isoSeconds(Date.parse('2024-01-01T00:00:00Z') + index * 37 * 86_400_000),
    credentialId: POOL_CREDENTIALS[index % POOL_CREDENTIALS.length],
    credentialName: `Name ${index % 4}`,
    emittedAt: Date.parse('2025-01-01T00:00:00Z') + (index % 4) * 1000,
  }),
);

const writesArbitrary: fc.Arbitrary<ProfileWrites> = fc
  .record(
    {
      email: fc.constantFrom('a@example.com', 'b@example.com'),
      name: fc.option(fc.constantFrom('Ana', 'Bea'), { nil: null }),
      timeZone: fc.constantFrom('UTC', 'Asia/Tokyo'),
    },
    { requiredKeys: [] },
  )
  .chain((fields) =>
    fc
      .array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 })
      .map((stamps) =>
        Object.fromEntries(
          Object.entries(fields).map(([field, value], index) => [
            field,
            { value, at: Date.parse('2025-01-01T00:00:00Z') + (stamps[index] ?? 0) * 1000 },
          ]),
        ),
      ),
  );

const instantArbitrary = fc
  .integer({ min: 0, max: 400 })
  .map((days) => isoSeconds(Date.parse('2025-01-01T00:00:00Z') + days * 86_400_000));

const ledgerRecordOf = (key: string, status: LedgerRecord['status'], at: string): LedgerRecord => {
  const [credentialId, kind, anchorAttemptId] = key.split('#') as [
    string,
    LedgerRecord['kind'],
    string,
  ];
  return {
    credentialId,
    kind,
    anchorAttemptId,
    dueOn: at.slice(0, 10),
    dueAt: at,
    status,
    at,
  };
};

const accountArbitrary = (candidateId: string): fc.Arbitrary<CandidateState> =>
  fc
    .record({
      attempts: fc.subarray(attemptPool),
      own: fc.option(writesArbitrary, { nil: undefined }),
      borrowed: fc.option(writesArbitrary, { nil: undefined }),
      ledger: fc.array(
        fc.record({
          key: fc.constantFrom(...KEYS),
          status: fc.constantFrom('sent' as const, 'skipped' as const, 'failed' as const),
          at: instantArbitrary,
        }),
        { maxLength: 3 },
      ),
      claims: fc.array(fc.record({ key: fc.constantFrom(...KEYS), at: instantArbitrary }), {
        maxLength: 2,
      }),
      unsubscribedAt: fc.option(instantArbitrary, { nil: undefined }),
      settledThrough: fc.option(
        fc.dictionary(fc.constantFrom(...POOL_CREDENTIALS), instantArbitrary, { maxKeys: 2 }),
        { nil: undefined },
      ),
      aliases: fc.subarray([`${candidateId}-old`, `${candidateId}-older`]),
    })
    .map((spec) => {
      let state = applyAttempts(emptyCandidate(candidateId), spec.attempts, 'own').state;
      if (spec.own !== undefined) state = applyProfileWrites(state, spec.own, 'own').state;
      if (spec.borrowed !== undefined)
        state = applyProfileWrites(state, spec.borrowed, 'borrowed').state;
      const ledger = Object.fromEntries(
        spec.ledger.map(({ key, status, at }) => [key, ledgerRecordOf(key, status, at)]),
      );
      const claims = Object.fromEntries(
        spec.claims.map(({ key, at }): [string, ClaimRecord] => {
          const { status: _status, at: _at, ...ref } = ledgerRecordOf(key, 'sent', at);
          return [key, { ...ref, token: `${candidateId}-${key}`, leaseUntil: at, runAt: at }];
        }),
      );
      return {
        ...state,
        ledger,
        claims,
        ...(spec.unsubscribedAt === undefined ? {} : { unsubscribedAt: spec.unsubscribedAt }),
        ...(spec.settledThrough === undefined ? {} : { settledThrough: spec.settledThrough }),
        ...(spec.aliases.length === 0 ? {} : { aliases: spec.aliases }),
      };
    });

/** What SPEC §2 makes of merged accounts, whatever the order of the merges. */
const mergedResult = (state: CandidateState) => ({
  view: asSets([viewOf(state)]),
  settled: Object.keys(state.ledger).sort(),
  claimed: Object.keys(state.claims).sort(),
  unsubscribedAt: state.unsubscribedAt,
  settledThrough: state.settledThrough,
  aliases: [...(state.aliases ?? [])].sort(),
});

describe('properties of merging accounts (absorbAccount)', () => {
  it(
    'is idempotent: absorbing an account again, at once or after another one, changes nothing',
    () => {
      fc.assert(
        fc.property(
          accountArbitrary('target'),
          accountArbitrary('first'),
          accountArbitrary('second'),
          (target, first, second) => {
            // Act
            const once = absorbAccount(target, first);
            const twice = absorbAccount(once, first);
            const both = absorbAccount(once, second);
            const bothAgain = absorbAccount(absorbAccount(both, first), second);

            // Assess
            expect(twice).toEqual(once);
            expect(mergedResult(bothAgain)).toEqual(mergedResult(both));
          },
        ),
        settingsOf,
      );
    },
    TIMEOUT_MS,
  );

  it(
    'is commutative in its visible result: two accounts merged into one in either order',
    () => {
      fc.assert(
        fc.property(
          accountArbitrary('target'),
          accountArbitrary('first'),
          accountArbitrary('second'),
          (target, first, second) => {
            // Act
            const firstThenSecond = absorbAccount(absorbAccount(target, first), second);
            const secondThenFirst = absorbAccount(absorbAccount(target, second), first);

            // Assess
            expect(mergedResult(secondThenFirst)).toEqual(mergedResult(firstThenSecond));
          },
        ),
        settingsOf,
      );
    },
    TIMEOUT_MS,
  );

  it(
    'keeps the target’s own profile, and every attempt and ledger key of both accounts',
    () => {
      fc.assert(
        fc.property(accountArbitrary('target'), accountArbitrary('source'), (target, source) => {
          // Act
          const merged = absorbAccount(target, source);

          // Assess
          if (target.own !== undefined)
            expect(viewOf(merged).profile).toEqual(viewOf(target).profile);
          const attemptIds = (state: CandidateState) =>
            viewOf(state).credentials.flatMap((credential) =>
              credential.attempts.map((attempt) => attempt.attemptId),
            );
          expect(new Set(attemptIds(merged))).toEqual(
            new Set([...attemptIds(target), ...attemptIds(source)]),
          );
          expect(attemptIds(merged)).toHaveLength(new Set(attemptIds(merged)).size);
          expect(Object.keys(merged.ledger).sort()).toEqual(
            [...new Set([...Object.keys(target.ledger), ...Object.keys(source.ledger)])].sort(),
          );
          for (const key of Object.keys(merged.claims)) expect(merged.ledger[key]).toBeUndefined();
        }),
        settingsOf,
      );
    },
    TIMEOUT_MS,
  );
});
