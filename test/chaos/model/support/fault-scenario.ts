import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  type CandidateState,
  emptyCandidate,
  viewOf,
} from '../../../../functions/domain/candidate-state';
import { createEventFold } from '../../../../functions/domain/event-fold';
import {
  type CertificationEvent,
  createEventValidator,
} from '../../../../functions/domain/event-schemas';
import {
  type AcceptedEmail,
  type ChaosProcess,
  type ChaosWorld,
  FAULT_KINDS,
  type FaultKind,
  type FaultSpec,
  LEASE_SECONDS,
  type QueueFaults,
  type WorldObserver,
} from './chaos-world';
import {
  anchorOfKey,
  DAY_MS,
  decideAt,
  dueReminder,
  type ModelDecision,
  type PersonAt,
  remindersDueAt,
  skipIsJustified,
  unsoundSend,
} from './spec-model';

/**
 * One model-based chaos scenario (SPEC §1 and §2 under faults): commands record events, run the
 * daily job at instants, retry crashed runs, and move the wall clock, each with faults planned at
 * some of its steps. The MODEL is the pure event fold (the state SPEC §2 calls for) plus SPEC §1's
 * run rules (spec-model.ts); the oracle:
 *
 * - while no DynamoDB/SES/crash fault has struck, every delivery does exactly what the model
 *   decides, and every planner run plans every candidate the model finds something due for;
 * - at any time, every email is sound when sent (due, not superseded, not stale by lateness, no
 *   two stages of one credential, the candidate neither opted out nor erased);
 * - after the heal (no faults, clock past the lease, every run instant re-run until quiescent):
 *   every reminder due at a run instant was dealt with, each one emailed at most once except one
 *   extra per "SES accepted, then the sender crashed before recording it", each `sent` backed by
 *   an email, each `failed` by a rejection, each `skipped` by a reason SPEC §1 gives at that run,
 *   and the stored candidates are exactly the fold's.
 */

const MINUTE_MS = 60_000;
const ORIGIN = Date.UTC(2024, 5, 1);
const ZONES = [
  undefined,
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Asia/Tokyo',
  'America/Los_Angeles',
] as const;

const iso = (epoch: number) => new Date(epoch).toISOString();

export interface ScenarioParams {
  /** Days after 2024-06-01 of the scenario's day 0 (its first run instants). */
  readonly baseDay: number;
  /** Each candidate's zone in their first attempt (index into the zones; 0 = none, UTC). */
  readonly zones: readonly number[];
  /** Which candidates are teen accounts (a guardian copied). */
  readonly guardians: readonly boolean[];
  /** The day the daily job starts at; each run moves a few days from the last. */
  readonly firstRunDay: number;
}

export const scenarioParamsArb: fc.Arbitrary<ScenarioParams> = fc.record({
  baseDay: fc.integer({ min: 0, max: 365 }),
  zones: fc.array(fc.nat({ max: ZONES.length - 1 }), { minLength: 3, maxLength: 3 }),
  guardians: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  firstRunDay: fc.integer({ min: 0, max: 12 }),
});

/** Totals over every scenario of a test file, printed at the end. */
export interface ScenarioFigures {
  scenarios: number;
  exactScenarios: number;
  commands: number;
  runs: number;
  healRuns: number;
  deliveries: number;
  emails: number;
  windowEmails: number;
  windowExtraEmails: number;
  unrecordedEmails: number;
  duplicatesOutsideWindow: number;
  lost: number;
  otherViolations: number;
  clockJumps: number;
  clockJumpsPastLease: number;
}

export const emptyFigures = (): ScenarioFigures => ({
  scenarios: 0,
  exactScenarios: 0,
  commands: 0,
  runs: 0,
  healRuns: 0,
  deliveries: 0,
  emails: 0,
  windowEmails: 0,
  windowExtraEmails: 0,
  unrecordedEmails: 0,
  duplicatesOutsideWindow: 0,
  lost: 0,
  otherViolations: 0,
  clockJumps: 0,
  clockJumpsPastLease: 0,
});

let scenarioCounter = 0;

type Violation = { readonly kind: 'duplicate' | 'lost' | 'other'; readonly text: string };

export class FaultScenario implements WorldObserver {
  readonly prefix: string;
  readonly ids: readonly string[];
  readonly base: number;
  readonly trace: string[] = [];
  readonly violations: Violation[] = [];
  private readonly fold = createEventFold();
  private readonly validate: (
    value: unknown,
  ) => ReturnType<ReturnType<typeof createEventValidator>>;
  private readonly unsubscribed = new Set<string>();
  private readonly attemptOwner = new Map<string, string>();
  /** Attempt ids of erased people, with the sequence number at which the erasure returned. */
  private readonly erasedAttempts = new Map<string, number>();
  private readonly erasedIds = new Map<string, number>();
  readonly runInstants = new Set<string>();
  lastRunAt?: string;
  /** The day of the last run, from the scenario's day 0. */
  runDay: number;
  /** No DynamoDB, SES or crash fault has struck yet: the model is followed step by step. */
  exact = true;
  private readonly settled = new Set<string>();
  /**
   * What each delivery may have read: the model, and the model with any of the events whose
   * delivery failed and awaits its retry (a 5xx may come after the event was stored).
   */
  private readonly moments = new Map<
    number,
    { readonly runAt: string; readonly persons: readonly PersonAt[] }
  >();
  /** The events the fold has applied, in order. */
  private readonly applied: CertificationEvent[] = [];
  private readonly expected = new Map<number, ModelDecision>();
  private readonly emails: AcceptedEmail[] = [];
  private readonly rejectedKeys = new Set<string>();
  private attempts = 0;
  private current = '';
  private readonly deliveryLog: string[] = [];

