import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { nextDueAt } from '../../../functions/domain/candidate-ledger';
import {
  type CandidateState,
  contentHash,
  viewOf,
} from '../../../functions/domain/candidate-state';
import { createEventFold } from '../../../functions/domain/event-fold';
import {
  attemptFingerprint,
  type CertificationEvent,
  createEventValidator,
} from '../../../functions/domain/event-schemas';
import {
  type AttemptRegistry,
  type CandidateRepository,
  type Stores,
  systemClock,
} from '../../../functions/use-cases/ports';
import { recordEvent } from '../../../functions/use-cases/record-event';
import { createRaceApp, type RaceApp, uniqueId } from './race-support';

/**
 * SPEC §2: order of arrival never matters. Events for ONE candidate recorded concurrently, in any
 * interleaving of their store operations, leave the store exactly where the pure fold
 * (`forecast --input`'s engine) puts the same events applied one after another; and the
 * candidate's due-index entry is the one its state calls for.
 *
 * `fc.scheduler()` decides when each store call starts and when its answer is delivered, so the
 * events' reads, conditional writes and retries interleave in every order it can think of.
 *
 * The one choice that legitimately depends on arrival is which delivery of an `attemptId` came
 * first (a repeat keeps the first one's time; of two conflicting contents the first wins). The
 * fold is therefore fed the delivery the attempt registry kept first, then the others.
 */

const NUM_RUNS = 30;
const EMITTED_FROM = Date.parse('2025-06-01T00:00:00Z');

const validate = createEventValidator(() => new Date());

const parsed = (raw: unknown): CertificationEvent => {
  const result = validate(raw);
  if (!result.ok) throw new Error(`invalid generated event: ${JSON.stringify(result.issues)}`);
  return result.event;
};

/** Emission times a few minutes apart, so ties (settled by value) happen often. */
const timestampArb = fc
  .integer({ min: 0, max: 4 })
  .map((minutes) => new Date(EMITTED_FROM + minutes * 60_000).toISOString());

const emailArb = fc.constantFrom('ana@example.com', 'ana.new@example.com', 'zed@example.org');
const nameArb = fc.constantFrom('Ana Lima', 'Ana L.', 'Zed');
const zoneArb = fc.constantFrom(
  'UTC',
  'Europe/Berlin',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
);
const localeArb = fc.constantFrom('en', 'de-AT', 'pt-BR', 'ja');
const guardianArb = fc.constantFrom('parent@example.com', 'guardian@example.net');

/** A takenAt between 2023 and mid-2025, at a minute (often near midnight somewhere). */
const takenAtArb = fc
  .integer({
    min: Date.parse('2023-01-01T00:00:00Z') / 60_000,
    max: Date.parse('2025-05-01T00:00:00Z') / 60_000,
  })
  .map((minute) => new Date(minute * 60_000).toISOString());

interface AttemptSpec {
  readonly credentialId: string;
  readonly credentialName: string;
  readonly outcome: 'pass' | 'fail';
  readonly takenAt: string;
  readonly profile: {
    readonly email: string;
    readonly name?: string;
    readonly timeZone?: string;
    readonly locale?: string;
    readonly guardianEmail?: string;
  };
}

const attemptSpecArb: fc.Arbitrary<AttemptSpec> = fc.record({
  credentialId: fc.constantFrom('aws-serverless', 'aws-security'),
  credentialName: fc.constantFrom('Serverless', 'Security', 'Renamed credential'),
  outcome: fc.constantFrom('pass' as const, 'fail' as const),
  takenAt: takenAtArb,
  profile: fc.record(
    {
      email: emailArb,
      name: nameArb,
      timeZone: zoneArb,
      locale: localeArb,
      guardianEmail: guardianArb,
    },
    { requiredKeys: ['email'] },
  ),
});

const updateArb = fc.record(
  {
    email: emailArb,
    name: fc.option(nameArb, { nil: null }),
    timeZone: fc.option(zoneArb, { nil: null }),
    locale: fc.option(localeArb, { nil: null }),
    guardianEmail: fc.option(guardianArb, { nil: null }),
  },
  { requiredKeys: [] },
);

