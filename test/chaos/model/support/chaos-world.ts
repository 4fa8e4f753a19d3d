import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import {
  type DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import {
  AccountSuspendedException,
  BadRequestException,
  LimitExceededException,
  MessageRejected,
  SendingPausedException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type fc from 'fast-check';
import { inject } from 'vitest';
import { connectTable, createLocalApp, localClients } from '../../../../bin/local/local-app';
import { localConfigFromEnv } from '../../../../bin/local/local-config';
import { candidateKey, shardOf } from '../../../../functions/adapters/dynamodb/item-keys';
import { TABLE_DESIGN } from '../../../../functions/adapters/dynamodb/table-design';
import { createInProcessQueue } from '../../../../functions/adapters/in-process-queue';
import { classifySesError, createSesMailer } from '../../../../functions/adapters/ses-mailer';
import { signWebhook } from '../../../../functions/adapters/webhook-signature';
import {
  DEFAULT_RULE_SETTINGS,
  type RuleSettings,
} from '../../../../functions/domain/rule-settings';
import { createUnsubscribeToken } from '../../../../functions/domain/unsubscribe-token';
import type { HttpResult } from '../../../../functions/handlers/http-response';
import { documentClientFor } from '../../../../functions/handlers/lambda-runtime';
import { makePlanner } from '../../../../functions/handlers/planner';
import { makeSender } from '../../../../functions/handlers/sender';
import type {
  CandidateRepository,
  Clock,
  Mailer,
  SendQueue,
  SendRequest,
} from '../../../../functions/use-cases/ports';
import type { CandidateRunReport } from '../../../../functions/use-cases/send-candidate-reminders';
import { httpEvent } from '../../../integration/support/harness';

/**
 * The system under test, as the local app wires it (the same handlers as Lambda), with every
 * outside dependency wrapped so that a fault can strike at any step:
 *
 * - DynamoDB: a middleware on the real SDK client (against the emulator) that can fail a request
 *   before it is sent (nothing written), throttle it, let a write land and then answer with a
 *   time-out, or crash the calling process before or after its request;
 * - SES: a wrapper around the Mailer port (in front of the real SES adapter and emulator) that can
 *   fail the send as the account's fault, reject the message, or let SES accept it and crash the
 *   process before it records the send;
 * - the send queue: an SQS stand-in that keeps what the planner queued and delivers it to the real
 *   sender handler (through the in-process queue: redelivery, dead letters) duplicated, reordered
 *   or late;
 * - the wall clock: virtual, moved only by the test (claim leases are judged on it).
 *
 * A "process" is one Lambda invocation (an ingest request, an unsubscribe, a planner run, one
 * sender delivery). It is tracked with AsyncLocalStorage; once it crashes every further request
 * it makes fails, so a crash really stops it where it struck.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sesEndpoint: string;
  }
}

export const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const UNSUBSCRIBE_SECRET = 'chaos-unsubscribe-secret';
/** `CLAIM_LEASE_SECONDS` of the chaos app: short, and only the virtual clock moves it. */
export const LEASE_SECONDS = 30;

/** Thrown where a process dies; nothing it does after that reaches DynamoDB or SES. */
export class Crash extends Error {
  override readonly name = 'ChaosCrash';
}

export const FAULT_KINDS = [
  'db.fail-before-write',
  'db.timeout-after-write',
  'db.throttle',
  'ses.account',
  'ses.reject',
  'crash.before-request',
  'crash.after-write',
  'crash.after-send',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One planned fault: it strikes the `at`-th operation of its kind within one command. */
export interface FaultSpec {
  readonly kind: FaultKind;
  readonly at: number;
  readonly variant: number;
}

const REQUEST_FAULTS: readonly FaultKind[] = ['db.throttle', 'crash.before-request'];
const SEND_FAULTS: readonly FaultKind[] = ['ses.account', 'ses.reject', 'crash.after-send'];

export type ProcessKind = 'ingest' | 'unsubscribe' | 'planner' | 'sender' | 'cleanup';

/** An email SES accepted, with the reminder keys the sender had claimed for it. */
export interface AcceptedEmail {
  readonly messageId: string;
  readonly keys: readonly string[];
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly runAt: string;
  readonly candidateId: string;
  readonly processId: number;
  readonly seq: number;
  /** Whether the sender recorded it: `crash` is the documented window (SPEC §1). */
  outcome: 'pending' | 'recorded' | 'crash' | 'unrecorded';
}

export interface ChaosProcess {
  readonly id: number;
  readonly kind: ProcessKind;
  readonly startSeq: number;
  readonly request?: SendRequest;
  dead: boolean;
  /** Faults that struck this process, by kind. */
  readonly faults: string[];
  token?: string;
  claimedKeys?: readonly string[];
  unrecorded: AcceptedEmail[];
  readonly reports: CandidateRunReport[];
  failed: boolean;
  endSeq?: number;
  /** What the test handed the delivery over with (a race tells its runs apart by it). */
  tag?: unknown;
}

/** Queue faults of one run: the order of delivery, duplicates and late copies. */
export interface QueueFaults {
  /** 0: as queued; 1: reversed; 2+: shuffled with this seed. */
  readonly order: number;
  /** Bit i: message i is delivered twice. */
  readonly duplicates: number;
  /** Bit i: a copy of message i is held back and delivered at the next run (or the heal). */
  readonly delays: number;
}

/** What a scenario wants to hear from the world. */
export interface WorldObserver {
  deliveryStarted(process: ChaosProcess): void;
  deliveryEnded(process: ChaosProcess): void;
  accepted(email: AcceptedEmail, process: ChaosProcess): void;
  rejected(keys: readonly string[]): void;
  faultFired(kind: string, process: ChaosProcess): void;
}

const storage = new AsyncLocalStorage<ChaosProcess>();
export const currentProcess = (): ChaosProcess | undefined => storage.getStore();

const isWriteCommand = (name: string) => /^(Put|Update|Delete|BatchWrite|TransactWrite)/.test(name);
const namesCandidateItem = (input: unknown) => JSON.stringify(input ?? null).includes('"CAND#');

const timeoutError = () =>
  Object.assign(new Error('chaos: the request timed out after the write landed'), {
    name: 'TimeoutError',
    $metadata: {},
  });

const SES_ACCOUNT_FAILURES: ReadonlyArray<readonly [string, () => Error]> = [
  [
    'TooManyRequestsException',
    () =>
      new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', $metadata: {} }),
  ],
  [
    'AccountSuspendedException',
    () =>
      new AccountSuspendedException({
        message: 'Your account has been suspended.',
        $metadata: { httpStatusCode: 400 },
      }),
  ],
  [
    'SendingPausedException',
    () =>
      new SendingPausedException({
        message: 'Sending is paused for this account.',
        $metadata: { httpStatusCode: 400 },
      }),
  ],
  [
    'MessageRejected(not verified)',
    () =>
      new MessageRejected({
        message:
          'Email address is not verified. The following identities failed the check in region US-EAST-1: reminders@example.com',
        $metadata: { httpStatusCode: 400 },
      }),
  ],
  [
    'LimitExceededException',
    () =>
      new LimitExceededException({
        message: 'Daily message quota exceeded.',
        $metadata: { httpStatusCode: 400 },
      }),
  ],
  [
    'ECONNRESET',
    () => Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' }),
  ],
];

const SES_MESSAGE_REJECTIONS: ReadonlyArray<readonly [string, () => Error]> = [
  [
    'MessageRejected',
    () => new MessageRejected({ message: 'Illegal address', $metadata: { httpStatusCode: 400 } }),
  ],
  [
    'BadRequestException',
    () =>
      new BadRequestException({
        message: 'Invalid recipient address',
        $metadata: { httpStatusCode: 400 },
      }),
  ],
];

/** A wall clock that stands still until the test moves it. */
export interface VirtualClock extends Clock {
  advance(milliseconds: number): void;
}

export const createVirtualClock = (start: Date = new Date()): VirtualClock => {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (milliseconds) => {
      now += milliseconds;
    },
  };
};

let worldSequence = 0;

/**
 * One table on the shared emulators and the app wired to it through the fault injectors. The
 * scenarios of a test file share it; each uses its own candidate ids.
 */
export const createChaosWorld = async (options: { readonly label: string }) => {
  const tableName = `chaos-${options.label}-${randomUUID()}`;
  const config = localConfigFromEnv({
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
    SES_ENDPOINT: inject('sesEndpoint'),
    SES_MAX_SEND_RATE: '1000',
    PUBLIC_URL: 'http://127.0.0.1:3999',
    CLAIM_LEASE_SECONDS: String(LEASE_SECONDS),
  });
  const clients = localClients(config);
  const settings: RuleSettings = { ...DEFAULT_RULE_SETTINGS };
  const clock = createVirtualClock();

  let seq = 0;
  let processIds = 0;
  let plan: FaultSpec[] = [];
  const counters = { requests: 0, writes: 0, sends: 0 };
  let observer: WorldObserver | undefined;
  let scheduler: fc.Scheduler | undefined;
  /** Candidate ids whose messages are delivered (other scenarios' are not). */
  let scenarioIds = new Set<string>();
  let scenarioShards = new Set<number>();

  const figures = {
    faults: new Map<string, number>(),
    requests: 0,
    processes: 0,
    crashes: 0,
    deadLetters: 0,
  };
  const count = (map: Map<string, number>, key: string, by = 1) =>
    map.set(key, (map.get(key) ?? 0) + by);

  const nextSeq = () => {
    seq += 1;
    return seq;
  };

  const newProcess = (kind: ProcessKind, request?: SendRequest): ChaosProcess => {
    processIds += 1;
    figures.processes += 1;
    return {
      id: processIds,
      kind,
      startSeq: nextSeq(),
      ...(request ? { request } : {}),
      dead: false,
      faults: [],
      unrecorded: [],
      reports: [],
      failed: false,
    };
  };

  const fire = (spec: FaultSpec, process: ChaosProcess, label: string = spec.kind) => {
    process.faults.push(label);
    count(figures.faults, label);
    observer?.faultFired(label, process);
  };

  /** The planned fault, if any, for the operation with this index in its category. */
  const take = (kinds: readonly FaultKind[], index: number): FaultSpec | undefined => {
    const found = plan.findIndex((spec) => kinds.includes(spec.kind) && spec.at === index);
    if (found < 0) return undefined;
    const [spec] = plan.splice(found, 1);
    return spec;
  };

  const die = (process: ChaosProcess) => {
    if (process.dead) return;
    process.dead = true;
    figures.crashes += 1;
  };

  /** Requests held until the test releases them (deterministic races). */
  const gates: Array<{
    readonly matches: (name: string, input: unknown) => boolean;
    readonly hold: () => Promise<void>;
  }> = [];

  const pause = async (label: string) => {
    if (scheduler) await scheduler.schedule(Promise.resolve(), label);
  };

  // The DynamoDB fault injector: installed before the first request (SDK clients cache their
  // resolved middleware), above the SDK's own retries, so a fault reaches the caller as it is.
  const dynamodbFaults =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: { input?: unknown }) => {
      const process = currentProcess();
      if (process === undefined) return next(args);
      const name = context.commandName ?? '';
      await pause(`${process.kind}#${process.id} ${name} starts`);
      figures.requests += 1;
      if (process.dead) throw new Crash(`process ${process.id} is dead (${name})`);
      const write = isWriteCommand(name);
      const requestIndex = counters.requests++;
      const writeIndex = write ? counters.writes++ : -1;
      const before =
        take(REQUEST_FAULTS, requestIndex) ??
        (write ? take(['db.fail-before-write'], writeIndex) : undefined);
      if (before?.kind === 'db.throttle') {
        fire(before, process);
        throw new ProvisionedThroughputExceededException({
          message: 'chaos: the level of configured provisioned throughput was exceeded',
          $metadata: { httpStatusCode: 400 },
        });
      }
      if (before?.kind === 'db.fail-before-write') {
        fire(before, process);
        throw new InternalServerError({
          message: 'chaos: internal server error, nothing written',
          $metadata: { httpStatusCode: 500 },
        });
      }
      if (before?.kind === 'crash.before-request') {
        fire(before, process);
        die(process);
        throw new Crash(`process ${process.id} crashed before ${name}`);
      }
      const after = write
        ? take(['db.timeout-after-write', 'crash.after-write'], writeIndex)
        : undefined;
      const gate = gates.findIndex((candidate) => candidate.matches(name, args.input));
      if (gate >= 0) await gates.splice(gate, 1)[0]?.hold();
      const result = await next(args);
      if (write && namesCandidateItem(args.input)) {
        // A candidate write landed: whatever this sender had sent is recorded now.
        for (const email of process.unrecorded) email.outcome = 'recorded';
        process.unrecorded = [];
      }
      if (after?.kind === 'db.timeout-after-write') {
        fire(after, process);
        throw timeoutError();
      }
      if (after?.kind === 'crash.after-write') {
        fire(after, process);
        die(process);
        throw new Crash(`process ${process.id} crashed after ${name} landed`);
      }
      await pause(`${process.kind}#${process.id} ${name} answers`);
      return result;
    };
  (clients.dynamodb as DynamoDBClient).middlewareStack.add(
    dynamodbFaults as never,
    {
      step: 'initialize',
      name: `chaosFaults-${++worldSequence}`,
      priority: 'high',
    } as never,
  );

  await connectTable(clients.dynamodb, tableName, { label: 'chaos test', create: true });
  const app = createLocalApp({
    config,
    settings,
    secrets: { webhookSecrets: [WEBHOOK_SECRET], unsubscribeSecrets: [UNSUBSCRIBE_SECRET] },
    clients,
    clock,
  });

  const ses = createSesMailer({ client: clients.ses });
  const emails: AcceptedEmail[] = [];
  const mailer: Mailer = {
    async send(message) {
      const process = currentProcess();
      if (process === undefined) return ses.send(message);
      await pause(`${process.kind}#${process.id} SES SendEmail starts`);
      if (process.dead) throw new Crash(`process ${process.id} is dead (SendEmail)`);
      const fault = take(SEND_FAULTS, counters.sends++);
      if (fault?.kind === 'ses.account') {
        const [name, error] = SES_ACCOUNT_FAILURES[
          fault.variant % SES_ACCOUNT_FAILURES.length
        ] as (typeof SES_ACCOUNT_FAILURES)[number];
        fire(fault, process, `ses.account:${name}`);
        throw error();
      }
      if (fault?.kind === 'ses.reject') {
        const [name, error] = SES_MESSAGE_REJECTIONS[
          fault.variant % SES_MESSAGE_REJECTIONS.length
        ] as (typeof SES_MESSAGE_REJECTIONS)[number];
        fire(fault, process, `ses.reject:${name}`);
        observer?.rejected(process.claimedKeys ?? []);
        throw error();
      }
      const result = await ses.send(message);
      const email: AcceptedEmail = {
        messageId: result.messageId,
        keys: process.claimedKeys ?? [],
        to: message.to,
        cc: message.cc ?? [],
        runAt: process.request?.runAt ?? '',
        candidateId: process.request?.candidateId ?? '',
        processId: process.id,
        seq: nextSeq(),
        outcome: 'pending',
      };
      emails.push(email);
      process.unrecorded.push(email);
      observer?.accepted(email, process);
      if (fault?.kind === 'crash.after-send') {
        // SES accepted; the process dies before it records the send (its next write fails).
        fire(fault, process);
        die(process);
      }
      await pause(`${process.kind}#${process.id} SES SendEmail answers`);
      return result;
    },
  };

  // Observes the sender's claim write, to know which reminder keys each email carries.
  const inner = app.stores.candidates;
  const observedCandidates: CandidateRepository = {
    ...inner,
    async save(state, expectedVersion, dueAt) {
      const version = await inner.save(state, expectedVersion, dueAt);
      const process = currentProcess();
      if (version !== undefined && process?.token !== undefined) {
        const keys = Object.entries(state.claims)
          .filter(([, claim]) => claim.token === process.token)
          .map(([key]) => key);
        if (keys.length > 0) process.claimedKeys = keys;
      }
      return version;
    },
  };

  const sender = makeSender({
    stores: { candidates: observedCandidates, suppressions: app.stores.suppressions },
    settings,
    clock,
    claimLeaseSeconds: config.claimLeaseSeconds,
    mailer,
    classifyFailure: classifySesError,
    emailFrom: config.emailFrom,
    publicUrl: config.publicUrl,
    unsubscribeSecrets: async () => [UNSUBSCRIBE_SECRET],
    newToken: () => {
      const token = randomUUID();
      const process = currentProcess();
      if (process) process.token = token;
      return token;
    },
    onReport: (report) => currentProcess()?.reports.push(report),
    // A crashed process fails every write at once: its retries need not wait real time.
    finishRetryMs: 0,
  });

  /** One SQS delivery of one message: a fresh sender process. */
  const deliverOne = async (event: SQSEvent, tag?: unknown): Promise<SQSBatchResponse> => {
    const record = event.Records[0];
    const request = JSON.parse(record?.body ?? '{}') as SendRequest;
    const process = newProcess('sender', request);
    if (tag !== undefined) process.tag = tag;
    return storage.run(process, async () => {
      observer?.deliveryStarted(process);
      try {
        const response = await sender(event);
        process.failed = response.batchItemFailures.length > 0;
        return response;
      } finally {
        process.endSeq = nextSeq();
        for (const email of process.unrecorded)
          email.outcome = process.dead ? 'crash' : 'unrecorded';
        process.unrecorded = [];
        observer?.deliveryEnded(process);
      }
    });
  };

  /** Late copies of messages, held back by the queue faults of an earlier run. */
  let held: SendRequest[] = [];

  /** SQS with `reportBatchItemFailures`: failed messages come again, then go to the DLQ. */
  const deliveryQueue = (tag?: unknown) =>
    createInProcessQueue((event) => deliverOne(event, tag), {
      batchSize: 1,
      retryDelayMs: 0,
      maxReceives: 5,
      onDeadLetter: () => {
        figures.deadLetters += 1;
      },
    });

  /** Delivers messages one after another (redelivering failures, as SQS does). */
  const deliver = async (requests: readonly SendRequest[], tag?: unknown) => {
    if (requests.length > 0) await deliveryQueue(tag).enqueue(requests);
  };

  /** Delivers every message at once, each as its own sender invocation. */
  const deliverConcurrently = async (requests: readonly SendRequest[], tag?: unknown) => {
    const queue = deliveryQueue(tag);
    await Promise.all(requests.map((request) => queue.enqueue([request])));
  };

  const seeded = (seed: number) => {
    let state = seed >>> 0 || 1;
    return () => {
      state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
      return state / 2 ** 32;
    };
  };

  /** Applies queue faults: the messages to deliver now; late copies are held back. */
  const withQueueFaults = (requests: readonly SendRequest[], faults?: QueueFaults) => {
    if (faults === undefined) return [...requests];
    const list = [...requests];
    requests.forEach((request, index) => {
      if ((faults.duplicates >> index) & 1) {
        list.push(request);
        count(figures.faults, 'queue.duplicate');
      }
      if ((faults.delays >> index) & 1) {
        held.push(request);
        count(figures.faults, 'queue.late-copy');
      }
    });
    if (faults.order === 1) list.reverse();
    if (faults.order >= 2) {
      const random = seeded(faults.order);
      for (let index = list.length - 1; index > 0; index -= 1) {
        const other = Math.floor(random() * (index + 1));
        [list[index], list[other]] = [list[other] as SendRequest, list[index] as SendRequest];
      }
    }
    if (faults.order !== 0 && list.length > 1) count(figures.faults, 'queue.reorder');
    return list;
  };

  /**
   * The planner at `runAt`, in its own process, with its own SQS stand-in: what it queued for
   * this scenario waits there until the test delivers it.
   */
  const plan_ = async (runAt: string) => {
    const queued: SendRequest[] = [];
    const queue: SendQueue = {
      async enqueue(requests) {
        const process = currentProcess();
        if (process?.dead) throw new Crash(`process ${process.id} is dead (SendMessageBatch)`);
        queued.push(...requests);
      },
    };
    const planner = makePlanner({
      candidates: {
        queryDue: (shard, upTo) =>
          scenarioShards.has(shard) ? inner.queryDue(shard, upTo) : (async function* () {})(),
      },
      runs: app.stores.runs,
      clock,
      queue,
      shards: TABLE_DESIGN.dueShards,
    });
    const process = newProcess('planner');
    let error: unknown;
    await storage
      .run(process, () => planner({ runAt }))
      .catch((caught: unknown) => {
        error = caught;
      });
    process.endSeq = nextSeq();
    const requests = queued.filter((request) => scenarioIds.has(request.candidateId));
    return { process, error, requests };
  };

  /** Signed `POST /v1/events` in a fresh ingest process. */
  const ingestOnce = async (body: string, webhookId: string) => {
    const process = newProcess('ingest');
    const result = await storage.run(process, async () =>
      app.ingest(
        httpEvent('POST', '/v1/events', {
          body,
          headers: {
            'content-type': 'application/json',
            ...signWebhook(WEBHOOK_SECRET, webhookId, new Date(), body),
          },
        }),
      ),
    );
    process.endSeq = nextSeq();
    return { process, result };
  };

  /** RFC 8058 one-click unsubscribe in a fresh process; a thrown error is a 500. */
  const unsubscribeOnce = async (candidateId: string) => {
    const process = newProcess('unsubscribe');
    const token = createUnsubscribeToken(candidateId, UNSUBSCRIBE_SECRET);
    let result: HttpResult;
    try {
      result = await storage.run(process, async () =>
        app.unsubscribe(
          httpEvent('POST', '/unsubscribe', {
            query: `token=${encodeURIComponent(token)}`,
            body: 'List-Unsubscribe=One-Click',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        ),
      );
    } catch (error) {
      result = { statusCode: 500, body: String((error as Error)?.message ?? error) };
    }
    process.endSeq = nextSeq();
    return { process, result };
  };

  return {
    app,
    settings,
    clock,
    tableName,
    emails,
    figures,
    nextSeq,
    get seq() {
      return seq;
    },
    /** Starts a scenario: its ids, and who hears about deliveries and emails. */
    begin(ids: readonly string[], scenarioObserver: WorldObserver) {
      scenarioIds = new Set(ids);
      scenarioShards = new Set(ids.map((id) => shardOf(id)));
      observer = scenarioObserver;
      held = [];
      plan = [];
    },
    end() {
      observer = undefined;
      plan = [];
    },
    /** Arms the faults of one command (their indexes count from here). */
    arm(faults: readonly FaultSpec[]) {
      plan = [...faults];
      counters.requests = 0;
      counters.writes = 0;
      counters.sends = 0;
    },
    disarm() {
      plan = [];
    },
    /**
     * Holds the first DynamoDB write (from now on) whose input contains every one of `texts`,
     * until `release`; `hit` settles when it is caught.
     */
    holdWrite(texts: readonly string[], label: string) {
      let onHit: () => void = () => {};
      let release: () => void = () => {};
      const hit = new Promise<void>((resolve) => {
        onHit = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      gates.push({
        matches: (name, input) => {
          const text = JSON.stringify(input ?? null);
          return isWriteCommand(name) && texts.every((part) => text.includes(part));
        },
        hold: () => {
          onHit();
          return released;
        },
      });
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`the gate never caught ${label}`)), 15_000).unref(),
      );
      const caught = Promise.race([hit, timeout]);
      caught.catch(() => {});
      return { hit: caught, release };
    },
    useScheduler(next: fc.Scheduler | undefined) {
      scheduler = next;
    },
    takeHeld() {
      const late = held;
      held = [];
      return late;
    },
    withQueueFaults,
    plan: plan_,
    deliver,
    deliverConcurrently,
    ingestOnce,
    unsubscribeOnce,
    /** Deletes candidate items outright (no faults): a scenario's clean-up. */
    async forget(ids: readonly string[]) {
      await documentClientFor(clients.dynamodb).send(
        new BatchWriteCommand({
          RequestItems: {
            [tableName]: ids.map((id) => ({ DeleteRequest: { Key: candidateKey(id) } })),
          },
        }),
      );
    },
  };
};

export type ChaosWorld = Awaited<ReturnType<typeof createChaosWorld>>;
