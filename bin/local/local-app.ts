import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Temporal } from 'temporal-polyfill';
import { ensureTable } from '../../functions/adapters/dynamodb/create-table';
import { createInProcessQueue } from '../../functions/adapters/in-process-queue';
import { formatInstant } from '../../functions/domain/calendar';
import type { RuleSettings } from '../../functions/domain/rule-settings';
import { storesFor } from '../../functions/handlers/composition';
import { buildIngestDeps, MAX_BODY_BYTES, makeIngest } from '../../functions/handlers/ingest';
import { buildOutboundDeps } from '../../functions/handlers/outbound';
import { buildPlannerDeps, makePlanner } from '../../functions/handlers/planner';
import { buildSenderDeps, makeSender } from '../../functions/handlers/sender';
import { buildSesEventsDeps, makeSesEvents } from '../../functions/handlers/ses-events';
import { buildUnsubscribeDeps, makeUnsubscribe } from '../../functions/handlers/unsubscribe';
import { dispatch, servedBy } from '../../functions/http/dispatch';
import { ROUTES } from '../../functions/http/routes';
import { createCandidateReader } from '../../functions/use-cases/candidate-record';
import { quietOutbound } from '../../functions/use-cases/outbound-delivery';
import { type Clock, type SendRequest, systemClock } from '../../functions/use-cases/ports';
import type {
  CandidateRunReport,
  SentEmail,
  SkippedReminder,
} from '../../functions/use-cases/send-candidate-reminders';
import { RuntimeFailure } from '../cli/cli-errors';
import type { LocalConfig } from './local-config';
import { createLocalOutbox } from './local-outbox';
import type { LocalSecrets } from './local-secrets';
import { withMailboxSimulator } from './mailbox-simulator';

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
  readonly secrets: Pick<
    LocalSecrets,
    'webhookSecrets' | 'unsubscribeSecrets' | 'outboundWebhookSecrets'
  >;
  readonly clients: { readonly dynamodb: DynamoDBClient; readonly ses: SESv2Client };
  readonly log?: (message: string) => void;
  /** The wall clock (tests move it to expire claim leases). */
  readonly clock?: Clock;
  /** How long after a send the mailbox simulator's notification arrives (default 200 ms). */
  readonly simulatorDelayMs?: number;
  /** The outbound receiver's time-out per attempt (default 10 s, SPEC §8). */
  readonly outboundTimeoutMs?: number;
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
  // The very composition roots of the Lambda functions; the local stack adds only transports.
  const runtime = { ...config.runtime, settings };
  const sources = { dynamodb: clients.dynamodb, clock };
  const stores = storesFor(runtime, sources);
  const store = createCandidateReader({ candidates: stores.candidates, settings });
  const ingest = makeIngest(
    buildIngestDeps(runtime, {
      ...sources,
      webhookSecrets: async () => secrets.webhookSecrets,
      log: {
        info: () => {},
        error: (message, error) => options.log?.(`${message}: ${error.message}`),
      },
    }),
  );
  // SQS's part for outbound webhooks: the outbox in the table, when OUTBOUND_WEBHOOK_URL is set.
  const outbox = runtime.outboundWebhookUrl
    ? createLocalOutbox({ dynamodb: clients.dynamodb, tableName: runtime.tableName, clock })
    : undefined;
  const outbound = outbox
    ? quietOutbound(outbox, (error, messages) =>
        options.log?.(
          `Outbound: ${messages.length} event(s) not queued: ${(error as Error).message}`,
        ),
      )
    : undefined;
  const outboundSource = outbound ? { outbound } : {};
  const unsubscribe = makeUnsubscribe(
    buildUnsubscribeDeps(runtime, {
      ...sources,
      unsubscribeSecrets: async () => secrets.unsubscribeSecrets,
      ...outboundSource,
    }),
  );
  // SNS's part: SES notifications go to the ses-events handler (here, from the mailbox simulator).
  const sesEvents = makeSesEvents(
    buildSesEventsDeps(runtime, {
      ...sources,
      unsubscribeSecrets: async () => secrets.unsubscribeSecrets,
      log: {
        info: () => {},
        warn: (message) =>
          options.log?.(typeof message === 'string' ? message : String(message.message)),
      },
      ...outboundSource,
    }),
  );
  // Built once, so its rate limiter spans every run.
  const lambdaSenderDeps = buildSenderDeps(runtime, {
    ...sources,
    ses: clients.ses,
    unsubscribeSecrets: async () => secrets.unsubscribeSecrets,
    ...outboundSource,
  });
  // SES's mailbox simulator: the email still reaches the SES emulator, then SES's notification.
  const mailer = withMailboxSimulator(lambdaSenderDeps.mailer, {
    notify: sesEvents,
    clock,
    ...(options.simulatorDelayMs === undefined ? {} : { delayMs: options.simulatorDelayMs }),
    ...(options.log ? { log: options.log } : {}),
  });
  const senderDeps = { ...lambdaSenderDeps, mailer };
  // The outbound function's part: what the local worker delivers the outbox with.
  const outboundDelivery =
    outbox && secrets.outboundWebhookSecrets
      ? {
          outbox,
          endpoint: buildOutboundDeps(runtime, {
            secrets: async () => secrets.outboundWebhookSecrets ?? [],
            retryLater: async () => {},
            clock,
            ...(options.outboundTimeoutMs ? { timeoutMs: options.outboundTimeoutMs } : {}),
          }).endpoint,
        }
      : undefined;

  // API Gateway's part: the route table sends each request to the function that serves it.
  const route = dispatch(ROUTES, servedBy(ROUTES, { ingest, unsubscribe }));

  const run = async (
    runAt: Temporal.Instant,
    runOptions: { readonly dryRun?: boolean } = {},
  ): Promise<RunReport> => {
    const reports: CandidateRunReport[] = [];
    const deadLettered: SendRequest[] = [];
    const sender = makeSender({ ...senderDeps, onReport: (report) => reports.push(report) });
    const queue = createInProcessQueue(sender, {
      clock,
      onDeadLetter: (request) => deadLettered.push(request),
    });
    const planner = makePlanner(buildPlannerDeps(runtime, { ...sources, queue }));
    const summary = await planner({
      runAt: formatInstant(runAt),
      ...(runOptions.dryRun ? { dryRun: true } : {}),
    });
    // The simulator's notifications of this run's emails are part of what the run did.
    await mailer.settled();
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
    sesEvents,
    mailer,
    outbound: outboundDelivery,
    clock,
    now: () => Temporal.Instant.fromEpochMilliseconds(clock.now().getTime()),
  };
};

export type LocalApp = ReturnType<typeof createLocalApp>;
