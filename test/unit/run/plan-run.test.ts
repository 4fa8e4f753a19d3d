import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../../functions/domain/rule-settings';
import {
  datesToRead,
  planRun,
  runBounded,
  type SendQueue,
  type SendRequest,
} from '../../../functions/use-cases/plan-run';
import type { DueEntry } from '../../../functions/use-cases/ports';

const settingsWith = (overrides: Partial<RuleSettings> = {}): RuleSettings => ({
  ...DEFAULT_RULE_SETTINGS,
  ...overrides,
});

/** A promise with its resolver exposed, to finish tasks in any order the test likes. */
const deferred = <T>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
};

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('datesToRead', () => {
  it.each([
    ['in the middle of a month', '2027-11-29T13:00:00Z', 14, '2027-11-14', '2027-11-29'],
    ['just after a month end', '2027-03-01T13:00:00Z', 14, '2027-02-14', '2027-03-01'],
    ['just after a year end', '2028-01-01T00:30:00Z', 14, '2027-12-17', '2028-01-01'],
    ['in a leap February', '2028-03-05T13:00:00Z', 14, '2028-02-19', '2028-03-05'],
    [
      'at the last instant of a UTC day',
      '2027-12-31T23:59:59.999Z',
      14,
      '2027-12-16',
      '2027-12-31',
    ],
    ['with MAX_LATENESS_DAYS 0', '2027-11-29T13:00:00Z', 0, '2027-11-28', '2027-11-29'],
    ['with MAX_LATENESS_DAYS 30', '2027-03-10T13:00:00Z', 30, '2027-02-07', '2027-03-10'],
  ])(
    'reads MAX_LATENESS_DAYS + 2 consecutive UTC dates ending on the run date, %s',
    (_label, runAt, maxLatenessDays, first, last) => {
      // Prepare
      const settings = settingsWith({ maxLatenessDays });

      // Act
      const dates = datesToRead(Temporal.Instant.from(runAt), settings);

      // Assess
      expect(dates).toHaveLength(maxLatenessDays + 2);
      expect(dates[0]).toBe(first);
      expect(dates.at(-1)).toBe(last);
      for (let index = 1; index < dates.length; index += 1) {
        const previous = Temporal.PlainDate.from(dates[index - 1] as string);
        expect(previous.add({ days: 1 }).toString()).toBe(dates[index]);
      }
    },
  );

  it('lists every date across a year end', () => {
    // Prepare
    const runAt = Temporal.Instant.from('2028-01-02T13:00:00Z');

    // Act
    const dates = datesToRead(runAt, settingsWith({ maxLatenessDays: 3 }));

    // Assess
    expect(dates).toEqual(['2027-12-29', '2027-12-30', '2027-12-31', '2028-01-01', '2028-01-02']);
  });

  it('uses the UTC date of the run, whatever the default time zone', () => {
    // Prepare: 23:30 UTC is already the next day in Tokyo.
    const runAt = Temporal.Instant.from('2027-11-29T23:30:00Z');

    // Act
    const dates = datesToRead(runAt, settingsWith({ defaultTimeZone: 'Asia/Tokyo' }));

    // Assess
    expect(dates.at(-1)).toBe('2027-11-29');
  });
});

