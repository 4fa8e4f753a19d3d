import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClientFor } from '../functions/handlers/lambda-runtime';
import { runBounded } from '../functions/use-cases/plan-run';
import { type Endpoints, freshApp, progress, round, secondsSince } from './support';

const WARM_UP_PUTS = 1_000;

/** What the emulator and client manage on their own: conditional puts per second. */
export interface BaselineFigure {
  readonly concurrency: number;
  readonly puts: number;
  readonly seconds: number;
  readonly putsPerSecond: number;
  readonly requestsPerPut: number;
}

/**
 * Conditional `PutItem`s (`attribute_not_exists(pk)`, distinct keys) through the same client
 * factory and document client as the local app, `concurrency` at a time, into a fresh table.
 * Every throughput figure is divided by the baseline at its own concurrency, so that a slow or
 * busy machine moves both alike and the ratio stays comparable.
 */
export const measureBaseline = async (
  endpoints: Endpoints,
  concurrency: number,
  puts: number,
): Promise<BaselineFigure> => {
  progress(`baseline: ${puts} conditional puts, ${concurrency} at a time`);
  const { config, clients, counter } = await freshApp(`baseline-${concurrency}`, endpoints);
  const db = documentClientFor(clients.dynamodb);
  const put = (index: number) => () =>
    db.send(
      new PutCommand({
        TableName: config.tableName,
        Item: { pk: `BENCH#${index}`, sk: 'BENCH', index, at: new Date().toISOString() },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  // A warm-up opens the connections and lets both processes' JIT settle before the clock starts,
  // so the first baseline of a run is not slower for being first.
  await runBounded(
    concurrency,
    Array.from({ length: WARM_UP_PUTS }, (_, index) => put(puts + index)),
  );
  counter.reset();
  const start = performance.now();
  await runBounded(
    concurrency,
    Array.from({ length: puts }, (_, index) => put(index)),
  );
  const seconds = secondsSince(start);
  return {
    concurrency,
    puts,
    seconds: round(seconds),
    putsPerSecond: round(puts / seconds, 1),
    requestsPerPut: round(counter.total() / puts, 3),
  };
};

/** The baseline measured at `concurrency`, or a clear failure when the run did not measure it. */
export const baselineAt = (
  baselines: readonly BaselineFigure[],
  concurrency: number,
): BaselineFigure => {
  const found = baselines.find((baseline) => baseline.concurrency === concurrency);
  if (!found) throw new Error(`no baseline measured at concurrency ${concurrency}`);
  return found;
};