  constructor(
    readonly world: ChaosWorld,
    readonly params: ScenarioParams,
    readonly figures: ScenarioFigures,
  ) {
    scenarioCounter += 1;
    this.prefix = `f${scenarioCounter}-${randomUUID().slice(0, 8)}`;
    this.ids = [0, 1, 2].map((index) => `${this.prefix}-c${index}`);
    this.base = ORIGIN + params.baseDay * DAY_MS;
    this.runDay = params.firstRunDay;
    this.validate = createEventValidator(() => world.clock.now());
    world.begin(this.ids, this);
    figures.scenarios += 1;
  }

  // ---- the model ------------------------------------------------------------------------------

  idOf(index: number): string {
    return this.ids[index % this.ids.length] as string;
  }

  /** A candidate as the model sees them now. */
  personAt(id: string): PersonAt & { readonly root: string } {
    const root = this.fold.canonical(id);
    const state: CandidateState = this.fold.state(root) ?? emptyCandidate(root);
    const optedOut = [...this.unsubscribed].some((other) => this.fold.canonical(other) === root);
    return { root, state, optedOut };
  }

  /**
   * The candidate as the model would see them with some of the deliveries awaiting a retry, and
   * without the merges decided by a delivery that failed ({@link committedMerge}): until such a
   * merge is finished its target has not absorbed the source yet.
   */
  private maybePersons(id: string): PersonAt[] {
    const pending = [...this.retrying, ...this.deferred].slice(0, 3);
    const persons: PersonAt[] = [];
    const variants = this.provisional.length > 0 ? [false, true] : [false];
    for (const withoutProvisional of variants) {
      for (let mask = withoutProvisional ? 0 : 1; mask < 1 << pending.length; mask += 1) {
        const fold = createEventFold();
        for (const event of this.applied)
          if (!withoutProvisional || !this.provisional.includes(event)) fold.apply(event);
        pending.forEach((deferred, index) => {
          if ((mask >> index) & 1) fold.apply(deferred.event);
        });
        const root = fold.canonical(id);
        persons.push({
          state: fold.state(root) ?? emptyCandidate(root),
          optedOut: [...this.unsubscribed].some((other) => fold.canonical(other) === root),
        });
      }
    }
    return persons;
  }

  private afterEvent(seq: number) {
    for (const [attemptId, owner] of this.attemptOwner)
      if (!this.erasedAttempts.has(attemptId) && this.personAt(owner).state.erasedAt !== undefined)
        this.erasedAttempts.set(attemptId, seq);
    for (const id of this.ids)
      if (!this.erasedIds.has(id) && this.personAt(id).state.erasedAt !== undefined)
        this.erasedIds.set(id, seq);
  }

  note(line: string) {
    this.trace.push(line);
  }

  violation(kind: Violation['kind'], text: string) {
    this.violations.push({ kind, text });
    this.note(`  !! ${text}`);
  }

  // ---- commands ---------------------------------------------------------------------------------

  begin(label: string) {
    this.current = label;
    this.figures.commands += 1;
    this.note(label);
  }

  /**
   * Posts one event as the programme's webhook sender does: after a 5xx it delivers it again
   * with the same webhook-id, at once, or (`later`) only after the next command, so whatever
   * the failed delivery left half done meets the next run.
   */
  async post(raw: Record<string, unknown>): Promise<void> {
    const parsed = this.validate(raw);
    if (!parsed.ok) throw new Error(`invalid generated event: ${JSON.stringify(parsed.issues)}`);
    await this.deliverEvent(
      { raw, event: parsed.event, webhookId: `msg_${randomUUID()}`, label: this.current },
      this.retryLater,
    );
  }

  /** Deliveries a command deferred: retried once the next command is done. */
  private deferred: DeferredEvent[] = [];
  /** Whether the current command's client retries a failed delivery only later. */
  retryLater = false;

  /** Merges applied when their failed delivery had decided them, until a retry finishes them. */
  private provisional: CertificationEvent[] = [];
  /** The deliveries last taken for a retry: until it is made, a run may see them stored or not. */
  private retrying: DeferredEvent[] = [];

  takeDeferred(): DeferredEvent[] {
    const list = this.deferred;
    this.deferred = [];
    this.retrying = list;
    return list;
  }

  /**
   * A 5xx answers nothing about what happened: a merge is decided by the marker it writes on its
   * source first, and once that write landed the merge will be finished (by the retry, the next
   * merge of the account or a sender) even if the answer was an error. The model then applies
   * it where it was decided; the client's retries are answered as repeats. What the store holds
   * is the observation that settles an outcome the answer left open, as in any model checker.
   */
  private async committedMerge(event: CertificationEvent): Promise<boolean> {
    if (event.type !== 'account.merged') return false;
    const { fromCandidateId: from, toCandidateId: to } = event.data;
    const stored = await this.world.app.stores.candidates.load(from);
    if (stored?.state.mergingInto !== to && stored?.state.mergedInto !== to) return false;
    if (stored.state.mergedInto === to && this.fold.state(from)?.mergedInto === to) return false;
    this.note('    → decided by its first write (model: applied now; retries are repeats)');
    this.fold.apply(event);
    this.applied.push(event);
    this.provisional.push(event);
    this.afterEvent(this.world.nextSeq());
    return true;
  }