describe('runBounded', () => {
  it('answers an empty list without running anything', async () => {
    // Act
    const results = await runBounded(4, []);

    // Assess
    expect(results).toEqual([]);
  });

  it.each([
    [1, 5],
    [2, 5],
    [3, 7],
    [10, 4],
  ])('with limit %i and %i tasks never has more than the limit in flight', async (limit, count) => {
    // Prepare
    let inFlight = 0;
    let most = 0;
    const tasks = Array.from({ length: count }, (_, index) => async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await settle();
      inFlight -= 1;
      return index * 10;
    });

    // Act
    const results = await runBounded(limit, tasks);

    // Assess
    expect(most).toBe(Math.min(limit, count));
    expect(results).toEqual(Array.from({ length: count }, (_, index) => index * 10));
  });

  it('keeps the results in task order when tasks finish out of order', async () => {
    // Prepare
    const gates = [deferred<string>(), deferred<string>(), deferred<string>()];
    const started: number[] = [];
    const tasks = gates.map((gate, index) => () => {
      started.push(index);
      return gate.promise;
    });

    // Act
    const running = runBounded(3, tasks);
    await settle();
    gates[2]?.resolve('third');
    gates[0]?.resolve('first');
    await settle();
    gates[1]?.resolve('second');
    const results = await running;

    // Assess
    expect(started).toEqual([0, 1, 2]);
    expect(results).toEqual(['first', 'second', 'third']);
  });

  it('starts the next task as soon as one finishes', async () => {
    // Prepare
    const gates = [deferred<number>(), deferred<number>(), deferred<number>()];
    const started: number[] = [];
    const tasks = gates.map((gate, index) => () => {
      started.push(index);
      return gate.promise;
    });

    // Act
    const running = runBounded(2, tasks);
    await settle();
    const beforeAnyFinished = [...started];
    gates[1]?.resolve(1);
    await settle();
    const afterOneFinished = [...started];
    gates[0]?.resolve(0);
    gates[2]?.resolve(2);
    const results = await running;

    // Assess
    expect(beforeAnyFinished).toEqual([0, 1]);
    expect(afterOneFinished).toEqual([0, 1, 2]);
    expect(results).toEqual([0, 1, 2]);
  });

  it('rejects when a task rejects', async () => {
    // Prepare
    const tasks = [
      async () => 1,
      async () => {
        throw new Error('query failed');
      },
    ];

    // Act
    const running = runBounded(2, tasks);

    // Assess
    await expect(running).rejects.toThrow('query failed');
  });
});

interface QueryCall {
  readonly date: string;
  readonly shard: number;
  readonly upTo: string;
}

/** A store double whose due index answers from `index` (keyed `date/shard`) and records calls. */
const fakeStore = (index: Record<string, DueEntry[]> = {}) => {
  const calls: QueryCall[] = [];
  let inFlight = 0;
  let most = 0;
  return {
    calls,
    mostInFlight: () => most,
    store: {
      async queryDue(date: string, shard: number, upTo: string) {
        calls.push({ date, shard, upTo });
        inFlight += 1;
        most = Math.max(most, inFlight);
        await settle();
        inFlight -= 1;
        return index[`${date}/${shard}`] ?? [];
      },
    },
  };
};

/** A queue double that keeps every batch of requests it is given. */
const capturingQueue = () => {
  const batches: SendRequest[][] = [];
  const queue: SendQueue = {
    async enqueue(requests) {
      batches.push([...requests]);
    },
  };
  return { queue, batches };
};

const due = (
  candidateId: string,
  credentialId: string,
  kind: DueEntry['kind'],
  dueOn: string,
): DueEntry => ({
  candidateId,
  credentialId,
  kind,
  dueOn,
  dueAt: `${dueOn}T00:00:00Z`,
  reminderKey: `${credentialId}#${kind}#anchor`,
});

