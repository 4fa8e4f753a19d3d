import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  type CandidateState,
  emptyCandidate,
  viewOf,
} from '../../../../functions/domain/candidate-state';
import { createEventFold, type EventFold } from '../../../../functions/domain/event-fold';
import {
  type CertificationEvent,
  createEventValidator,
} from '../../../../functions/domain/event-schemas';
import {
  type AcceptedEmail,
  type ChaosProcess,
  type ChaosWorld,
  LEASE_SECONDS,
  type WorldObserver,
} from './chaos-world';
import {
  anchorOfKey,
  DAY_MS,
  dueReminder,
  type PersonAt,
  remindersDueAt,
  skipIsJustified,
  unsoundSend,
} from './spec-model';

/**
 * One race (SPEC §1, §2 under concurrency): a few candidates with attempts, then a batch of
 * operations started at once, whose every DynamoDB request and SES send is interleaved by
 * fast-check's scheduler: events (attempts, conflicting repeats of an attemptId, profile updates),
 * unsubscribes, merges in every direction (A→B racing B→A), erasures, and runs at the same and at
 * different instants whose every queue message is delivered twice, concurrently. Then runs again
 * at every instant and a heal (clock past the lease, runs again until nothing more is sent).
 *
 * Judged against the model:
 * - state: some order of the racing events that respects their real-time order (one that ended
 *   before another started comes first) gives, through the pure fold, every answer the product
 *   gave (accepted or 409) and exactly the stored candidates: no account lost, no attempt lost;
 * - at most one of two opposite merges is accepted;
 * - every reminder is emailed at most once (there is no crash here, so no window);
 * - every email is sound for what its sender must have read (everything that ended before it
 *   started): not erased, not opted out, not superseded, not late, one stage per credential;
 * - an erasure that returned before a run started: that run and every later one email nothing
 *   to that person;
 * - after the heal every reminder due at a run instant is dealt with, each `sent` backed by an
 *   email, each `skipped` by a reason SPEC §1 gives.
 */

const MINUTE_MS = 60_000;
const ORIGIN = Date.UTC(2024, 5, 1);
const ZONES = [undefined, 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Tokyo'] as const;
/** Run instants of the batch: days after the first run day (two alike: runs at the same time). */
const RUN_OFFSETS = [0, 0, 1, 3, 17] as const;
const iso = (epoch: number) => new Date(epoch).toISOString();

interface AttemptOp {
  readonly type: 'attempt';
  readonly candidate: number;
  readonly credential: 'cred-x' | 'cred-y';
  readonly outcome: 'pass' | 'fail';
  readonly day: number;
  readonly minute: number;
  /** Also posts a repeat of the same attemptId with the other outcome: a conflict. */
  readonly twin: boolean;
}
type RaceOp =
  | AttemptOp
  | { readonly type: 'update'; readonly candidate: number; readonly change: number }
  | { readonly type: 'unsubscribe'; readonly candidate: number }
  | { readonly type: 'erase'; readonly candidate: number }
  | { readonly type: 'merge'; readonly from: number; readonly to: number }
  | { readonly type: 'run'; readonly at: number };

export interface RaceSpec {
  readonly baseDay: number;
  readonly zones: readonly number[];
  readonly guardians: readonly boolean[];
  readonly runDay: number;
  readonly setup: readonly AttemptOp[];
  readonly setupMerge?: { readonly from: number; readonly to: number };
  readonly ops: readonly RaceOp[];
}

const candidateArb = fc.nat({ max: 2 });
const attemptDayArb = fc.oneof(
  fc.integer({ min: -285, max: -255 }),
  fc.integer({ min: -345, max: -315 }),
  fc.integer({ min: -375, max: -345 }),
  fc.integer({ min: -35, max: -10 }),
);
const attemptOpArb = (twin: fc.Arbitrary<boolean>): fc.Arbitrary<AttemptOp> =>
  fc.record({
    type: fc.constant('attempt' as const),
    candidate: candidateArb,
    credential: fc.constantFrom('cred-x' as const, 'cred-y' as const),
    outcome: fc.constantFrom('pass' as const, 'fail' as const),
    day: attemptDayArb,
    minute: fc.nat({ max: 1439 }),
    twin,
  });
const mergeArb = fc
  .tuple(candidateArb, fc.nat({ max: 1 }))
  .map(([from, step]) => ({ from, to: (from + 1 + step) % 3 }));

const raceOpArb: fc.Arbitrary<RaceOp> = fc.oneof(
  { weight: 3, arbitrary: attemptOpArb(fc.boolean()) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('update' as const),
      candidate: candidateArb,
      change: fc.nat({ max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('unsubscribe' as const), candidate: candidateArb }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ type: fc.constant('erase' as const), candidate: candidateArb }),
  },
  {
    weight: 3,
    arbitrary: mergeArb.map((merge) => ({ type: 'merge' as const, ...merge })),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('run' as const),
      at: fc.nat({ max: RUN_OFFSETS.length - 1 }),
    }),
  },
);

