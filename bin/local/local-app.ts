import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Temporal } from 'temporal-polyfill';
import { ensureTable } from '../../functions/adapters/dynamodb/create-table';
import { createDynamoStores } from '../../functions/adapters/dynamodb/dynamo-stores';
import { TABLE_DESIGN } from '../../functions/adapters/dynamodb/table-design';
import { createInProcessQueue } from '../../functions/adapters/in-process-queue';
import {
  classifySesError,
  createRateLimiter,
  createSesMailer,
  withRateLimit,
} from '../../functions/adapters/ses-mailer';
import { formatInstant } from '../../functions/domain/calendar';
import type { RuleSettings } from '../../functions/domain/rule-settings';
import type { HttpEvent, HttpResult } from '../../functions/handlers/http-response';
import { MAX_BODY_BYTES, makeIngest } from '../../functions/handlers/ingest';
import { documentClientFor } from '../../functions/handlers/lambda-runtime';
import { makePlanner } from '../../functions/handlers/planner';
import { makeSender } from '../../functions/handlers/sender';
import { makeUnsubscribe } from '../../functions/handlers/unsubscribe';
import { createCandidateReader } from '../../functions/use-cases/candidate-record';
import { type Clock, type SendRequest, systemClock } from '../../functions/use-cases/ports';
import type {
  CandidateRunReport,
  SentEmail,
  SkippedReminder,
} from '../../functions/use-cases/send-candidate-reminders';
import { RuntimeFailure } from '../cli/cli-errors';
import type { LocalConfig } from './local-config';
import type { LocalSecrets } from './local-secrets';

export { MAX_BODY_BYTES };

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** SDK clients for the local emulators: short timeouts so a missing stack is reported at once. */
export const localClients = (config: LocalConfig) => ({
  dynamodb: new DynamoDBClient({
    endpoint: config.dynamodbEndpoint,
    region: config.awsRegion,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 2000, requestTimeout: 30_000 }),
  }),
  ses: new SESv2Client({
    endpoint: config.sesEndpoint,
    region: config.awsRegion,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 2000, requestTimeout: 30_000 }),
  }),
});

/** SDK clients for the deployed stack (`--target aws`): default credentials and region. */
export const awsClients = () => ({ dynamodb: new DynamoDBClient({}), ses: new SESv2Client({}) });

const isConnectionFailure = (error: unknown) => {
  const text = `${(error as Error)?.name ?? ''} ${(error as Error)?.message ?? ''} ${String((error as { code?: string })?.code ?? '')}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|TimeoutError|socket hang up/i.test(
    text,
  );
};

/**
 * Checks that DynamoDB answers at the endpoint and the table is there; locally it creates a
 * missing table, against AWS it only reports.
 */
export const connectTable = async (
  client: DynamoDBClient,
  tableName: string,
  where: { readonly label: string; readonly create: boolean },
): Promise<void> => {
  try {
    if (where.create) await ensureTable(client, tableName);
    else await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (isConnectionFailure(error)) {
      throw new RuntimeFailure(
        `nothing answers at ${where.label}: start the local stack with \`npm start\` or set DYNAMODB_ENDPOINT`,
      );
    }
    if ((error as Error).name === 'ResourceNotFoundException') {
      throw new RuntimeFailure(`table ${tableName} does not exist at ${where.label}`);
    }
    throw new RuntimeFailure(`DynamoDB at ${where.label} failed: ${(error as Error).message}`);
  }
};

/** What one run did: SPEC §5 `run` JSON plus failures. */
export interface RunReport {
  readonly runAt: string;
  readonly dryRun: boolean;
  readonly emails: readonly SentEmail[];
  readonly skipped: readonly SkippedReminder[];
  readonly failed: ReadonlyArray<{ readonly candidateId: string; readonly error: string }>;
  /** Candidates the planner found due. */
  readonly dueCandidates: number;
}

