/**
 * `npm run bench` (SPEC §12): the product's speed and cost, measured in one run on this machine.
 * Every throughput is reported beside a baseline measured in the same run on the same emulator
 * (conditional PutItems at the same concurrency), so a noisy machine still gives comparable
 * ratios. `--json` prints one JSON document on stdout; progress goes to stderr.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { type BaselineFigure, baselineAt, measureBaseline } from './baseline';
import { type BundleFigure, measureBundles } from './bundles';
import { IMPORT_CONCURRENCY, type ImportFigure, measureImport } from './import';
import { INGEST_CONCURRENCY, type IngestFigure, measureIngest } from './ingest';
import { type BenchResults, formatResults } from './report';
import { measureRunCost, type RunCostFigure } from './run-cost';
import { measureSender, type SenderFigure } from './sender';
import { machine, progress, round, startChildEmulator } from './support';

const SECTIONS = ['baseline', 'ingest', 'import', 'run', 'sender', 'bundles'] as const;
type Section = (typeof SECTIONS)[number];

/** Sizes of the two modes; the quick one must finish in under five minutes. */
const SIZES = {
  quick: {
    ingestEvents: 2_000,
    importLines: 20_000,
    runSizes: [10_000, 100_000],
    baselinePuts: 3_000,
    senderEmails: 100,
  },
  full: {
    ingestEvents: 10_000,
    importLines: 100_000,
    runSizes: [10_000, 100_000, 1_000_000],
    baselinePuts: 10_000,
    senderEmails: 200,
  },
};

/** The SES_MAX_SEND_RATE of the sender figure. */
const SEND_RATE = 20;

const positiveInt = (value: string) => {
  const parsed = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError('must be a positive integer');
  return parsed;
};
const intList = (value: string) => value.split(',').map((part) => positiveInt(part.trim()));
const sectionList = (value: string): Section[] => {
  const names = value.split(',').map((part) => part.trim());
  for (const name of names)
    if (!(SECTIONS as readonly string[]).includes(name))
      throw new InvalidArgumentError(`unknown figure ${name}; choose from ${SECTIONS.join(', ')}`);
  return names as Section[];
};

interface Options {
  readonly quick?: boolean;
  readonly json?: boolean;
  readonly only?: Section[];
  readonly ingestEvents?: number;
  readonly importLines?: number;
  readonly runSizes?: number[];
}

const program = new Command('bench')
  .description('Throughput and cost of cert-reminders on the local emulators (SPEC §12).')
  .option('--quick', 'smaller sizes: finishes in under five minutes')
  .option('--json', 'print one JSON document on stdout (progress stays on stderr)')
  .addOption(
    new Option('--only <names>', `comma-separated figures: ${SECTIONS.join(',')}`).argParser(
      sectionList,
    ),
  )
  .option('--ingest-events <n>', 'webhooks posted by the ingest figure', positiveInt)
  .option('--import-lines <n>', 'lines of the import figure’s file', positiveInt)
  .option('--run-sizes <list>', 'comma-separated table sizes of the run figure', intList);

const main = async (options: Options) => {
  const started = performance.now();
  const mode = options.quick ? 'quick' : 'full';
  const sizes = {
    ...SIZES[mode],
    ...(options.ingestEvents ? { ingestEvents: options.ingestEvents } : {}),
    ...(options.importLines ? { importLines: options.importLines } : {}),
    ...(options.runSizes ? { runSizes: options.runSizes } : {}),
  };
  const wanted = new Set<Section>(options.only ?? SECTIONS);
  const errors: Record<string, string> = {};
  /** Runs one figure; a failure is recorded and the other figures still run. */
  const guarded = async <T>(name: string, measure: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await measure();
    } catch (error) {
      errors[name] = (error as Error).message;
      progress(`${name} failed: ${(error as Error).stack ?? error}`);
      return undefined;
    }
  };

  const dir = await mkdtemp(join(tmpdir(), 'cert-reminders-bench-'));
  const dynamodb = await startChildEmulator('dynamodb');
  const ses = await startChildEmulator('ses');
  const endpoints = { dynamodb: dynamodb.url, ses: ses.url };
  progress(`emulators: DynamoDB ${dynamodb.url}, SES ${ses.url} (child processes)`);
  const results: {
    baseline?: BaselineFigure[];
    ingest?: IngestFigure;
    import?: ImportFigure;
    run?: RunCostFigure[];
    sender?: SenderFigure;
    bundles?: BundleFigure[];
  } = {};
  try {
    // Each throughput is measured right after its own baseline, so that a machine whose load
    // changes during the run still gives ratios of like with like.
    const baselines: BaselineFigure[] = [];
    const baselineNow = async (concurrency: number) => {
      const figure = await guarded(`baseline@${concurrency}`, () =>
        measureBaseline(endpoints, concurrency, sizes.baselinePuts),
      );
      if (figure) baselines.push(figure);
      return figure;
    };
    if (wanted.has('baseline') && !wanted.has('ingest') && !wanted.has('import'))
      await baselineNow(INGEST_CONCURRENCY);
    if (wanted.has('ingest')) {
      const baseline = await baselineNow(INGEST_CONCURRENCY);
      results.ingest = await guarded('ingest', () =>
        measureIngest(
          endpoints,
          sizes.ingestEvents,
          baselineAt(baseline ? [baseline] : [], INGEST_CONCURRENCY),
        ),
      );
    }
    if (wanted.has('import')) {
      const baseline = await baselineNow(IMPORT_CONCURRENCY);
      results.import = await guarded('import', () =>
        measureImport(
          endpoints,
          dir,
          sizes.importLines,
          baselineAt(baseline ? [baseline] : [], IMPORT_CONCURRENCY),
        ),
      );
    }
    if (baselines.length > 0) results.baseline = baselines;
    if (wanted.has('run')) {
      const figures: RunCostFigure[] = [];
      for (const size of sizes.runSizes) {
        const figure = await guarded(`run@${size}`, () => measureRunCost(endpoints, size));
        if (figure) figures.push(figure);
      }
      results.run = figures;
    }
    if (wanted.has('sender'))
      results.sender = await guarded('sender', () =>
        measureSender(endpoints, SEND_RATE, sizes.senderEmails),
      );
    if (wanted.has('bundles'))
      results.bundles = await guarded('bundles', () => measureBundles(dir));
  } finally {
    await Promise.all([dynamodb.stop(), ses.stop()]);
    await rm(dir, { recursive: true, force: true });
  }

  const document: BenchResults = {
    benchmark: 'cert-reminders',
    mode,
    date: new Date().toISOString(),
    machine: machine(),
    sizes,
    durationSeconds: round((performance.now() - started) / 1000, 1),
    ...Object.fromEntries(Object.entries(results).filter(([, value]) => value !== undefined)),
    ...(Object.keys(errors).length > 0 ? { errors } : {}),
  };
  process.stdout.write(
    options.json ? `${JSON.stringify(document, null, 2)}\n` : formatResults(document),
  );
  if (Object.keys(errors).length > 0) process.exitCode = 1;
};

program.action(main);
await program.parseAsync();