/** Opposite merges come often: A→B is joined by B→A. */
const withOpposites = (ops: readonly RaceOp[], opposite: boolean): RaceOp[] => {
  const merge = ops.find((op) => op.type === 'merge');
  return opposite && merge?.type === 'merge'
    ? [...ops, { type: 'merge', from: merge.to, to: merge.from }]
    : [...ops];
};

export const raceSpecArb: fc.Arbitrary<RaceSpec> = fc
  .record({
    baseDay: fc.integer({ min: 0, max: 365 }),
    zones: fc.array(fc.nat({ max: ZONES.length - 1 }), { minLength: 3, maxLength: 3 }),
    guardians: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    runDay: fc.integer({ min: 0, max: 10 }),
    setup: fc.array(attemptOpArb(fc.constant(false)), { minLength: 2, maxLength: 5 }),
    setupMerge: fc.option(mergeArb, { nil: undefined, freq: 4 }),
    ops: fc.array(raceOpArb, { minLength: 2, maxLength: 5 }),
    opposite: fc.boolean(),
    runs: fc.array(fc.nat({ max: RUN_OFFSETS.length - 1 }), { minLength: 1, maxLength: 2 }),
  })
  .map(({ opposite, runs, ops, setupMerge, ...rest }) => ({
    ...rest,
    ...(setupMerge ? { setupMerge } : {}),
    // At least one run races with the events, and often two.
    ops: [...withOpposites(ops, opposite), ...runs.map((at) => ({ type: 'run' as const, at }))],
  }));

export interface RaceFigures {
  scenarios: number;
  ops: number;
  oppositeMerges: number;
  oneOfOppositeAccepted: number;
  conflictsOnTwins: number;
  racingRuns: number;
  deliveries: number;
  emails: number;
  erasuresBeforeRuns: number;
  retried500s: number;
  violations: number;
  lost: number;
  duplicates: number;
}

export const emptyRaceFigures = (): RaceFigures => ({
  scenarios: 0,
  ops: 0,
  oppositeMerges: 0,
  oneOfOppositeAccepted: 0,
  conflictsOnTwins: 0,
  racingRuns: 0,
  deliveries: 0,
  emails: 0,
  erasuresBeforeRuns: 0,
  retried500s: 0,
  violations: 0,
  lost: 0,
  duplicates: 0,
});

/** An event as the batch posted it: its answer and when (sequence numbers) it ran. */
interface PostedEvent {
  readonly label: string;
  readonly raw: Record<string, unknown>;
  readonly webhookId: string;
  readonly event: CertificationEvent;
  status: string;
  readonly start: number;
  end: number;
}

interface RunRecord {
  readonly runAt: string;
  readonly start: number;
  end: number;
  readonly phase: 'race' | 'after' | 'heal';
  readonly deliveries: ChaosProcess[];
}

let raceCounter = 0;

export class RaceScenario implements WorldObserver {
  readonly prefix: string;
  readonly ids: readonly string[];
  readonly base: number;
  readonly trace: string[] = [];
  readonly violations: string[] = [];
  private readonly validate: (
    value: unknown,
  ) => ReturnType<ReturnType<typeof createEventValidator>>;
  private readonly setupEvents: CertificationEvent[] = [];
  private readonly posted: PostedEvent[] = [];
  private readonly unsubscribes: Array<{ id: string; start: number; end: number }> = [];
  private readonly runs: RunRecord[] = [];
  private readonly emails: Array<AcceptedEmail & { readonly run?: RunRecord }> = [];
  private readonly attemptOwner = new Map<string, string>();
  private readonly deliveryRun = new Map<number, RunRecord>();
  private attempts = 0;