export interface LocalAppOptions {
  readonly config: LocalConfig;
  readonly settings: RuleSettings;
  readonly secrets: Pick<LocalSecrets, 'webhookSecrets' | 'unsubscribeSecrets'>;
  readonly clients: { readonly dynamodb: DynamoDBClient; readonly ses: SESv2Client };
  readonly log?: (message: string) => void;
  /** The wall clock (tests move it to expire claim leases). */
  readonly clock?: Clock;
}

/**
 * Wires the Lambda handlers and use cases for this machine: the same `make…` factories the
 * Lambda entry points use, with the emulators as AWS, the in-process queue as SQS and an HTTP
 * route table as API Gateway.
 *
 * @example
 * const app = createLocalApp({ config, settings, secrets, clients: localClients(config) });
 * const report = await app.run(Temporal.Instant.from('2027-11-29T13:00:00Z'));
 */
export const createLocalApp = (options: LocalAppOptions) => {
  const { config, settings, secrets, clients } = options;
  const clock = options.clock ?? systemClock;
  const stores = createDynamoStores({
    documentClient: documentClientFor(clients.dynamodb),
    tableName: config.tableName,
  });
  const store = createCandidateReader({ candidates: stores.candidates, settings });
  const ingest = makeIngest({
    stores,
    settings,
    clock,
    webhookSecrets: async () => secrets.webhookSecrets,
    log: {
      info: () => {},
      error: (message, error) => options.log?.(`${message}: ${error.message}`),
    },
  });
  const unsubscribe = makeUnsubscribe({
    stores,
    settings,
    clock,
    unsubscribeSecrets: async () => secrets.unsubscribeSecrets,
  });
  const mailer = withRateLimit(
    createSesMailer({ client: clients.ses }),
    createRateLimiter(config.sesMaxSendRate),
  );

  const route = (event: HttpEvent): Promise<HttpResult> | undefined => {
    const path = event.rawPath.replace(/\/+$/, '');
    if (path.startsWith('/v1/')) return ingest(event);
    if (path === '/unsubscribe') return unsubscribe(event);
    return undefined;
  };

  const run = async (
    runAt: Temporal.Instant,
    runOptions: { readonly dryRun?: boolean } = {},
  ): Promise<RunReport> => {
    const reports: CandidateRunReport[] = [];
    const deadLettered: SendRequest[] = [];
    const sender = makeSender({
      stores,
      settings,
      clock,
      claimLeaseSeconds: config.claimLeaseSeconds,
      mailer,
      classifyFailure: classifySesError,
      emailFrom: config.emailFrom,
      publicUrl: config.publicUrl,
      unsubscribeSecrets: async () => secrets.unsubscribeSecrets,
      onReport: (report) => reports.push(report),
    });
    const queue = createInProcessQueue(sender, {
      onDeadLetter: (request) => deadLettered.push(request),
    });
    const planner = makePlanner({
      candidates: stores.candidates,
      runs: stores.runs,
      clock,
      queue,
      shards: TABLE_DESIGN.dueShards,
    });
    const summary = await planner({
      runAt: formatInstant(runAt),
      ...(runOptions.dryRun ? { dryRun: true } : {}),
    });
    const byCandidate = (a: { candidateId: string }, b: { candidateId: string }) =>
      a.candidateId < b.candidateId ? -1 : a.candidateId > b.candidateId ? 1 : 0;
    return {
      runAt: summary.runAt,
      dryRun: runOptions.dryRun === true,
      emails: reports.flatMap((report) => (report.email ? [report.email] : [])).sort(byCandidate),
      skipped: reports.flatMap((report) => report.skipped).sort(byCandidate),
      failed: [
        ...reports.flatMap((report) =>
          report.failure ? [{ candidateId: report.candidateId, error: report.failure }] : [],
        ),
        ...deadLettered.map((request) => ({
          candidateId: request.candidateId,
          error: 'SES kept failing; will retry on the next run',
        })),
      ],
      dueCandidates: summary.candidates,
    };
  };

  return {
    stores,
    store,
    ingest,
    unsubscribe,
    route,
    run,
    clock,
    now: () => Temporal.Instant.fromEpochMilliseconds(clock.now().getTime()),
  };
};

export type LocalApp = ReturnType<typeof createLocalApp>;