  async deliverEvent(pending: DeferredEvent, later: boolean): Promise<void> {
    const body = JSON.stringify(pending.raw);
    let outcome: string | undefined;
    for (let attempt = 0; attempt < 8 && outcome === undefined; attempt += 1) {
      const { process, result } = await this.world.ingestOnce(body, pending.webhookId);
      if (result.statusCode === 202) outcome = String(JSON.parse(result.body).status);
      else if (result.statusCode === 409) outcome = 'conflict';
      else if (result.statusCode >= 500 && process.faults.length > 0) {
        this.note(
          `    delivery ${attempt + 1}: ${process.faults.join(', ')} → ${result.statusCode}${later ? '; the client retries after the next command' : ''}`,
        );
        if (!pending.applied && (await this.committedMerge(pending.event))) pending.applied = true;
        if (later) {
          this.deferred.push(pending);
          return;
        }
      } else {
        this.violation(
          'other',
          `${pending.label}: POST /v1/events answered ${result.statusCode} ${result.body} with no fault injected in that request`,
        );
        return;
      }
    }
    if (outcome === undefined) {
      this.violation('other', `${pending.label}: the event was never accepted after 8 deliveries`);
      return;
    }
    const { event } = pending;
    if (pending.applied) {
      this.note(`    → ${outcome} (model: applied at its first delivery)`);
      this.provisional = this.provisional.filter((decided) => decided !== event);
      if (outcome === 'conflict')
        this.violation('other', `${pending.label}: a merge already decided was answered conflict`);
      return;
    }
    const folded = this.fold.apply(event);
    this.applied.push(event);
    this.note(`    → ${outcome} (model: ${folded})`);
    if ((folded === 'conflict') !== (outcome === 'conflict'))
      this.violation(
        'other',
        `${pending.label}: the product answered ${outcome} where the fold says ${folded}`,
      );
    if (event.type === 'attempt.recorded')
      this.attemptOwner.set(event.data.attemptId, event.data.candidate.candidateId);
    this.afterEvent(this.world.nextSeq());
  }

  async recordAttempt(spec: AttemptSpec) {
    const candidateId = this.idOf(spec.candidate);
    const index = this.ids.indexOf(candidateId);
    const zone = ZONES[(this.params.zones[index] ?? 0) % ZONES.length];
    const takenAt = iso(this.base + spec.day * DAY_MS + spec.minute * MINUTE_MS);
    this.attempts += 1;
    const attemptId = `${this.prefix}-a${this.attempts}`;
    this.note(
      `    ${attemptId}: ${spec.outcome} of ${spec.credential} by ${candidateId} at ${takenAt}`,
    );
    await this.post({
      type: 'attempt.recorded',
      timestamp: iso(Date.parse(takenAt) + 30 * MINUTE_MS),
      data: {
        attemptId,
        candidate: {
          candidateId,
          email: `${candidateId}@example.com`,
          name: `Candidate ${index}`,
          ...(zone ? { timeZone: zone } : {}),
          ...(this.params.guardians[index]
            ? { guardianEmail: `guardian.${candidateId}@example.com` }
            : {}),
        },
        credential: { credentialId: spec.credential, name: `Credential ${spec.credential}` },
        outcome: spec.outcome,
        takenAt,
      },
    });
  }

  async updateProfile(candidate: number, change: number, stampDay: number) {
    const candidateId = this.idOf(candidate);
    const fields: Record<string, unknown>[] = [
      { timeZone: 'Pacific/Kiritimati' },
      { timeZone: 'Pacific/Pago_Pago' },
      { timeZone: null },
      { email: `${candidateId}.new@example.com` },
      { guardianEmail: `guardian.${candidateId}@example.com` },
      { guardianEmail: null },
      { name: 'Renamed Candidate' },
    ];
    const data = fields[change % fields.length] as Record<string, unknown>;
    this.note(`    ${candidateId}: ${JSON.stringify(data)}`);
    await this.post({
      type: 'candidate.updated',
      timestamp: iso(this.base + stampDay * DAY_MS),
      data: { candidateId, ...data },
    });
  }

  async erase(candidate: number) {
    await this.post({
      type: 'candidate.erased',
      timestamp: iso(this.world.clock.now().getTime()),
      data: { candidateId: this.idOf(candidate) },
    });
  }

  async merge(from: number, to: number) {
    const fromId = this.idOf(from);
    const toId = this.idOf(to);
    if (fromId === toId) return;
    await this.post({
      type: 'account.merged',
      timestamp: iso(this.world.clock.now().getTime()),
      data: { fromCandidateId: fromId, toCandidateId: toId },
    });
  }