  constructor(
    readonly world: ChaosWorld,
    readonly spec: RaceSpec,
    readonly figures: RaceFigures,
  ) {
    raceCounter += 1;
    this.prefix = `r${raceCounter}-${randomUUID().slice(0, 8)}`;
    this.ids = [0, 1, 2].map((index) => `${this.prefix}-c${index}`);
    this.base = ORIGIN + spec.baseDay * DAY_MS;
    this.validate = createEventValidator(() => world.clock.now());
    world.begin(this.ids, this);
    figures.scenarios += 1;
  }

  private note(line: string) {
    this.trace.push(line);
  }

  private violation(text: string) {
    this.violations.push(text);
    this.note(`  !! ${text}`);
  }

  private idOf(index: number) {
    return this.ids[index % 3] as string;
  }

  private runAtOf(index: number) {
    const offset = RUN_OFFSETS[index % RUN_OFFSETS.length] ?? 0;
    return iso(this.base + (this.spec.runDay + offset) * DAY_MS + 13 * 60 * MINUTE_MS);
  }

  private parse(raw: Record<string, unknown>): CertificationEvent {
    const parsed = this.validate(raw);
    if (!parsed.ok) throw new Error(`invalid generated event: ${JSON.stringify(parsed.issues)}`);
    return parsed.event;
  }

  private attemptEvents(op: AttemptOp): Record<string, unknown>[] {
    const candidateId = this.idOf(op.candidate);
    const index = this.ids.indexOf(candidateId);
    const zone = ZONES[(this.spec.zones[index] ?? 0) % ZONES.length];
    const takenAt = iso(this.base + op.day * DAY_MS + op.minute * MINUTE_MS);
    this.attempts += 1;
    const attemptId = `${this.prefix}-a${this.attempts}`;
    const event = (outcome: string) => ({
      type: 'attempt.recorded',
      timestamp: iso(Date.parse(takenAt) + 30 * MINUTE_MS),
      data: {
        attemptId,
        candidate: {
          candidateId,
          email: `${candidateId}@example.com`,
          ...(zone ? { timeZone: zone } : {}),
          ...(this.spec.guardians[index]
            ? { guardianEmail: `guardian.${candidateId}@example.com` }
            : {}),
        },
        credential: { credentialId: op.credential, name: `Credential ${op.credential}` },
        outcome,
        takenAt,
      },
    });
    this.attemptOwner.set(attemptId, candidateId);
    return op.twin
      ? [event(op.outcome), event(op.outcome === 'pass' ? 'fail' : 'pass')]
      : [event(op.outcome)];
  }

  private rawEventsOf(op: RaceOp): Record<string, unknown>[] {
    const now = iso(this.world.clock.now().getTime());
    switch (op.type) {
      case 'attempt':
        return this.attemptEvents(op);
      case 'update': {
        const candidateId = this.idOf(op.candidate);
        const changes: Record<string, unknown>[] = [
          { email: `${candidateId}.new@example.com` },
          { guardianEmail: `guardian.${candidateId}@example.com` },
          { guardianEmail: null },
          { name: 'Renamed Candidate' },
        ];
        return [
          {
            type: 'candidate.updated',
            timestamp: now,
            data: { candidateId, ...(changes[op.change % changes.length] ?? {}) },
          },
        ];
      }
      case 'erase':
        return [
          {
            type: 'candidate.erased',
            timestamp: now,
            data: { candidateId: this.idOf(op.candidate) },
          },
        ];
      case 'merge':
        return [
          {
            type: 'account.merged',
            timestamp: now,
            data: { fromCandidateId: this.idOf(op.from), toCandidateId: this.idOf(op.to) },
          },
        ];
      default:
        return [];
    }
  }

  /** One POST as its own process; the answer's status, or `error` for a 5xx. */
  private async postOnce(raw: Record<string, unknown>, webhookId: string) {
    const { process, result } = await this.world.ingestOnce(JSON.stringify(raw), webhookId);
    const status =
      result.statusCode === 202
        ? String(JSON.parse(result.body).status)
        : result.statusCode === 409
          ? 'conflict'
          : result.statusCode >= 500
            ? 'error'
            : `unexpected ${result.statusCode} ${result.body}`;
    return { process, status };
  }

  // ---- the race ---------------------------------------------------------------------------------

