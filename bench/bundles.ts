import { spawn } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { HandlerName } from '../lib/constructs/reminder-function';
import { HANDLER_NAMES } from '../lib/handler-names';
import { progress, round } from './support';

/** Each function may weigh this much more than a handler that only loads its AWS clients. */
export const BYTES_BUDGET_OVER_BASELINE = 150 * 1024;
/** Each function's init may take this many times the baseline handler's. */
export const INIT_BUDGET_RATIO = 1.5;
/** Cold starts timed per bundle; the median is reported. */
export const COLD_STARTS = 7;

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** How a baseline handler imports and constructs each AWS SDK package a function bundles. */
const SDK_CLIENTS: Record<string, { readonly imports: string; readonly constructs: string }> = {
  'client-dynamodb': {
    imports: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    constructs: 'new DynamoDBClient({})',
  },
  'lib-dynamodb': {
    imports: "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
    constructs: 'DynamoDBDocumentClient.from(new DynamoDBClient({}))',
  },
  'client-secrets-manager': {
    imports: "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';",
    constructs: 'new SecretsManagerClient({})',
  },
  'client-sesv2': {
    imports: "import { SESv2Client } from '@aws-sdk/client-sesv2';",
    constructs: 'new SESv2Client({})',
  },
  'client-sqs': {
    imports: "import { SQSClient } from '@aws-sdk/client-sqs';",
    constructs: 'new SQSClient({})',
  },
};

/**
 * The AWS SDK packages each function calls, as granted by its role in
 * `lib/stacks/stateless-stack.ts`: the baseline handler loads exactly these. A package a bundle
 * holds beyond them is reported as `unusedClients` rather than added to the baseline, so that
 * carrying an SDK client for nothing counts against the function's budget.
 */
const USED_CLIENTS: Record<HandlerName, readonly string[]> = {
  ingest: ['client-dynamodb', 'lib-dynamodb', 'client-secrets-manager'],
  planner: ['client-dynamodb', 'lib-dynamodb', 'client-sqs'],
  // sender, ses-events and unsubscribe queue outbound webhooks on SQS when they are on (SPEC §8);
  // ses-events then reads the unsubscribe secret to name the candidate of a bounced email.
  sender: [
    'client-dynamodb',
    'lib-dynamodb',
    'client-sesv2',
    'client-secrets-manager',
    'client-sqs',
  ],
  'ses-events': ['client-dynamodb', 'lib-dynamodb', 'client-secrets-manager', 'client-sqs'],
  unsubscribe: ['client-dynamodb', 'lib-dynamodb', 'client-secrets-manager', 'client-sqs'],
  outbound: ['client-sqs', 'client-secrets-manager'],
};

export interface BundleFigure {
  readonly name: string;
  /** AWS SDK packages the function calls; the baseline loads exactly these. */
  readonly clients: readonly string[];
  /** AWS SDK packages found in the bundle that the function does not call. */
  readonly unusedClients: readonly string[];
  readonly bytes: number;
  readonly baselineBytes: number;
  readonly budgetBytes: number;
  readonly withinBudget: boolean;
  readonly initMs: number;
  readonly baselineInitMs: number;
  readonly initRatio: number;
  readonly initWithinBudget: boolean;
}

/**
 * Bundles `entry` with the options of the CDK construct (`lib/constructs/reminder-function.ts`):
 * minified ES module for Node.js 24 in UTF-8, source map beside it, nothing external (the AWS SDK
 * bundled).
 */
const bundle = async (entry: string, outfile: string) => {
  const result = await build({
    entryPoints: [entry],
    outfile,
    absWorkingDir: ROOT,
    nodePaths: [join(ROOT, 'node_modules')],
    bundle: true,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    charset: 'utf8',
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
    },
    external: [],
    metafile: true,
    logLevel: 'error',
  });
  const sdkPackages = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /node_modules\/@aws-sdk\/((?:client-[a-z0-9-]+)|lib-dynamodb)\//.exec(input);
    if (match?.[1]) sdkPackages.add(match[1]);
  }
  return { bytes: (await stat(outfile)).size, sdkPackages: [...sdkPackages].sort() };
};