  async unsubscribe(candidate: number) {
    const candidateId = this.idOf(candidate);
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const { process, result } = await this.world.unsubscribeOnce(candidateId);
      if (result.statusCode === 200) {
        this.unsubscribed.add(candidateId);
        this.note(`    → 200`);
        return;
      }
      if (result.statusCode >= 500 && process.faults.length > 0) {
        this.note(
          `    delivery ${attempt + 1}: ${process.faults.join(', ')} → ${result.statusCode}`,
        );
        continue;
      }
      this.violation(
        'other',
        `${this.current}: POST /unsubscribe answered ${result.statusCode} with no fault injected`,
      );
      return;
    }
    this.violation('other', `${this.current}: the unsubscribe kept failing`);
  }

  runInstant(day: number, minute: number) {
    return iso(this.base + day * DAY_MS + minute * MINUTE_MS);
  }

  /** The daily job at `runAt`: the planner, then SQS delivering what it queued. */
  async run(runAt: string, queueFaults: QueueFaults | undefined, heal = false) {
    if (heal) this.figures.healRuns += 1;
    else this.figures.runs += 1;
    const late = this.world.takeHeld();
    const coverage = this.exact ? this.dueRoots(runAt) : undefined;
    const planned = await this.world.plan(runAt);
    if (planned.error !== undefined && planned.process.faults.length === 0)
      this.violation(
        'other',
        `${this.current}: the planner at ${runAt} failed with no fault injected: ${String(planned.error)}`,
      );
    const roots = new Set(
      planned.requests.map((request) => this.personAt(request.candidateId).root),
    );
    if (coverage !== undefined && this.exact)
      for (const root of coverage)
        if (!roots.has(root))
          this.violation(
            'lost',
            `${this.current}: the planner at ${runAt} did not plan ${root}, who has reminders due`,
          );
    const list = [...late, ...this.world.withQueueFaults(planned.requests, queueFaults)];
    this.note(
      `    planned [${planned.requests.map((request) => request.candidateId).join(', ')}]${
        planned.error ? ` (planner failed: ${(planned.error as Error).name})` : ''
      }; delivering [${list.map((request) => `${request.candidateId}@${request.runAt}`).join(', ')}]`,
    );
    this.runInstants.add(runAt);
    this.lastRunAt = runAt;
    await this.world.deliver(list);
    for (const line of this.deliveryLog.splice(0)) this.note(line);
  }

  advanceClock(seconds: number) {
    this.world.clock.advance(seconds * 1000);
    this.figures.clockJumps += 1;
    if (seconds >= LEASE_SECONDS) this.figures.clockJumpsPastLease += 1;
  }

  /** Roots the model finds something due for at `runAt` (the planner must plan them). */
  private dueRoots(runAt: string): Set<string> {
    const roots = new Set<string>();
    for (const id of this.ids) {
      const person = this.personAt(id);
      const decision = decideAt(
        person.state,
        Date.parse(runAt),
        this.settled,
        person.optedOut,
        this.world.settings,
      );
      if (decision.send.length + decision.skip.length > 0) roots.add(person.root);
    }
    return roots;
  }

  // ---- what the world tells ---------------------------------------------------------------------

  faultFired(kind: string, process: ChaosProcess) {
    if (!kind.startsWith('queue.')) this.exact = false;
    if (process.kind === 'sender')
      this.deliveryLog.push(`      fault ${kind} struck sender process ${process.id}`);
    else this.note(`    fault ${kind} struck ${process.kind} process ${process.id}`);
  }

  deliveryStarted(process: ChaosProcess) {
    this.figures.deliveries += 1;
    const request = process.request;
    if (request === undefined) return;
    const person = this.personAt(request.candidateId);
    this.moments.set(process.id, {
      runAt: request.runAt,
      persons: [person, ...this.maybePersons(request.candidateId)],
    });
    if (this.exact)
      this.expected.set(
        process.id,
        decideAt(
          person.state,
          Date.parse(request.runAt),
          this.settled,
          person.optedOut,
          this.world.settings,
        ),
      );
  }

  deliveryEnded(process: ChaosProcess) {
    const request = process.request;
    if (request === undefined) return;
    const label = `${request.candidateId} at ${request.runAt}`;
    const report = process.reports[0];
    this.deliveryLog.push(
      `      delivery ${process.id} (${label}): ${
        process.failed ? 'failed' : 'done'
      }${process.dead ? ', crashed' : ''}${
        report?.email ? `, emailed [${(process.claimedKeys ?? []).join(' ')}]` : ''
      }${
        report && report.skipped.length > 0
          ? `, skipped [${report.skipped.map((skip) => `${skip.kind} ${skip.dueOn}: ${skip.reason}`).join('; ')}]`
          : ''
      }`,
    );
    if (process.failed && process.faults.length === 0 && !process.dead)
      this.violation(
        'other',
        `${this.current}: the delivery for ${label} failed with no fault injected in it`,
      );
    const expected = this.expected.get(process.id);
    this.expected.delete(process.id);
    if (!this.exact || expected === undefined) return;
    if (process.failed || report === undefined) {
      this.violation('other', `${this.current}: the delivery for ${label} failed without a fault`);
      return;
    }
    const gotSend = report.email ? [...(process.claimedKeys ?? [])].sort() : [];
    const wantSend = expected.send.map((reminder) => reminder.key).sort();
    if (JSON.stringify(gotSend) !== JSON.stringify(wantSend))
      this.violation(
        wantSend.some((key) => !gotSend.includes(key)) ? 'lost' : 'other',
        `${this.current}: the delivery for ${label} emailed [${gotSend.join(' ')}], SPEC §1 says [${wantSend.join(' ')}]`,
      );
    const gotSkip = report.skipped
      .map((skip) => `${skip.credentialId} ${skip.kind} ${skip.dueOn}: ${skip.reason}`)
      .sort();
    const wantSkip = expected.skip
      .map(
        ({ reminder, reason }) =>
          `${reminder.credentialId} ${reminder.kind} ${reminder.dueOn}: ${reason}`,
      )
      .sort();
    if (JSON.stringify(gotSkip) !== JSON.stringify(wantSkip))
      this.violation(
        'other',
        `${this.current}: the delivery for ${label} skipped [${gotSkip.join('; ')}], SPEC §1 says [${wantSkip.join('; ')}]`,
      );
    for (const reminder of expected.send) this.settled.add(reminder.key);
    for (const { reminder } of expected.skip) this.settled.add(reminder.key);
  }

  accepted(email: AcceptedEmail, process: ChaosProcess) {
    this.emails.push(email);
    this.deliveryLog.push(
      `      SES accepted ${email.messageId} (process ${process.id}) for [${email.keys.join(' ')}]`,
    );
    this.figures.emails += 1;
    const moment = this.moments.get(process.id);
    const label = `${this.current}: the email of ${email.runAt} to ${email.candidateId}`;
    if (email.keys.length === 0) this.violation('other', `${label} carries no claimed reminder`);
    if (moment === undefined) return;
    const stages = new Map<string, number[]>();
    for (const key of email.keys) {
      const sound = moment.persons.find(
        (person) => unsoundSend(key, email.runAt, person, this.world.settings) === undefined,
      );
      const [person] = moment.persons;
      if (sound === undefined && person !== undefined)
        this.violation(
          'other',
          `${label} holds ${key}, but ${unsoundSend(key, email.runAt, person, this.world.settings)}`,
        );
      const erasedAt = this.erasedAttempts.get(anchorOfKey(key));
      if (erasedAt !== undefined && erasedAt < email.seq)
        this.violation('other', `${label} holds ${key} of a person erased before the run`);
      const reminder = dueReminder(
        key,
        email.runAt,
        (sound ?? person ?? this.personAt(email.candidateId)).state,
        this.world.settings,
      );
      if (reminder)
        stages.set(reminder.credentialId, [
          ...(stages.get(reminder.credentialId) ?? []),
          reminder.stage,
        ]);
    }
    for (const [credentialId, list] of stages)
      if (new Set(list).size > 1)
        this.violation('other', `${label} holds two stages of ${credentialId} (one is stale)`);
    for (const address of [...email.to, ...email.cc]) {
      const owner = this.ids.find((id) => address.includes(id));
      const erasedAt = owner === undefined ? undefined : this.erasedIds.get(owner);
      if (erasedAt !== undefined && erasedAt < email.seq)
        this.violation('other', `${label} went to ${address}, whose person was erased before`);
    }
  }

  rejected(keys: readonly string[]) {
    for (const key of keys) this.rejectedKeys.add(key);
  }

  // ---- heal and judge ---------------------------------------------------------------------------

  /**
   * No more faults: late copies are delivered, the wall clock moves past the lease, and every
   * run instant of the scenario runs again, in order, until a whole pass emails nothing.
   */
  async heal() {
    this.world.disarm();
    for (const pending of this.takeDeferred()) {
      this.begin(`the client retries: ${pending.label}`);
      await this.deliverEvent(pending, false);
    }
    this.begin('heal: deliver late copies, clock past the lease, re-run every run instant');
    await this.world.deliver(this.world.takeHeld());
    for (const line of this.deliveryLog.splice(0)) this.note(line);
    this.world.clock.advance((LEASE_SECONDS + 1) * 1000);
    const instants = [...this.runInstants].sort();
    const before = this.emails.length;
    for (const runAt of instants) await this.run(runAt, undefined, true);
    if (this.emails.length === before) return;
    // SPEC §1: running the same T again sends nothing.
    const healed = this.emails.length;
    for (const runAt of instants) await this.run(runAt, undefined, true);
    if (this.emails.length > healed)
      this.violation(
        'duplicate',
        `heal: running the same instants again emailed ${this.emails.length - healed} more`,
      );
  }

  async verify() {
    const { app, settings } = this.world;
    // Duplicates: one email per reminder, plus one per crash of the documented window.
    const byKey = new Map<string, AcceptedEmail[]>();
    for (const email of this.emails)
      for (const key of email.keys) byKey.set(key, [...(byKey.get(key) ?? []), email]);
    for (const [key, list] of byKey) {
      const window = list.filter((email) => email.outcome === 'crash').length;
      if (list.length > 1) this.figures.windowExtraEmails += Math.min(list.length - 1, window);
      if (list.length > 1 + window) {
        this.figures.duplicatesOutsideWindow += list.length - 1 - window;
        this.violation(
          'duplicate',
          `${key} was emailed ${list.length} times (${list
            .map((email) => `${email.runAt} ${email.outcome}`)
            .join(', ')}); the documented window allows ${window} extra`,
        );
      }
    }
    for (const email of this.emails) {
      if (email.outcome === 'crash') this.figures.windowEmails += 1;
      if (email.outcome === 'unrecorded') this.figures.unrecordedEmails += 1;
    }

    const roots = new Set(this.ids.map((id) => this.fold.canonical(id)));
    for (const id of this.ids) {
      const person = this.personAt(id);
      const resolved = await app.store.resolveCandidate(id);
      const erased = person.state.erasedAt !== undefined;
      if (resolved.candidateId !== person.root || resolved.erased !== erased)
        this.violation(
          'lost',
          `${id} resolves to ${resolved.candidateId}${resolved.erased ? ' (erased)' : ''}; the fold says ${person.root}${erased ? ' (erased)' : ''}`,
        );
    }
    for (const root of roots) {
      const person = this.personAt(root);
      const stored = await app.stores.candidates.load(root);
      const record = await app.store.loadCandidate(root);
      if (person.state.erasedAt !== undefined) {
        if (!record.erased || record.profile !== undefined || record.states.length > 0)
          this.violation(
            'other',
            `${root} is erased in the model but not a bare tombstone in the store`,
          );
        continue;
      }
      const want = JSON.stringify(viewOf(person.state));
      const got = JSON.stringify(viewOf(stored?.state ?? emptyCandidate(root)));
      if (want !== got)
        this.violation('lost', `${root} is stored as ${got}; the fold says ${want}`);
      if ((stored?.state.unsubscribedAt !== undefined) !== person.optedOut)
        this.violation('other', `${root}: the stored opt-out differs from the model's`);

      const byStatus = new Map(record.reminders.map((reminder) => [reminder.key, reminder]));
      const hasEmail = viewOf(person.state).profile.email !== undefined;
      for (const runAt of this.runInstants) {
        if (!hasEmail) break;
        for (const reminder of remindersDueAt(person.state, Date.parse(runAt), settings)) {
          const stored = byStatus.get(reminder.key);
          if (stored === undefined || stored.status === 'pending' || stored.status === 'claimed') {
            this.figures.lost += 1;
            this.violation(
              'lost',
              `${root}: ${reminder.key} (due ${reminder.dueAt}, due at the run of ${runAt}) is ${stored?.status ?? 'unknown to the store'} after the heal`,
            );
          }
        }
      }
      const attemptIds = new Set(
        viewOf(person.state).credentials.flatMap((credential) =>
          credential.attempts.map((attempt) => attempt.attemptId),
        ),
      );
      for (const reminder of record.reminders) {
        const emails = byKey.get(reminder.key) ?? [];
        if (reminder.status === 'sent' && !emails.some((e) => e.messageId === reminder.messageId))
          this.violation(
            'other',
            `${root}: ${reminder.key} is recorded sent as ${reminder.messageId}, which SES never accepted for it`,
          );
        if (reminder.status === 'failed' && !this.rejectedKeys.has(reminder.key))
          this.violation(
            'other',
            `${root}: ${reminder.key} is recorded failed but SES never rejected it`,
          );
        if (reminder.status === 'skipped') {
          const moments = [...this.moments.values()]
            .filter((moment) => moment.runAt === reminder.resolvedAt)
            .flatMap((moment) => moment.persons);
          if (
            !skipIsJustified(
              reminder.key,
              reminder.reason ?? '',
              reminder.resolvedAt ?? '',
              [...moments, person],
              settings,
            )
          ) {
            const lost = emails.length === 0;
            if (lost) this.figures.lost += 1;
            this.violation(
              lost ? 'lost' : 'other',
              `${root}: ${reminder.key} was skipped as ${reminder.reason} at ${reminder.resolvedAt}, which SPEC §1 does not justify`,
            );
          }
        }
      }
      for (const [key, emails] of byKey) {
        if (!attemptIds.has(anchorOfKey(key))) continue;
        if (!emails.some((email) => email.outcome === 'recorded')) continue;
        const stored = byStatus.get(key);
        if (stored?.status !== 'sent')
          this.violation(
            'duplicate',
            `${root}: ${key} was emailed and recorded, yet the store says ${stored?.status ?? 'nothing'} (it could be sent again)`,
          );
      }
    }
    if (this.exact) this.figures.exactScenarios += 1;
    for (const violation of this.violations)
      if (violation.kind === 'other') this.figures.otherViolations += 1;
  }

  /** Deletes the scenario's candidates, so later scenarios' runs never meet them. */
  async cleanup() {
    this.world.end();
    await this.world.forget(this.ids);
  }

  /** Throws the violations found, with the scenario's trace, for fast-check to shrink. */
  assertClean() {
    if (this.violations.length === 0) return;
    throw new Error(
      [
        `${this.violations.length} violation(s):`,
        ...this.violations.map((violation) => `  [${violation.kind}] ${violation.text}`),
        'trace:',
        ...this.trace.map((line) => `  ${line}`),
      ].join('\n'),
    );
  }
}