describe('planRun', () => {
  const runAt = Temporal.Instant.from('2027-11-29T13:00:00.789Z');

  it('queries the due index once per date and shard, up to the run instant truncated to the second', async () => {
    // Prepare
    const { store, calls } = fakeStore();
    const { queue } = capturingQueue();
    const settings = settingsWith();

    // Act
    const summary = await planRun({ store, settings, queue, shards: 3 }, runAt);

    // Assess
    const expected = datesToRead(runAt, settings).flatMap((date) =>
      [0, 1, 2].map((shard) => `${date}/${shard}`),
    );
    expect(calls.map((call) => `${call.date}/${call.shard}`).sort()).toEqual(expected.sort());
    expect(new Set(calls.map((call) => call.upTo))).toEqual(new Set(['2027-11-29T13:00:00Z']));
    expect(summary).toEqual({
      runAt: '2027-11-29T13:00:00Z',
      queries: 16 * 3,
      dueReminders: 0,
      candidates: 0,
    });
  });

  it('queues an empty batch when nothing is due', async () => {
    // Prepare
    const { store } = fakeStore();
    const { queue, batches } = capturingQueue();

    // Act
    await planRun({ store, settings: settingsWith(), queue, shards: 1 }, runAt);

    // Assess
    expect(batches).toEqual([[]]);
  });

  it('groups due entries into one request per candidate, whatever date or shard they came from', async () => {
    // Prepare
    const { store } = fakeStore({
      '2027-11-28/0': [due('cand-a', 'aws-cp', 'renewal_window_open', '2027-11-28')],
      '2027-11-29/1': [
        due('cand-b', 'aws-dev', 'expired', '2027-11-29'),
        due('cand-a', 'aws-dev', 'expiring_soon', '2027-11-29'),
      ],
    });
    const { queue, batches } = capturingQueue();

    // Act
    const summary = await planRun(
      { store, settings: settingsWith(), queue, shards: 2, concurrency: 1 },
      runAt,
    );

    // Assess
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual([
      {
        runAt: '2027-11-29T13:00:00Z',
        candidateId: 'cand-a',
        reminders: [
          {
            credentialId: 'aws-cp',
            kind: 'renewal_window_open',
            dueOn: '2027-11-28',
            reminderKey: 'aws-cp#renewal_window_open#anchor',
          },
          {
            credentialId: 'aws-dev',
            kind: 'expiring_soon',
            dueOn: '2027-11-29',
            reminderKey: 'aws-dev#expiring_soon#anchor',
          },
        ],
      },
      {
        runAt: '2027-11-29T13:00:00Z',
        candidateId: 'cand-b',
        reminders: [
          {
            credentialId: 'aws-dev',
            kind: 'expired',
            dueOn: '2027-11-29',
            reminderKey: 'aws-dev#expired#anchor',
          },
        ],
      },
    ]);
    expect(summary).toMatchObject({ dueReminders: 3, candidates: 2 });
  });

  it.each([
    ['a dry run', { dryRun: true }, true],
    ['a real run', { dryRun: false }, undefined],
    ['a run without options', undefined, undefined],
  ])('passes the dry-run flag through on %s', async (_label, options, flag) => {
    // Prepare
    const { store } = fakeStore({
      '2027-11-29/0': [due('cand-a', 'aws-cp', 'expired', '2027-11-29')],
    });
    const { queue, batches } = capturingQueue();

    // Act
    await planRun({ store, settings: settingsWith(), queue, shards: 1 }, runAt, options);

    // Assess
    expect(batches[0]?.[0]?.dryRun).toBe(flag);
    expect(batches[0]?.[0] && 'dryRun' in batches[0][0]).toBe(flag === true);
  });

  it.each([
    [1, 1],
    [4, 4],
    [undefined, 16],
  ])('runs at most %s queries at once (in fact %i)', async (concurrency, expected) => {
    // Prepare
    const fake = fakeStore();
    const { queue } = capturingQueue();

    // Act
    await planRun(
      {
        store: fake.store,
        settings: settingsWith(),
        queue,
        shards: 4,
        ...(concurrency === undefined ? {} : { concurrency }),
      },
      runAt,
    );

    // Assess
    expect(fake.mostInFlight()).toBe(expected);
    expect(fake.calls).toHaveLength(16 * 4);
  });

  it('keeps a run instant already on a whole second as it is', async () => {
    // Prepare
    const { store, calls } = fakeStore();
    const { queue } = capturingQueue();

    // Act
    const summary = await planRun(
      { store, settings: settingsWith({ maxLatenessDays: 0 }), queue, shards: 1 },
      Temporal.Instant.from('2027-11-29T13:00:00Z'),
    );

    // Assess
    expect(summary.runAt).toBe('2027-11-29T13:00:00Z');
    expect(calls).toEqual([
      { date: '2027-11-28', shard: 0, upTo: '2027-11-29T13:00:00Z' },
      { date: '2027-11-29', shard: 0, upTo: '2027-11-29T13:00:00Z' },
    ]);
  });
});