/** Milliseconds the `import()` of `file` takes in a fresh Node process, measured inside it. */
const coldStart = (file: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const script =
      'const t = performance.now(); await import(process.env.BENCH_MODULE); process.stdout.write(String(performance.now() - t));';
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        ...process.env,
        BENCH_MODULE: pathToFileURL(file).href,
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(Number(out)) : reject(new Error(`import of ${file} exited ${code}`)),
    );
  });

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** A handler that only imports and constructs `packages`, written into `dir`. */
const writeBaselineEntry = async (dir: string, packages: readonly string[]) => {
  const known = packages.map((name) => {
    const client = SDK_CLIENTS[name];
    if (!client)
      throw new Error(`bench/bundles.ts does not know how to construct @aws-sdk/${name}`);
    return client;
  });
  // The document client needs the DynamoDB client's import even when listed alone.
  const imports = new Set(known.map((client) => client.imports));
  if (packages.includes('lib-dynamodb')) imports.add(SDK_CLIENTS['client-dynamodb']?.imports ?? '');
  const entry = join(dir, `baseline-${packages.join('+') || 'none'}.mjs`);
  await writeFile(
    entry,
    `${[...imports].join('\n')}\nconst clients = [${known.map((client) => client.constructs).join(', ')}];\nexport const handler = async () => ({ clients: clients.length });\n`,
  );
  return entry;
};

/**
 * Bytes and cold-start init time of every function's bundle beside a baseline handler that only
 * loads the same AWS SDK clients, with each function's budgets.
 */
export const measureBundles = async (dir: string): Promise<BundleFigure[]> => {
  const built = [];
  const baselines = new Map<string, { file: string; bytes: number }>();
  for (const name of HANDLER_NAMES) {
    progress(`bundles: ${name}`);
    const file = join(dir, `${name}.mjs`);
    const { bytes, sdkPackages } = await bundle(join(ROOT, `functions/handlers/${name}.ts`), file);
    const used = [...USED_CLIENTS[name]].sort();
    const key = used.join('+');
    if (!baselines.has(key)) {
      const baselineFile = join(dir, `baseline-${key || 'none'}-bundle.mjs`);
      const result = await bundle(await writeBaselineEntry(dir, used), baselineFile);
      baselines.set(key, { file: baselineFile, bytes: result.bytes });
    }
    built.push({
      name,
      file,
      bytes,
      used,
      unused: sdkPackages.filter((client) => !used.includes(client)),
      baseline: baselines.get(key) as { file: string; bytes: number },
    });
  }
  const figures: BundleFigure[] = [];
  for (const fn of built) {
    progress(`bundles: ${COLD_STARTS} cold starts of ${fn.name} and its baseline`);
    const own: number[] = [];
    const base: number[] = [];
    // Alternated, so that a noisy moment weighs on both alike.
    for (let run = 0; run < COLD_STARTS; run += 1) {
      own.push(await coldStart(fn.file));
      base.push(await coldStart(fn.baseline.file));
    }
    const initMs = median(own);
    const baselineInitMs = median(base);
    const budgetBytes = fn.baseline.bytes + BYTES_BUDGET_OVER_BASELINE;
    figures.push({
      name: fn.name,
      clients: fn.used,
      unusedClients: fn.unused,
      bytes: fn.bytes,
      baselineBytes: fn.baseline.bytes,
      budgetBytes,
      withinBudget: fn.bytes <= budgetBytes,
      initMs: round(initMs, 1),
      baselineInitMs: round(baselineInitMs, 1),
      initRatio: round(initMs / baselineInitMs, 2),
      initWithinBudget: initMs <= baselineInitMs * INIT_BUDGET_RATIO,
    });
  }
  return figures;
};