// ---- commands -------------------------------------------------------------------------------------

/** An event whose delivery failed, waiting for its client to deliver it again. */
export interface DeferredEvent {
  readonly raw: Record<string, unknown>;
  readonly event: CertificationEvent;
  readonly webhookId: string;
  readonly label: string;
  /** A merge the model applied when its first write landed, though the answer was a 5xx. */
  applied?: boolean;
}

export interface AttemptSpec {
  readonly candidate: number;
  readonly credential: 'cred-x' | 'cred-y';
  readonly outcome: 'pass' | 'fail';
  /** Days from the scenario's day 0. */
  readonly day: number;
  readonly minute: number;
}

const describeFaults = (faults: readonly FaultSpec[]) =>
  faults.length === 0
    ? ''
    : ` with faults [${faults.map((fault) => `${fault.kind}#${fault.at}/${fault.variant}`).join(', ')}]`;

abstract class ChaosCommand implements fc.AsyncCommand<FaultScenario, ChaosWorld> {
  constructor(
    readonly faults: readonly FaultSpec[],
    /** For events: a delivery that failed is retried only after the next command. */
    readonly later = false,
  ) {}
  check(_model: Readonly<FaultScenario>): boolean {
    return true;
  }
  async run(model: FaultScenario, world: ChaosWorld): Promise<void> {
    const deferred = model.takeDeferred();
    model.begin(this.toString());
    model.retryLater = this.later;
    world.arm(this.faults);
    try {
      await this.act(model);
    } finally {
      world.disarm();
      model.retryLater = false;
    }
    for (const pending of deferred) {
      model.begin(`the client retries: ${pending.label}`);
      await model.deliverEvent(pending, false);
    }
  }
  protected abstract act(model: FaultScenario): Promise<void>;
  protected abstract describe(): string;
  toString(): string {
    return `${this.describe()}${describeFaults(this.faults)}${this.later ? ' (client retries later)' : ''}`;
  }
}

