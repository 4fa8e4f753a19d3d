import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { planRun, runBounded } from '../../../functions/use-cases/plan-run';
import type { DueEntry, SendQueue, SendRequest } from '../../../functions/use-cases/ports';

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
  readonly shard: number;
  readonly upTo: string;
}

/**
 * A repository double whose due index answers from `pages` (per shard, a list of pages; a shard
 * not listed answers one empty page, as a DynamoDB Query does) and records every call.
 */
const fakeCandidates = (pages: Record<number, DueEntry[][]> = {}) => {
  const calls: QueryCall[] = [];
  let inFlight = 0;
  let most = 0;
  return {
    calls,
    mostInFlight: () => most,
    candidates: {
      async *queryDue(shard: number, upTo: string): AsyncIterable<readonly DueEntry[]> {
        calls.push({ shard, upTo });
        inFlight += 1;
        most = Math.max(most, inFlight);
        try {
          for (const page of pages[shard] ?? [[]]) {
            await settle();
            yield page;
          }
        } finally {
          inFlight -= 1;
        }
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
  return { queue, batches, requests: () => batches.flat() };
};

const due = (candidateId: string, dueAt: string): DueEntry => ({ candidateId, dueAt });

const byCandidate = (a: SendRequest, b: SendRequest) =>
  a.candidateId < b.candidateId ? -1 : a.candidateId > b.candidateId ? 1 : 0;

describe('planRun', () => {
  const runAt = Temporal.Instant.from('2027-11-29T13:00:00.789Z');

  it('queries the due index once per shard, up to the run instant truncated to the second', async () => {
    // Prepare
    const { candidates, calls } = fakeCandidates();
    const { queue } = capturingQueue();

    // Act
    const summary = await planRun({ candidates, queue, shards: 16 }, runAt);

    // Assess
    expect(calls.map((call) => call.shard).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 16 }, (_, shard) => shard),
    );
    expect(new Set(calls.map((call) => call.upTo))).toEqual(new Set(['2027-11-29T13:00:00Z']));
    expect(summary).toEqual({ runAt: '2027-11-29T13:00:00Z', queries: 16, candidates: 0 });
  });

  it.each([
    ['in the middle of a month', '2027-11-29T13:00:00Z', '2027-11-29T13:00:00Z', '2027-11-14'],
    ['just after a month end', '2027-03-01T13:00:00Z', '2027-03-01T13:00:00Z', '2027-02-14'],
    ['just after a year end', '2028-01-01T00:30:00Z', '2028-01-01T00:30:00Z', '2027-12-17'],
    ['in a leap February', '2028-03-05T13:00:00Z', '2028-03-05T13:00:00Z', '2028-02-19'],
    [
      'at the last instant of a UTC day',
      '2027-12-31T23:59:59.999Z',
      '2027-12-31T23:59:59Z',
      '2027-12-16',
    ],
    [
      'given with an offset (already the next day in Tokyo)',
      '2027-11-30T08:30:00+09:00',
      '2027-11-29T23:30:00Z',
      '2027-11-14',
    ],
  ])(
    'reads up to the run instant in UTC, %s, and queues every entry due by then however late',
    async (_label, instant, upTo, longAgo) => {
      // Prepare: one entry due at the very instant of the run, one far in the past (more than
      // MAX_LATENESS_DAYS late: the sender, not the planner, calls it stale)
      const { candidates, calls } = fakeCandidates({
        0: [[due('cand-now', upTo)], [due('cand-old', `${longAgo}T00:00:00Z`)]],
        1: [[due('cand-years', '2019-06-01T00:00:00Z')]],
      });
      const { queue, requests } = capturingQueue();

      // Act
      const summary = await planRun(
        { candidates, queue, shards: 2 },
        Temporal.Instant.from(instant),
      );

      // Assess
      expect(calls).toHaveLength(2);
      for (const call of calls) expect(call.upTo).toBe(upTo);
      expect(requests().sort(byCandidate)).toEqual([
        { runAt: upTo, candidateId: 'cand-now' },
        { runAt: upTo, candidateId: 'cand-old' },
        { runAt: upTo, candidateId: 'cand-years' },
      ]);
      expect(summary).toEqual({ runAt: upTo, queries: 3, candidates: 3 });
    },
  );

  it('queues candidates whose entries fall on either side of a year end', async () => {
    // Prepare
    const dueAts = [
      '2027-12-29T00:00:00Z',
      '2027-12-30T09:00:00Z',
      '2027-12-31T23:59:59Z',
      '2028-01-01T00:00:00Z',
      '2028-01-02T13:00:00Z',
    ];
    const { candidates } = fakeCandidates({
      0: [dueAts.map((dueAt, index) => due(`cand-${index}`, dueAt))],
    });
    const { queue, requests } = capturingQueue();

    // Act
    await planRun({ candidates, queue, shards: 1 }, Temporal.Instant.from('2028-01-02T13:00:00Z'));

    // Assess
    expect(requests().map((request) => request.candidateId)).toEqual(
      dueAts.map((_, index) => `cand-${index}`),
    );
  });

  it('queues nothing when nothing is due', async () => {
    // Prepare
    const { candidates } = fakeCandidates();
    const { queue, batches } = capturingQueue();

    // Act
    const summary = await planRun({ candidates, queue, shards: 16 }, runAt);

    // Assess
    expect(batches).toEqual([]);
    expect(summary.candidates).toBe(0);
  });

  it('queues one request per due entry, whatever shard or page it came from', async () => {
    // Prepare: shard 1 answers in two pages, shard 3 in one, the others are empty
    const { candidates } = fakeCandidates({
      1: [[due('cand-a', '2027-11-28T00:00:00Z')], [due('cand-c', '2027-11-29T09:00:00Z')]],
      3: [[due('cand-b', '2027-11-14T00:00:00Z'), due('cand-d', '2027-11-29T13:00:00Z')]],
    });
    const { queue, requests } = capturingQueue();

    // Act
    const summary = await planRun({ candidates, queue, shards: 4 }, runAt);

    // Assess
    expect(requests().sort(byCandidate)).toEqual(
      ['cand-a', 'cand-b', 'cand-c', 'cand-d'].map((candidateId) => ({
        runAt: '2027-11-29T13:00:00Z',
        candidateId,
      })),
    );
    expect(summary).toEqual({ runAt: '2027-11-29T13:00:00Z', queries: 5, candidates: 4 });
  });

  it.each([
    ['a dry run', { dryRun: true }, true],
    ['a real run', { dryRun: false }, undefined],
    ['a run without options', undefined, undefined],
  ])('passes the dry-run flag through on %s', async (_label, options, flag) => {
    // Prepare
    const { candidates } = fakeCandidates({ 0: [[due('cand-a', '2027-11-29T00:00:00Z')]] });
    const { queue, batches } = capturingQueue();

    // Act
    await planRun({ candidates, queue, shards: 1 }, runAt, options);

    // Assess
    expect(batches[0]?.[0]?.dryRun).toBe(flag);
    expect(batches[0]?.[0] && 'dryRun' in batches[0][0]).toBe(flag === true);
  });

  it.each([1, 4, 16])('reads all %i shards at once', async (shards) => {
    // Prepare
    const fake = fakeCandidates();
    const { queue } = capturingQueue();

    // Act
    await planRun({ candidates: fake.candidates, queue, shards }, runAt);

    // Assess
    expect(fake.mostInFlight()).toBe(shards);
    expect(fake.calls).toHaveLength(shards);
  });

  it.each([
    [2, [1, 1, 1], [2, 1]],
    [2, [3], [3]],
    [3, [1, 1, 1, 1], [3, 1]],
    [undefined, [200, 200, 200], [600]],
  ])(
    'with batches of %s, a shard paging %j is queued in batches of %j',
    async (enqueueBatch, pageSizes, batchSizes) => {
      // Prepare
      let next = 0;
      const pages = pageSizes.map((size) =>
        Array.from({ length: size }, () => due(`cand-${++next}`, '2027-11-29T00:00:00Z')),
      );
      const { candidates } = fakeCandidates({ 0: pages });
      const { queue, batches, requests } = capturingQueue();

      // Act
      await planRun(
        {
          candidates,
          queue,
          shards: 1,
          ...(enqueueBatch === undefined ? {} : { enqueueBatch }),
        },
        runAt,
      );

      // Assess
      expect(batches.map((batch) => batch.length)).toEqual(batchSizes);
      expect(requests().map((request) => request.candidateId)).toEqual(
        pages.flat().map((entry) => entry.candidateId),
      );
    },
  );

  it('rejects when a shard cannot be read', async () => {
    // Prepare
    const candidates = {
      // biome-ignore lint/correctness/useYield: a Query that fails before its first page
      async *queryDue(): AsyncIterable<readonly DueEntry[]> {
        throw new Error('query failed');
      },
    };
    const { queue } = capturingQueue();

    // Act
    const planning = planRun({ candidates, queue, shards: 2 }, runAt);

    // Assess
    await expect(planning).rejects.toThrow('query failed');
  });

  it('keeps a run instant already on a whole second as it is', async () => {
    // Prepare
    const { candidates, calls } = fakeCandidates();
    const { queue } = capturingQueue();

    // Act
    const summary = await planRun(
      { candidates, queue, shards: 1 },
      Temporal.Instant.from('2027-11-29T13:00:00Z'),
    );

    // Assess
    expect(summary.runAt).toBe('2027-11-29T13:00:00Z');
    expect(calls).toEqual([{ shard: 0, upTo: '2027-11-29T13:00:00Z' }]);
  });
});