  async execute(scheduler: fc.Scheduler) {
    const { world, spec } = this;
    for (const op of spec.setup)
      for (const raw of this.attemptEvents(op)) {
        const { status } = await this.postOnce(raw, `msg_${randomUUID()}`);
        if (status !== 'accepted') this.violation(`setup: an attempt was answered ${status}`);
        this.setupEvents.push(this.parse(raw));
      }
    if (spec.setupMerge) {
      const [raw] = this.rawEventsOf({ type: 'merge', ...spec.setupMerge });
      if (raw) {
        const { status } = await this.postOnce(raw, `msg_${randomUUID()}`);
        this.note(`setup: merge ${JSON.stringify(spec.setupMerge)} → ${status}`);
        if (status !== 'conflict') this.setupEvents.push(this.parse(raw));
      }
    }
    this.note(
      `setup: ${this.setupEvents
        .map((event) =>
          event.type === 'attempt.recorded'
            ? `${event.data.attemptId} ${event.data.outcome} ${event.data.credential.credentialId} by ${event.data.candidate.candidateId} at ${event.data.takenAt}`
            : event.type,
        )
        .join('; ')}`,
    );

    // The batch: everything at once, every request interleaved by the scheduler.
    const tasks: Array<{ label: string; run: () => Promise<void> }> = [];
    for (const op of spec.ops) {
      if (op.type === 'run') {
        const runAt = this.runAtOf(op.at);
        tasks.push({ label: `run at ${runAt}`, run: () => this.runOnce(runAt, 'race') });
        this.figures.racingRuns += 1;
        continue;
      }
      if (op.type === 'unsubscribe') {
        const id = this.idOf(op.candidate);
        tasks.push({ label: `unsubscribe ${id}`, run: () => this.unsubscribeOnce(id) });
        continue;
      }
      for (const raw of this.rawEventsOf(op)) {
        const data = raw.data as Record<string, unknown>;
        const label =
          raw.type === 'attempt.recorded'
            ? `attempt ${String(data.attemptId)} ${String(data.outcome)} of ${JSON.stringify(data.credential)} by ${JSON.stringify(data.candidate)} at ${String(data.takenAt)}`
            : `${String(raw.type)} ${JSON.stringify(data)}`;
        tasks.push({ label, run: () => this.postRacing(raw, label) });
      }
    }
    this.figures.ops += tasks.length;
    this.note(`race: ${tasks.map((task) => task.label).join(' | ')}`);
    world.useScheduler(scheduler);
    try {
      await scheduler.waitFor(
        Promise.all(
          tasks.map((task, index) =>
            scheduler
              .schedule(Promise.resolve(), `start ${index}: ${task.label}`)
              .then(() => task.run()),
          ),
        ),
      );
    } finally {
      world.useScheduler(undefined);
    }

    // A client retries what failed with a 5xx (the same webhook-id).
    for (const posted of this.posted.filter((candidate) => candidate.status === 'error')) {
      this.figures.retried500s += 1;
      const { process, status } = await this.postOnce(posted.raw, posted.webhookId);
      posted.status = status;
      posted.end = process.endSeq ?? world.seq;
      this.note(`retry after 5xx: ${posted.label} → ${status}`);
    }
    for (const posted of this.posted)
      this.note(`  ${posted.label} → ${posted.status} [${posted.start}, ${posted.end}]`);

    // Runs after the race (they start after every erasure returned), then the heal.
    const instants = [
      ...new Set(spec.ops.flatMap((op) => (op.type === 'run' ? [this.runAtOf(op.at)] : []))),
    ].sort();
    for (const runAt of instants) await this.runOnce(runAt, 'after');
    world.clock.advance((LEASE_SECONDS + 1) * 1000);
    for (const runAt of instants) await this.runOnce(runAt, 'heal');
    const healed = this.emails.length;
    for (const runAt of instants) await this.runOnce(runAt, 'heal');
    if (this.emails.length > healed)
      this.violation(
        `heal: running the same instants again emailed ${this.emails.length - healed} more`,
      );
    return instants;
  }

  private async postRacing(raw: Record<string, unknown>, label: string) {
    const event = this.parse(raw);
    const webhookId = `msg_${randomUUID()}`;
    const { process, status } = await this.postOnce(raw, webhookId);
    if (status.startsWith('unexpected')) this.violation(`${label}: answered ${status}`);
    this.posted.push({
      label,
      raw,
      webhookId,
      event,
      status,
      start: process.startSeq,
      end: process.endSeq ?? 0,
    });
  }