class AttemptCommand extends ChaosCommand {
  constructor(
    readonly spec: AttemptSpec,
    faults: readonly FaultSpec[],
    later: boolean,
  ) {
    super(faults, later);
  }
  protected act(model: FaultScenario) {
    return model.recordAttempt(this.spec);
  }
  protected describe() {
    const { candidate, credential, outcome, day, minute } = this.spec;
    return `attempt c${candidate} ${credential} ${outcome} day ${day} minute ${minute}`;
  }
}

class UpdateCommand extends ChaosCommand {
  constructor(
    readonly candidate: number,
    readonly change: number,
    readonly stampDay: number,
    faults: readonly FaultSpec[],
    later: boolean,
  ) {
    super(faults, later);
  }
  protected act(model: FaultScenario) {
    return model.updateProfile(this.candidate, this.change, this.stampDay);
  }
  protected describe() {
    return `update c${this.candidate} change ${this.change} stamped day ${this.stampDay}`;
  }
}

class UnsubscribeCommand extends ChaosCommand {
  constructor(
    readonly candidate: number,
    faults: readonly FaultSpec[],
  ) {
    super(faults);
  }
  protected act(model: FaultScenario) {
    return model.unsubscribe(this.candidate);
  }
  protected describe() {
    return `unsubscribe c${this.candidate}`;
  }
}

