import type { BaselineFigure } from './baseline';
import type { BundleFigure } from './bundles';
import type { ImportFigure } from './import';
import type { IngestFigure } from './ingest';
import type { RunCostFigure } from './run-cost';
import type { SenderFigure } from './sender';
import type { Machine } from './support';

/** The figures of one `npm run bench`: what `--json` prints and the table is made of. */
export interface BenchResults {
  readonly benchmark: 'cert-reminders';
  readonly mode: 'quick' | 'full';
  readonly date: string;
  readonly machine: Machine;
  readonly sizes: {
    readonly ingestEvents: number;
    readonly importLines: number;
    readonly runSizes: readonly number[];
    readonly baselinePuts: number;
    readonly senderEmails: number;
  };
  readonly durationSeconds: number;
  readonly baseline?: readonly BaselineFigure[];
  readonly ingest?: IngestFigure;
  readonly import?: ImportFigure;
  readonly run?: readonly RunCostFigure[];
  readonly sender?: SenderFigure;
  readonly bundles?: readonly BundleFigure[];
  /** Figures that could not be measured, with why. */
  readonly errors?: Readonly<Record<string, string>>;
}

const int = (value: number) => Math.round(value).toLocaleString('en-GB');
const num = (value: number, digits = 1) =>
  Number.isFinite(value) ? value.toLocaleString('en-GB', { maximumFractionDigits: digits }) : '-';
const kb = (bytes: number) => `${num(bytes / 1024, 1)} KB`;

/** Left-aligned columns, two spaces apart. */
const table = (rows: ReadonlyArray<readonly string[]>): string[] => {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
};

/** The results as the text table `npm run bench` prints. */
export const formatResults = (results: BenchResults): string => {
  const { machine } = results;
  const lines = [
    `cert-reminders bench (${results.mode}), ${results.date}`,
    `machine: ${machine.cores} cores (${machine.cpu}), ${num(machine.memoryBytes / 2 ** 30, 1)} GiB, Node.js ${machine.node}, ${machine.os}`,
    `took ${num(results.durationSeconds, 0)} s`,
    '',
  ];
  if (results.baseline) {
    lines.push("baseline: conditional PutItems through the app's client");
    lines.push(
      ...table([
        ['concurrency', 'puts', 'puts/s', 'requests/put'],
        ...results.baseline.map((b) => [
          String(b.concurrency),
          int(b.puts),
          num(b.putsPerSecond),
          num(b.requestsPerPut, 2),
        ]),
      ]),
      '',
    );
  }
  const { ingest } = results;
  if (ingest) {
    lines.push(
      `ingest: ${int(ingest.events)} signed webhooks over HTTP, ${ingest.concurrency} senders`,
    );
    lines.push(
      ...table([
        ['events/s', 'baseline puts/s', 'ratio', 'requests/event', 'p50 ms', 'p99 ms', '202s'],
        [
          num(ingest.eventsPerSecond),
          num(ingest.baselinePutsPerSecond),
          num(ingest.ratio, 3),
          num(ingest.requestsPerEvent, 2),
          num(ingest.latencyMs.p50),
          num(ingest.latencyMs.p99),
          `${int(ingest.accepted)} of ${int(ingest.events)}`,
        ],
      ]),
      '',
    );
  }
  const imported = results.import;
  if (imported) {
    lines.push(
      `import: ${int(imported.lines)} lines for ${int(imported.candidates)} candidates, ${imported.concurrency} at a time`,
    );
    lines.push(
      ...table([
        ['lines/s', 'baseline puts/s', 'ratio', 'requests/line', 'imported', 'rejected'],
        [
          num(imported.linesPerSecond),
          num(imported.baselinePutsPerSecond),
          num(imported.ratio, 3),
          num(imported.requestsPerLine, 2),
          int(imported.imported),
          int(imported.rejected),
        ],
      ]),
      '',
    );
  }
  if (results.run) {
    lines.push('run: one real run per table size (planner, queue, sender, SES emulator)');
    lines.push(
      ...table([
        [
          'candidates',
          'due',
          'emails',
          'planner req',
          'sender req',
          'req/emailed',
          'Scan req',
          'Scan items',
          'Scan bytes',
        ],
        ...results.run.map((r) => [
          int(r.candidates),
          int(r.due),
          int(r.emailsSent),
          int(r.plannerRequests),
          int(r.senderRequests),
          num(r.requestsPerEmailedCandidate, 2),
          int(r.scanPlanner.requests),
          int(r.scanPlanner.itemsScanned),
          int(r.scanPlanner.bytesScanned),
        ]),
      ]),
      '',
    );
  }
  const { sender } = results;
  if (sender) {
    lines.push(
      `sender: ${int(sender.sent)} emails, SES_MAX_SEND_RATE=${sender.configuredRate}, achieved ${num(sender.achievedRate, 2)}/s after the first second (ratio ${num(sender.ratio, 3)}, at most ~1)`,
      '',
    );
  }
  if (results.bundles) {
    lines.push('bundles: minified, AWS SDK bundled; budget = baseline + 150 KB, init budget 1.5x');
    lines.push(
      ...table([
        [
          'function',
          'bytes',
          'baseline',
          'budget',
          'within',
          'init ms',
          'baseline ms',
          'ratio',
          'within',
        ],
        ...results.bundles.map((b) => [
          b.name,
          kb(b.bytes),
          kb(b.baselineBytes),
          kb(b.budgetBytes),
          b.withinBudget ? 'yes' : 'no',
          num(b.initMs),
          num(b.baselineInitMs),
          num(b.initRatio, 2),
          b.initWithinBudget ? 'yes' : 'no',
          b.unusedClients.join(' ') || '-',
        ]),
      ]),
      '',
    );
  }
  for (const [name, error] of Object.entries(results.errors ?? {}))
    lines.push(`${name}: not measured: ${error}`);
  return `${lines.join('\n').trimEnd()}\n`;
};