  private async unsubscribeOnce(id: string) {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const { process, result } = await this.world.unsubscribeOnce(id);
      if (result.statusCode === 200) {
        this.unsubscribes.push({ id, start: process.startSeq, end: process.endSeq ?? 0 });
        return;
      }
      this.figures.retried500s += 1;
    }
    this.violation(`unsubscribe ${id} kept failing`);
  }

  private async runOnce(runAt: string, phase: RunRecord['phase']) {
    const record: RunRecord = { runAt, start: this.world.nextSeq(), end: 0, phase, deliveries: [] };
    this.runs.push(record);
    const planned = await this.world.plan(runAt);
    if (planned.error !== undefined)
      this.violation(`the planner at ${runAt} failed: ${String(planned.error)}`);
    // Every message is delivered twice, at the same time (SQS delivers at least once).
    const list = planned.requests.flatMap((request) =>
      phase === 'race' ? [request, request] : [request],
    );
    await this.world.deliverConcurrently(list, record);
    record.end = this.world.nextSeq();
    this.note(
      `${phase} run at ${runAt} [${record.start}, ${record.end}]: planned [${planned.requests.map((request) => request.candidateId).join(', ')}]`,
    );
  }

  // ---- what the world tells ---------------------------------------------------------------------

  deliveryStarted(process: ChaosProcess) {
    this.figures.deliveries += 1;
    const run = process.tag as RunRecord | undefined;
    if (run) {
      run.deliveries.push(process);
      this.deliveryRun.set(process.id, run);
    }
  }

  deliveryEnded(process: ChaosProcess) {
    const report = process.reports[0];
    const skipped = (report?.skipped ?? []).map(
      (skip) => `${skip.credentialId} ${skip.kind} ${skip.dueOn}: ${skip.reason}`,
    );
    this.note(
      `  delivery ${process.id} of ${process.request?.candidateId} at ${process.request?.runAt} [${process.startSeq}, ${process.endSeq}]: ${
        process.failed ? 'failed' : 'done'
      }${report?.email ? `, emailed [${(process.claimedKeys ?? []).join(' ')}]` : ''}${
        skipped.length > 0 ? `, skipped [${skipped.join('; ')}]` : ''
      }`,
    );
  }

  accepted(email: AcceptedEmail, process: ChaosProcess) {
    this.figures.emails += 1;
    const run = this.deliveryRun.get(process.id);
    this.emails.push({ ...email, ...(run ? { run } : {}) });
    this.note(
      `  SES accepted ${email.messageId} for [${email.keys.join(' ')}] (delivery ${process.id} of ${email.candidateId}, run ${email.runAt})`,
    );
  }

  rejected() {
    this.violation('SES rejected a message, but no fault was planned');
  }

  faultFired(kind: string) {
    this.violation(`a fault (${kind}) struck, but none was planned`);
  }

  // ---- judge ------------------------------------------------------------------------------------

  /** The fold after the setup and `events` in order; each event's fold outcome alongside. */
  private foldOf(events: readonly PostedEvent[]) {
    const fold = createEventFold();
    for (const event of this.setupEvents) fold.apply(event);
    const outcomes = events.map((posted) => fold.apply(posted.event));
    return { fold, outcomes };
  }

  private personIn(fold: EventFold, id: string, optedOutIds: ReadonlySet<string>) {
    const root = fold.canonical(id);
    const state: CandidateState = fold.state(root) ?? emptyCandidate(root);
    const optedOut = [...optedOutIds].some((other) => fold.canonical(other) === root);
    return { root, state, optedOut };
  }

  /**
   * Every order of the racing events that keeps one that ended before another started first.
   * Only merges, erasures and repeats of one attemptId depend on their order in the fold
   * (attempts are a set, profile fields last-writer-wins by timestamp), so only they are
   * permuted; the others come first, in the order they finished.
   */
  private *linearizations(): Generator<PostedEvent[]> {
    const repeated = new Set<string>();
    const seen = new Set<string>();
    for (const posted of this.posted)
      if (posted.event.type === 'attempt.recorded') {
        const id = posted.event.data.attemptId;
        if (seen.has(id)) repeated.add(id);
        seen.add(id);
      }
    const sensitive = (posted: PostedEvent) =>
      posted.event.type === 'account.merged' ||
      posted.event.type === 'candidate.erased' ||
      (posted.event.type === 'attempt.recorded' && repeated.has(posted.event.data.attemptId));
    const fixed = this.posted.filter((posted) => !sensitive(posted)).sort((a, b) => a.end - b.end);
    const events = this.posted.filter(sensitive);
    const chosen: PostedEvent[] = [];
    const used = new Set<PostedEvent>();
    function* extend(): Generator<PostedEvent[]> {
      if (chosen.length === events.length) {
        yield [...fixed, ...chosen];
        return;
      }
      for (const next of events) {
        if (used.has(next)) continue;
        // Anything that ended before `next` started must already be placed.
        if (events.some((other) => !used.has(other) && other !== next && other.end < next.start))
          continue;
        used.add(next);
        chosen.push(next);
        yield* extend();
        chosen.pop();
        used.delete(next);
      }
    }
    yield* extend();
  }

  async verify(instants: readonly string[]) {
    const { app, settings } = this.world;
    const stored = new Map<
      string,
      { root: string; erased: boolean; view: string; optedOut: boolean }
    >();
    for (const id of this.ids) {
      const resolved = await app.store.resolveCandidate(id);
      const loaded = await app.stores.candidates.load(resolved.candidateId);
      const state = loaded?.state ?? emptyCandidate(resolved.candidateId);
      stored.set(id, {
        root: resolved.candidateId,
        erased: resolved.erased,
        view: resolved.erased ? '' : JSON.stringify(viewOf(state)),
        optedOut: state.unsubscribedAt !== undefined,
      });
    }
    const unsubscribed = new Set(this.unsubscribes.map((unsubscribe) => unsubscribe.id));

    // Opposite merges: at most one accepted.
    const merges = this.posted.filter((posted) => posted.event.type === 'account.merged');
    for (const a of merges)
      for (const b of merges) {
        if (a.event.type !== 'account.merged' || b.event.type !== 'account.merged' || a === b)
          continue;
        if (a.event.data.fromCandidateId !== b.event.data.toCandidateId) continue;
        if (a.event.data.toCandidateId !== b.event.data.fromCandidateId) continue;
        if (a.event.data.fromCandidateId > b.event.data.fromCandidateId) continue;
        this.figures.oppositeMerges += 1;
        const accepted = [a, b].filter((posted) => posted.status === 'accepted').length;
        if (accepted > 1)
          this.violation(`both opposite merges were accepted: ${a.label} and ${b.label}`);
        if (accepted === 1) this.figures.oneOfOppositeAccepted += 1;
      }
    this.figures.conflictsOnTwins += this.posted.filter(
      (posted) => posted.event.type === 'attempt.recorded' && posted.status === 'conflict',
    ).length;

    // State: some real-time-respecting order of the racing events explains the store.
    let order: PostedEvent[] | undefined;
    let tried = 0;
    for (const candidate of this.linearizations()) {
      tried += 1;
      if (tried > 50_000) break;
      const { fold, outcomes } = this.foldOf(candidate);
      const answersAgree = candidate.every(
        (posted, index) => (outcomes[index] === 'conflict') === (posted.status === 'conflict'),
      );
      if (!answersAgree) continue;
      const statesAgree = this.ids.every((id) => {
        const person = this.personIn(fold, id, unsubscribed);
        const product = stored.get(id);
        const erased = person.state.erasedAt !== undefined;
        return (
          product !== undefined &&
          product.root === person.root &&
          product.erased === erased &&
          (erased || product.view === JSON.stringify(viewOf(person.state)))
        );
      });
      if (statesAgree) {
        order = candidate;
        break;
      }
    }
    if (order === undefined) {
      const { fold } = this.foldOf(this.posted);
      for (const id of this.ids) {
        const person = this.personIn(fold, id, unsubscribed);
        const product = stored.get(id);
        this.note(
          `  ${id}: store ${product?.root}${product?.erased ? ' (erased)' : ''} ${product?.view}; fold in completion order ${person.root}${person.state.erasedAt ? ' (erased)' : ''} ${JSON.stringify(viewOf(person.state))}`,
        );
      }
      this.violation(
        `no order of the racing events (${tried} tried) gives the product's answers and stored candidates`,
      );
      return;
    }
    this.note(`order: ${order.map((posted) => posted.label.slice(0, 60)).join(' → ')}`);
    const finalFold = this.foldOf(order).fold;
    for (const root of new Set(this.ids.map((id) => finalFold.canonical(id)))) {
      const person = this.personIn(finalFold, root, unsubscribed);
      if (person.state.erasedAt === undefined && stored.get(root)?.optedOut !== person.optedOut)
        this.violation(`${root}: the stored opt-out differs from the model's`);
    }

    /**
     * What a delivery running from `start` to `end` may have read: every event that ended before
     * it started (it must have seen those), plus any of those that overlapped it.
     */
    const during = (start: number, end: number) => {
      const sure = order.filter((posted) => posted.status !== 'conflict' && posted.end < start);
      const maybe = order.filter(
        (posted) => posted.status !== 'conflict' && posted.end >= start && posted.start < end,
      );
      const lower = this.foldOf(sure).fold;
      const folds: EventFold[] = [];
      const free = Math.min(maybe.length, 6);
      for (let mask = 0; mask < 1 << free; mask += 1) {
        const chosen = new Set(maybe.filter((_, index) => index >= free || (mask >> index) & 1));
        folds.push(
          this.foldOf(order.filter((posted) => sure.includes(posted) || chosen.has(posted))).fold,
        );
      }
      const optedOutBefore = new Set(
        this.unsubscribes.filter((u) => u.end < start).map((u) => u.id),
      );
      const optedOutBy = new Set(this.unsubscribes.filter((u) => u.start < end).map((u) => u.id));
      return { lower, folds, optedOutBefore, optedOutBy };
    };
    const ownerRoot = (fold: EventFold, key: string, optedOut: ReadonlySet<string>) => {
      const owner = this.attemptOwner.get(anchorOfKey(key));
      return owner === undefined ? undefined : this.personIn(fold, owner, optedOut);
    };

    // Emails: once each, sound for what the sender had to see, none after an erasure.
    const byKey = new Map<string, AcceptedEmail[]>();
    const moments = new Map<number, Map<string, PersonAt>>();
    const deliveries = this.runs.flatMap((run) =>
      run.deliveries.map((delivery) => ({
        run,
        delivery,
        read: during(delivery.startSeq, delivery.endSeq ?? Number.MAX_SAFE_INTEGER),
      })),
    );
    for (const { run, read } of deliveries) {
      const list = moments.get(Date.parse(run.runAt)) ?? new Map<string, PersonAt>();
      moments.set(Date.parse(run.runAt), list);
      for (const fold of read.folds)
        for (const id of this.ids) {
          const person = this.personIn(fold, id, read.optedOutBy);
          list.set(`${JSON.stringify(person.state)}|${person.optedOut}`, person);
        }
    }
    for (const email of this.emails) {
      for (const key of email.keys) byKey.set(key, [...(byKey.get(key) ?? []), email]);
      const found = deliveries.find((candidate) => candidate.delivery.id === email.processId);
      const label = `the email of ${email.runAt} (delivery ${email.processId})`;
      if (found === undefined) continue;
      const { read } = found;
      const stages = new Map<string, Set<number>>();
      for (const key of email.keys) {
        // Sound if some state the sender may have read calls for it, given what it must have seen.
        const possible = read.folds.flatMap((fold) => {
          const person = ownerRoot(fold, key, read.optedOutBefore);
          return person === undefined ? [] : [person];
        });
        const sound = possible.find(
          (person) => unsoundSend(key, email.runAt, person, settings) === undefined,
        );
        if (sound === undefined) {
          const seen = ownerRoot(read.lower, key, read.optedOutBefore);
          const why = seen ? unsoundSend(key, email.runAt, seen, settings) : 'its owner is unknown';
          this.violation(
            `${label} holds ${key}, but in every state its sender could have read: ${why}`,
          );
          continue;
        }
        const reminder = dueReminder(key, email.runAt, sound.state, settings);
        if (reminder)
          stages.set(
            reminder.credentialId,
            new Set([...(stages.get(reminder.credentialId) ?? []), reminder.stage]),
          );
      }
      for (const [credentialId, set] of stages)
        if (set.size > 1) this.violation(`${label} holds two stages of ${credentialId}`);
    }
    for (const [key, list] of byKey)
      if (list.length > 1) {
        this.figures.duplicates += list.length - 1;
        this.violation(
          `${key} was emailed ${list.length} times (${list.map((email) => `${email.runAt} delivery ${email.processId}`).join(', ')})`,
        );
      }

    // Erasures: a run that started after one returned emails nothing to that person.
    for (const erasure of this.posted.filter(
      (posted) => posted.event.type === 'candidate.erased',
    )) {
      if (erasure.event.type !== 'candidate.erased' || erasure.status === 'conflict') continue;
      const before = during(erasure.start, erasure.start).lower;
      const root = before.canonical(erasure.event.data.candidateId);
      const group = new Set(this.ids.filter((id) => before.canonical(id) === root));
      group.add(erasure.event.data.candidateId);
      const laterRuns = this.runs.filter((run) => run.start > erasure.end);
      if (laterRuns.length > 0) this.figures.erasuresBeforeRuns += 1;
      for (const email of this.emails) {
        if (email.run === undefined || email.run.start <= erasure.end) continue;
        for (const key of email.keys) {
          const owner = this.attemptOwner.get(anchorOfKey(key));
          if (owner !== undefined && group.has(owner))
            this.violation(
              `${email.messageId} (run at ${email.runAt}, started after the erasure of ${erasure.event.data.candidateId} returned) holds ${key} of the erased person`,
            );
        }
      }
    }

    // After the heal: every reminder due at a run instant dealt with, and rightly so.
    const roots = new Set(this.ids.map((id) => finalFold.canonical(id)));
    for (const root of roots) {
      const person = this.personIn(finalFold, root, unsubscribed);
      if (person.state.erasedAt !== undefined) continue;
      const record = await app.store.loadCandidate(root);
      const byStatus = new Map(record.reminders.map((reminder) => [reminder.key, reminder]));
      if (viewOf(person.state).profile.email !== undefined)
        for (const runAt of instants)
          for (const reminder of remindersDueAt(person.state, Date.parse(runAt), settings)) {
            const status = byStatus.get(reminder.key)?.status;
            if (status === undefined || status === 'pending' || status === 'claimed') {
              this.figures.lost += 1;
              this.violation(
                `${root}: ${reminder.key} (due ${reminder.dueAt}, at the run of ${runAt}) is ${status ?? 'unknown to the store'} after the heal`,
              );
            }
          }
      for (const reminder of record.reminders) {
        const emails = byKey.get(reminder.key) ?? [];
        if (
          reminder.status === 'sent' &&
          !emails.some((email) => email.messageId === reminder.messageId)
        )
          this.violation(
            `${root}: ${reminder.key} is recorded sent as ${reminder.messageId}, never accepted for it`,
          );
        if (reminder.status === 'failed')
          this.violation(`${root}: ${reminder.key} is recorded failed`);
        if (
          reminder.status === 'skipped' &&
          !skipIsJustified(
            reminder.key,
            reminder.reason ?? '',
            reminder.resolvedAt ?? '',
            [...(moments.get(Date.parse(reminder.resolvedAt ?? ''))?.values() ?? []), person],
            settings,
          )
        ) {
          if (emails.length === 0) this.figures.lost += 1;
          this.violation(
            `${root}: ${reminder.key} was skipped as ${reminder.reason} at ${reminder.resolvedAt}, which SPEC §1 does not justify`,
          );
        }
      }
      const attemptIds = new Set(
        viewOf(person.state).credentials.flatMap((credential) =>
          credential.attempts.map((a) => a.attemptId),
        ),
      );
      for (const [key, emails] of byKey) {
        if (
          !attemptIds.has(anchorOfKey(key)) ||
          !emails.some((email) => email.outcome === 'recorded')
        )
          continue;
        if (byStatus.get(key)?.status !== 'sent')
          this.violation(
            `${root}: ${key} was emailed and recorded, yet the store says ${byStatus.get(key)?.status ?? 'nothing'}`,
          );
      }
    }
    // Phase 2 and the heal started after everything: nothing for anyone erased in the end.
    for (const email of this.emails) {
      if (email.run === undefined || email.run.phase === 'race') continue;
      for (const key of email.keys) {
        const owner = this.attemptOwner.get(anchorOfKey(key));
        if (
          owner !== undefined &&
          finalFold.state(finalFold.canonical(owner))?.erasedAt !== undefined
        )
          this.violation(
            `${email.messageId} (${email.run.phase} run at ${email.runAt}) holds ${key} of an erased person`,
          );
      }
    }
  }

  async cleanup() {
    this.world.end();
    await this.world.forget(this.ids);
    this.figures.violations += this.violations.length;
  }

  assertClean() {
    if (this.violations.length === 0) return;
    throw new Error(
      [
        `${this.violations.length} violation(s):`,
        ...this.violations.map((violation) => `  ${violation}`),
        'trace:',
        ...this.trace.map((line) => `  ${line}`),
      ].join('\n'),
    );
  }
}