class EraseCommand extends ChaosCommand {
  constructor(
    readonly candidate: number,
    faults: readonly FaultSpec[],
    later: boolean,
  ) {
    super(faults, later);
  }
  protected act(model: FaultScenario) {
    return model.erase(this.candidate);
  }
  protected describe() {
    return `erase c${this.candidate}`;
  }
}

class MergeCommand extends ChaosCommand {
  constructor(
    readonly from: number,
    readonly to: number,
    faults: readonly FaultSpec[],
    later: boolean,
  ) {
    super(faults, later);
  }
  protected act(model: FaultScenario) {
    return model.merge(this.from, this.to);
  }
  protected describe() {
    return `merge c${this.from} into c${this.to}`;
  }
}

/** The daily job: a few days after the last run (or before it: a replay with `run --now`). */
class RunCommand extends ChaosCommand {
  constructor(
    readonly days: number,
    readonly minute: number,
    readonly queue: QueueFaults | undefined,
    faults: readonly FaultSpec[],
  ) {
    super(faults);
  }
  protected act(model: FaultScenario) {
    model.runDay += this.days;
    return model.run(model.runInstant(model.runDay, this.minute), this.queue);
  }
  protected describe() {
    return `run ${this.days >= 0 ? '+' : ''}${this.days} days from the last run day, minute ${this.minute}${this.queue ? ` queue ${JSON.stringify(this.queue)}` : ''}`;
  }
}

class RetryRunCommand extends ChaosCommand {
  constructor(
    readonly queue: QueueFaults | undefined,
    faults: readonly FaultSpec[],
  ) {
    super(faults);
  }
  override check(model: Readonly<FaultScenario>) {
    return model.lastRunAt !== undefined;
  }
  protected act(model: FaultScenario) {
    return model.run(model.lastRunAt as string, this.queue);
  }
  protected describe() {
    return `retry the last run at the same instant${this.queue ? ` queue ${JSON.stringify(this.queue)}` : ''}`;
  }
}

class LaterRunCommand extends ChaosCommand {
  constructor(
    readonly days: number,
    readonly queue: QueueFaults | undefined,
    faults: readonly FaultSpec[],
  ) {
    super(faults);
  }
  override check(model: Readonly<FaultScenario>) {
    return model.lastRunAt !== undefined;
  }
  protected act(model: FaultScenario) {
    const runAt = new Date(
      Date.parse(model.lastRunAt as string) + this.days * DAY_MS,
    ).toISOString();
    return model.run(runAt, this.queue);
  }
  protected describe() {
    return `a later run, ${this.days} days after the last${this.queue ? ` queue ${JSON.stringify(this.queue)}` : ''}`;
  }
}

class AdvanceClockCommand extends ChaosCommand {
  constructor(readonly seconds: number) {
    super([]);
  }
  protected async act(model: FaultScenario) {
    model.advanceClock(this.seconds);
  }
  protected describe() {
    return `the wall clock jumps ${this.seconds} s (lease ${LEASE_SECONDS} s)`;
  }
}

// ---- arbitraries ----------------------------------------------------------------------------------

/** How many operations of a kind one command makes, roughly: where a fault may strike. */
const REACH: Record<FaultKind, number> = {
  'db.fail-before-write': 6,
  'db.timeout-after-write': 6,
  'db.throttle': 10,
  'ses.account': 3,
  'ses.reject': 3,
  'crash.before-request': 10,
  'crash.after-write': 6,
  'crash.after-send': 3,
};

const faultArb: fc.Arbitrary<FaultSpec> = fc
  .record({
    kind: fc.constantFrom(...FAULT_KINDS),
    at: fc.nat({ max: 9 }),
    variant: fc.nat({ max: 5 }),
  })
  .map((fault) => ({ ...fault, at: fault.at % REACH[fault.kind] }));

/** Faults aimed at the sends of a run: SES failures, and crashes after SES accepted. */
const sendFaultArb: fc.Arbitrary<FaultSpec> = fc.record({
  kind: fc.constantFrom<FaultKind>('ses.account', 'ses.reject', 'crash.after-send'),
  at: fc.nat({ max: 1 }),
  variant: fc.nat({ max: 5 }),
});