/** What one property run records, before the candidate id is known. */
const scenarioArb = fc.record({
  attempts: fc.array(fc.record({ spec: attemptSpecArb, timestamp: timestampArb }), {
    minLength: 1,
    maxLength: 4,
  }),
  /** Re-deliveries (same content, possibly a new envelope timestamp) of some attempts. */
  repeats: fc.array(fc.record({ of: fc.nat(), timestamp: timestampArb }), { maxLength: 3 }),
  /** A repeat of an attemptId with other content. */
  conflict: fc.option(
    fc.record({
      of: fc.nat(),
      change: fc.constantFrom('outcome' as const, 'takenAt' as const, 'credentialName' as const),
      timestamp: timestampArb,
    }),
    { nil: undefined },
  ),
  updates: fc.array(fc.record({ fields: updateArb, timestamp: timestampArb }), { maxLength: 3 }),
  erasure: fc.option(timestampArb, { nil: undefined }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const attemptEvent = (
  candidateId: string,
  attemptId: string,
  spec: AttemptSpec,
  timestamp: string,
) => ({
  type: 'attempt.recorded',
  timestamp,
  data: {
    attemptId,
    candidate: { candidateId, ...spec.profile },
    credential: { credentialId: spec.credentialId, name: spec.credentialName },
    outcome: spec.outcome,
    takenAt: spec.takenAt,
  },
});

/** The events of a scenario for one candidate, validated as the ingest would. */
const eventsOf = (candidateId: string, runId: string, scenario: Scenario): CertificationEvent[] => {
  const attemptIds = scenario.attempts.map((_, index) => `${runId}-att-${index}`);
  const raw: unknown[] = scenario.attempts.map(({ spec, timestamp }, index) =>
    attemptEvent(candidateId, attemptIds[index] as string, spec, timestamp),
  );
  for (const repeat of scenario.repeats) {
    const index = repeat.of % scenario.attempts.length;
    const original = scenario.attempts[index] as Scenario['attempts'][number];
    raw.push(
      attemptEvent(candidateId, attemptIds[index] as string, original.spec, repeat.timestamp),
    );
  }
  if (scenario.conflict) {
    const index = scenario.conflict.of % scenario.attempts.length;
    const { spec } = scenario.attempts[index] as Scenario['attempts'][number];
    const changed: AttemptSpec =
      scenario.conflict.change === 'outcome'
        ? { ...spec, outcome: spec.outcome === 'pass' ? 'fail' : 'pass' }
        : scenario.conflict.change === 'takenAt'
          ? { ...spec, takenAt: new Date(Date.parse(spec.takenAt) + 86_400_000).toISOString() }
          : { ...spec, credentialName: `${spec.credentialName} (other)` };
    raw.push(
      attemptEvent(candidateId, attemptIds[index] as string, changed, scenario.conflict.timestamp),
    );
  }
  for (const update of scenario.updates) {
    raw.push({
      type: 'candidate.updated',
      timestamp: update.timestamp,
      data: { candidateId, ...update.fields },
    });
  }
  if (scenario.erasure !== undefined) {
    raw.push({ type: 'candidate.erased', timestamp: scenario.erasure, data: { candidateId } });
  }
  return raw.map(parsed);
};

/** Store calls that start and answer only when the scheduler says so. */
const scheduledCall =
  <Args extends unknown[], Result>(
    s: fc.Scheduler,
    label: string,
    call: (...args: Args) => Promise<Result>,
  ) =>
  async (...args: Args): Promise<Result> => {
    await s.schedule(Promise.resolve(), `${label} starts`);
    const result = await call(...args);
    return s.schedule(Promise.resolve(result), `${label} answers`);
  };

const scheduledStores = (s: fc.Scheduler, stores: Stores): Stores => {
  const { candidates, attempts } = stores;
  const scheduledCandidates: CandidateRepository = {
    ...candidates,
    load: scheduledCall(s, 'candidates.load', (id: string) => candidates.load(id)),
    loadMany: scheduledCall(s, 'candidates.loadMany', (ids: readonly string[]) =>
      candidates.loadMany(ids),
    ),
    save: scheduledCall(
      s,
      'candidates.save',
      (state: CandidateState, expected: number, dueAt: string | undefined) =>
        candidates.save(state, expected, dueAt),
    ),
  };
  const scheduledAttempts: AttemptRegistry = {
    register: scheduledCall(s, 'attempts.register', (id: string, hash: string, at: number) =>
      attempts.register(id, hash, at),
    ),
    lookup: scheduledCall(s, 'attempts.lookup', (ids: readonly string[]) => attempts.lookup(ids)),
    putMany: scheduledCall(
      s,
      'attempts.putMany',
      (entries: Parameters<AttemptRegistry['putMany']>[0]) => attempts.putMany(entries),
    ),
    forget: scheduledCall(s, 'attempts.forget', (ids: readonly string[]) => attempts.forget(ids)),
  };
  return { ...stores, candidates: scheduledCandidates, attempts: scheduledAttempts };
};

const hashOf = (event: CertificationEvent) =>
  event.type === 'attempt.recorded' ? contentHash(attemptFingerprint(event)) : undefined;

/**
 * The events in the order to fold them: as generated, except that of the deliveries of each
 * attemptId, the one the registry kept (same content hash and first emission) goes first.
 */
const foldOrder = (
  events: readonly CertificationEvent[],
  registered: ReadonlyMap<string, { readonly hash: string; readonly emittedAt: number }>,
): CertificationEvent[] => {
  const first = new Set<CertificationEvent>();
  const placed = new Set<string>();
  for (const event of events) {
    if (event.type !== 'attempt.recorded') continue;
    const entry = registered.get(event.data.attemptId);
    if (entry === undefined || placed.has(event.data.attemptId)) continue;
    if (entry.hash === hashOf(event) && entry.emittedAt === Date.parse(event.timestamp)) {
      first.add(event);
      placed.add(event.data.attemptId);
    }
  }
  return [...first, ...events.filter((event) => !first.has(event))];
};

/** The state with every credential's attempts sorted: attempts are a set (SPEC §2). */
const normalised = (state: CandidateState | undefined) =>
  state === undefined
    ? undefined
    : {
        ...state,
        credentials: Object.fromEntries(
          Object.entries(state.credentials)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([credentialId, credential]) => [
              credentialId,
              {
                ...credential,
                attempts: [...credential.attempts].sort((a, b) =>
                  a.attemptId < b.attemptId ? -1 : 1,
                ),
              },
            ]),
        ),
      };

const viewWithSortedAttempts = (state: CandidateState) => {
  const view = viewOf(state);
  return {
    ...view,
    credentials: view.credentials.map((credential) => ({
      ...credential,
      attempts: [...credential.attempts].sort((a, b) => (a.attemptId < b.attemptId ? -1 : 1)),
    })),
  };
};

describe('concurrent events for one candidate', () => {
  let race: RaceApp;
  beforeAll(async () => {
    race = await createRaceApp();
  });

  it('leave the store where the pure fold puts them, with the due entry its state calls for', async () => {
    const { app, settings } = race;
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), scenarioArb, async (s, scenario) => {
        const candidateId = uniqueId('prop');
        const events = eventsOf(candidateId, uniqueId('run'), scenario);
        const deps = { stores: scheduledStores(s, app.stores), settings, clock: systemClock };

        // Every event is delivered at once; the scheduler interleaves their store calls.
        const recorded = Promise.all(
          events.map((event, index) =>
            s
              .schedule(Promise.resolve(event), `deliver event ${index} (${event.type})`)
              .then((delivered) => recordEvent(deps, delivered)),
          ),
        );
        await s.waitFor(recorded);

        const loaded = await app.stores.candidates.load(candidateId);
        expect(loaded, 'the stored candidate').toBeDefined();
        const stored = loaded as NonNullable<typeof loaded>;
        const attemptIds = [
          ...new Set(
            events.flatMap((event) =>
              event.type === 'attempt.recorded' ? [event.data.attemptId] : [],
            ),
          ),
        ];
        const registered = await app.stores.attempts.lookup(attemptIds);

        const fold = createEventFold();
        for (const event of foldOrder(events, registered)) fold.apply(event);
        const expected = fold.state(candidateId);
        expect(expected, 'the folded candidate').toBeDefined();
        const folded = expected as CandidateState;

        expect(viewWithSortedAttempts(stored.state)).toEqual(viewWithSortedAttempts(folded));
        expect(stored.state.erasedAt).toEqual(folded.erasedAt);
        expect(normalised(stored.state)).toEqual(normalised(folded));
        expect(stored.dueAt).toEqual(nextDueAt(stored.state, settings));
        expect(stored.dueAt).toEqual(nextDueAt(folded, settings));
        if (folded.erasedAt !== undefined) {
          // An erasure leaves no registry entry of the person's attempts behind.
          expect([...registered.keys()]).toEqual([]);
        }
      }),
      { numRuns: NUM_RUNS, interruptAfterTimeLimit: 150_000, markInterruptAsFailure: true },
    );
  }, 240_000);
});