const faultsArb = (weightNone: number, max: number) =>
  fc.oneof(
    { weight: weightNone, arbitrary: fc.constant([] as FaultSpec[]) },
    { weight: 4, arbitrary: fc.array(faultArb, { minLength: 1, maxLength: max }) },
  );

const runFaultsArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant([] as FaultSpec[]) },
  {
    weight: 4,
    arbitrary: fc.array(fc.oneof({ weight: 3, arbitrary: faultArb }, sendFaultArb), {
      minLength: 1,
      maxLength: 3,
    }),
  },
);

const queueFaultsArb: fc.Arbitrary<QueueFaults | undefined> = fc.option(
  fc.record({
    order: fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 2, max: 1_000_000 })),
    duplicates: fc.nat({ max: 7 }),
    delays: fc.oneof(fc.constant(0), fc.nat({ max: 7 })),
  }),
  { nil: undefined, freq: 2 },
);

/**
 * Attempts whose reminders fall due around the run days (mostly 0–25): renewal (pass + 9 months),
 * warning (+ 11 months), expiry (+ 12 months), retake (fail + 25 days); or anywhere.
 */
const attemptDayArb = fc.oneof(
  { weight: 1, arbitrary: fc.integer({ min: -400, max: 20 }) },
  { weight: 2, arbitrary: fc.integer({ min: -285, max: -250 }) },
  { weight: 2, arbitrary: fc.integer({ min: -345, max: -310 }) },
  { weight: 2, arbitrary: fc.integer({ min: -375, max: -340 }) },
  { weight: 2, arbitrary: fc.integer({ min: -35, max: 5 }) },
);

const candidateArb = fc.nat({ max: 2 });
/** A client that retries a failed delivery only after the next command (a quarter of them). */
const laterArb = fc.boolean().chain((maybe) => (maybe ? fc.boolean() : fc.constant(false)));
const runMinuteArb = fc.constantFrom(13 * 60, 13 * 60, 13 * 60, 0, 6 * 60 + 17, 23 * 60 + 59);

const attemptCommandArb = fc
  .tuple(
    fc.record({
      candidate: candidateArb,
      credential: fc.constantFrom('cred-x' as const, 'cred-y' as const),
      outcome: fc.constantFrom('pass' as const, 'fail' as const),
      day: attemptDayArb,
      minute: fc.nat({ max: 1439 }),
    }),
    faultsArb(4, 2),
    laterArb,
  )
  .map(([spec, faults, later]) => new AttemptCommand(spec, faults, later));

/** Each scenario starts with a few attempts, so its runs find something due. */
export const firstAttemptsArb = fc.array(attemptCommandArb, { minLength: 1, maxLength: 4 });

const updateCommandArb = fc
  .tuple(
    candidateArb,
    fc.nat({ max: 6 }),
    fc.integer({ min: -400, max: 40 }),
    faultsArb(4, 2),
    laterArb,
  )
  .map(
    ([candidate, change, stampDay, faults, later]) =>
      new UpdateCommand(candidate, change, stampDay, faults, later),
  );

const unsubscribeCommandArb = fc
  .tuple(candidateArb, faultsArb(3, 1))
  .map(([candidate, faults]) => new UnsubscribeCommand(candidate, faults));

const eraseCommandArb = fc
  .tuple(candidateArb, faultsArb(3, 2), laterArb)
  .map(([candidate, faults, later]) => new EraseCommand(candidate, faults, later));

const mergeCommandArb = fc
  .tuple(candidateArb, fc.nat({ max: 1 }), faultsArb(3, 2), laterArb)
  .map(
    ([from, step, faults, later]) => new MergeCommand(from, (from + 1 + step) % 3, faults, later),
  );

const runDaysArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 6 }) },
  { weight: 1, arbitrary: fc.integer({ min: -8, max: -1 }) },
);

const runCommandArb = fc
  .tuple(runDaysArb, runMinuteArb, queueFaultsArb, runFaultsArb)
  .map(([days, minute, queue, faults]) => new RunCommand(days, minute, queue, faults));

const retryRunCommandArb = fc
  .tuple(queueFaultsArb, runFaultsArb)
  .map(([queue, faults]) => new RetryRunCommand(queue, faults));

const laterRunCommandArb = fc
  .tuple(
    fc.oneof(
      { weight: 1, arbitrary: fc.integer({ min: 7, max: 20 }) },
      { weight: 1, arbitrary: fc.integer({ min: 21, max: 60 }) },
    ),
    queueFaultsArb,
    runFaultsArb,
  )
  .map(([days, queue, faults]) => new LaterRunCommand(days, queue, faults));

const advanceClockCommandArb = fc
  .oneof(
    fc.integer({ min: 1, max: LEASE_SECONDS - 1 }),
    fc.integer({ min: LEASE_SECONDS, max: 3 * LEASE_SECONDS }),
  )
  .map((seconds) => new AdvanceClockCommand(seconds));

/** The commands of one scenario: a few events and runs, faults planned at some of their steps. */
export const commandsArb = (maxCommands: number) =>
  fc.commands(
    [
      attemptCommandArb,
      attemptCommandArb,
      updateCommandArb,
      unsubscribeCommandArb,
      eraseCommandArb,
      mergeCommandArb,
      mergeCommandArb,
      runCommandArb,
      runCommandArb,
      runCommandArb,
      runCommandArb,
      retryRunCommandArb,
      retryRunCommandArb,
      laterRunCommandArb,
      advanceClockCommandArb,
      advanceClockCommandArb,
    ],
    { maxCommands, size: 'medium' },
  );

/** The run that follows the first attempts: every scenario runs at least once. */
export const firstRunArb = runCommandArb;
