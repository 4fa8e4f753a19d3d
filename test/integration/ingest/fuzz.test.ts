import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../../functions/adapters/webhook-signature';
import type { HttpEvent } from '../../../functions/handlers/http-response';
import { MAX_BODY_BYTES } from '../../../functions/handlers/ingest';
import {
  createTestApp,
  httpEvent,
  OLD_WEBHOOK_SECRET,
  type TestApp,
  uniqueId,
  WEBHOOK_SECRET,
} from '../support/harness';
import { snapshotTable, type TableSnapshot } from '../support/table';
import { parse } from './ingest-support';
import { expectPendingRemindersMatchDerived } from './stored-layout';

/**
 * SPEC §3 "A client's mistake is never a 5xx" and "Errors never store anything", fuzzed against the
 * ingest handler on a real table: arbitrary bodies and header sets never produce a 5xx, and an
 * answer other than 202 never changes the table (item count and content hash).
 */

const NUM_RUNS = 200;
const FOREIGN_SECRET = 'whsec_c29tZW9uZSBlbHNlJ3Mgc2VjcmV0IGtleSEh';
const NOW = Date.now();

/** Strings made of any UTF-16 code unit, lone surrogates and control characters included. */
const anyCodeUnits = (maxLength: number) =>
  fc.string({
    unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
    maxLength,
  });

const weirdText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  anyCodeUnits(40),
  fc.constantFrom('', ' ', '\u0000', '\u2028', '💥'.repeat(60), 'x'.repeat(300)),
);

const candidatePool = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((letter) =>
  uniqueId(`fz-${letter}`),
);
const attemptPool = ['1', '2', '3', '4', '5', '6'].map((digit) => uniqueId(`fz-att${digit}`));

const candidateIdArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...candidatePool) },
  { weight: 1, arbitrary: weirdText },
);
const idArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...attemptPool) },
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:@-]{1,128}$/) },
  { weight: 1, arbitrary: weirdText },
);
const emailArb = fc.oneof(
  fc.constantFrom('ana@example.com', 'Bo.Silva+cert@example.co.uk', 'x@y.z'),
  fc.emailAddress(),
  weirdText,
);
const zoneArb = fc.constantFrom(
  'UTC',
  'Europe/Lisbon',
  'America/Los_Angeles',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'Etc/GMT+12',
  'Etc/GMT-14',
  'utc',
  'EST',
  'US/Pacific',
  'Asia/Calcutta',
  '+05:30',
  'Mars/Olympus_Mons',
  '',
);
const pastInstant = fc
  .date({
    min: new Date('1999-12-31T00:00:00Z'),
    max: new Date(NOW + 10 * 60_000),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString());
const instantArb = fc.oneof(
  { weight: 6, arbitrary: pastInstant },
  {
    weight: 2,
    arbitrary: fc
      .tuple(pastInstant, fc.constantFrom('+14:00', '-12:00', '+05:45', '-00:00', '+00:00'))
      .map(([iso, offset]) => iso.replace('Z', offset)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2026-02-30T10:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999999999Z',
      '2026-01-01',
      '2026-01-01T10:00:00',
    ),
  },
  { weight: 1, arbitrary: weirdText },
);
const optional = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.option(arbitrary, { nil: undefined, freq: 3 });
const nullable = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.option(fc.oneof(arbitrary, fc.constant(null)), { nil: undefined, freq: 2 });

const attemptArb = fc.record({
  type: fc.constant('attempt.recorded'),
  timestamp: instantArb,
  data: fc.record({
    attemptId: idArb,
    candidate: fc.record(
      {
        candidateId: candidateIdArb,
        email: emailArb,
        name: optional(weirdText),
        timeZone: optional(zoneArb),
        locale: optional(fc.constantFrom('en-GB', 'pt-PT', 'xx-invalid-tag-that-is-long', 'de')),
        guardianEmail: optional(emailArb),
      },
      { requiredKeys: ['candidateId', 'email'] },
    ),
    credential: fc.record({
      credentialId: fc.oneof(fc.constantFrom('aws-serverless', 'gcp-ace'), idArb),
      name: weirdText,
    }),
    outcome: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom('pass', 'fail') },
      { weight: 1, arbitrary: weirdText },
    ),
    takenAt: instantArb,
  }),
});

const updateArb = fc.record({
  type: fc.constant('candidate.updated'),
  timestamp: instantArb,
  data: fc.record(
    {
      candidateId: candidateIdArb,
      email: optional(emailArb),
      name: nullable(weirdText),
      timeZone: nullable(zoneArb),
      locale: nullable(fc.constantFrom('en-GB', 'not a locale')),
      guardianEmail: nullable(emailArb),
    },
    { requiredKeys: ['candidateId'] },
  ),
});

const mergeArb = fc.record({
  type: fc.constant('account.merged'),
  timestamp: instantArb,
  data: fc.record({ fromCandidateId: candidateIdArb, toCandidateId: candidateIdArb }),
});

const eraseArb = fc.record({
  type: fc.constant('candidate.erased'),
  timestamp: instantArb,
  data: fc.record({ candidateId: candidateIdArb }),
});

/** Events whose every field is valid, so that most of them reach the store. */
const validZone = fc.constantFrom(
  'UTC',
  'Europe/Lisbon',
  'America/Los_Angeles',
  'Pacific/Kiritimati',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
);
const validName = fc.stringMatching(/^[A-Za-z][A-Za-z .'-]{0,40}$/);
const validInstant = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date(NOW - 60_000), noInvalidDate: true })
  .map((date) => date.toISOString());
const validEmail = fc.constantFrom(
  'ana@example.com',
  'bo.silva+cert@example.co.uk',
  'parent@example.org',
);

const validAttemptArb = fc.record({
  type: fc.constant('attempt.recorded'),
  timestamp: validInstant,
  data: fc.record({
    attemptId: fc.oneof(
      fc.constantFrom(...attemptPool),
      fc.stringMatching(/^[A-Za-z0-9._:@-]{1,128}$/),
    ),
    candidate: fc.record(
      {
        candidateId: fc.constantFrom(...candidatePool),
        email: validEmail,
        name: validName,
        timeZone: validZone,
        guardianEmail: validEmail,
      },
      { requiredKeys: ['candidateId', 'email'] },
    ),
    credential: fc.record({
      credentialId: fc.constantFrom('aws-serverless', 'gcp-ace'),
      name: validName,
    }),
    outcome: fc.constantFrom('pass', 'fail'),
    takenAt: validInstant,
  }),
});

const validUpdateArb = fc.record({
  type: fc.constant('candidate.updated'),
  timestamp: validInstant,
  data: fc.record(
    {
      candidateId: fc.constantFrom(...candidatePool),
      email: validEmail,
      name: fc.option(validName, { nil: null }),
      timeZone: fc.option(validZone, { nil: null }),
      guardianEmail: fc.option(validEmail, { nil: null }),
    },
    { requiredKeys: ['candidateId'] },
  ),
});

const validMergeArb = fc.record({
  type: fc.constant('account.merged'),
  timestamp: validInstant,
  data: fc.record({
    fromCandidateId: fc.constantFrom(...candidatePool),
    toCandidateId: fc.constantFrom(...candidatePool),
  }),
});

const eventArb = fc.oneof(
  { weight: 24, arbitrary: attemptArb },
  { weight: 24, arbitrary: validAttemptArb },
  { weight: 6, arbitrary: updateArb },
  { weight: 6, arbitrary: validUpdateArb },
  { weight: 3, arbitrary: mergeArb },
  { weight: 3, arbitrary: validMergeArb },
  { weight: 1, arbitrary: eraseArb },
);

type Json = unknown;

/** The paths of every value inside a JSON value (objects and arrays), root first. */
const pathsOf = (
  value: Json,
  prefix: Array<string | number> = [],
): Array<Array<string | number>> => {
  const paths: Array<Array<string | number>> = [prefix];
  if (Array.isArray(value))
    for (const [index, inner] of value.entries()) paths.push(...pathsOf(inner, [...prefix, index]));
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value))
      paths.push(...pathsOf(inner, [...prefix, key]));
  }
  return paths;
};

interface Mutation {
  readonly at: number;
  readonly action: 'delete' | 'replace' | 'add';
  readonly key: string;
  readonly value: Json;
}

const mutate = (original: Json, mutations: readonly Mutation[]): Json => {
  let root = structuredClone(original);
  for (const mutation of mutations) {
    const paths = pathsOf(root);
    const path = paths[mutation.at % paths.length] as Array<string | number>;
    if (path.length === 0) {
      if (mutation.action === 'replace') root = mutation.value;
      continue;
    }
    let parent = root as Record<string | number, Json>;
    for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
    const last = path[path.length - 1] as string | number;
    if (mutation.action === 'delete') delete parent[last];
    else if (mutation.action === 'replace') parent[last] = mutation.value;
    else if (parent[last] !== null && typeof parent[last] === 'object') {
      (parent[last] as Record<string, Json>)[mutation.key] = mutation.value;
    }
  }
  return root;
};

const mutationArb = fc.record({
  at: fc.nat(),
  action: fc.constantFrom('delete', 'replace', 'add'),
  key: fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'type', 'data'),
    fc.string({ maxLength: 8 }),
  ),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), weirdText, fc.constantFrom(1e308, -0, true, null)),
}) as fc.Arbitrary<Mutation>;

const mutatedEventArb = fc
  .tuple(eventArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }))
  .map(([event, mutations]) => mutate(event, mutations));

/** Any body: text, JSON values, events and mutated events, and sizes around the limit. */
const bodyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: anyCodeUnits(200) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 3, arbitrary: eventArb.map((event) => JSON.stringify(event)) },
  { weight: 4, arbitrary: mutatedEventArb.map((event) => JSON.stringify(event) ?? 'undefined') },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: -2, max: 2 })
      .map((delta) => `"${'x'.repeat(MAX_BODY_BYTES - 2 + delta)}"`),
  },
);

/** How a request is signed, and which headers are then missing or garbled. */
const headerPlanArb = fc.record({
  secret: fc.constantFrom(WEBHOOK_SECRET, OLD_WEBHOOK_SECRET, FOREIGN_SECRET),
  skewSeconds: fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    fc.integer({ min: -600, max: 600 }),
  ),
  id: fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('msg_reused_1', 'msg_reused_2') },
    { weight: 1, arbitrary: anyCodeUnits(30) },
  ),
  override: fc.record(
    {
      'webhook-id': fc.oneof(weirdText, fc.constant('')),
      'webhook-timestamp': fc.oneof(
        weirdText,
        fc.constantFrom('', '-1', '1e9', '0x6', '99999999999999', ' 1764150000'),
      ),
      'webhook-signature': fc.oneof(
        weirdText,
        fc.constantFrom('v1,', 'v1', ',', 'v1,=', `v1,${'A'.repeat(44)}`, 'v2,abc v1,def', '  '),
      ),
    },
    { requiredKeys: [] },
  ),
  drop: fc.subarray(['webhook-id', 'webhook-timestamp', 'webhook-signature']),
  /** Without tampering, `override` and `drop` are left out, so the signature is checked for real. */
  tamper: fc.boolean(),
  contentType: fc.oneof(
    {
      weight: 8,
      arbitrary: fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'APPLICATION/JSON',
        'application/json;',
        ' application/json ',
      ),
    },
    fc.constantFrom(
      'text/plain',
      'application/jsonp',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
    ),
    fc.string({ maxLength: 30 }),
    fc.constant(undefined),
  ),
  headerCase: fc.constantFrom('lower', 'upper', 'mixed'),
  base64: fc.boolean(),
  extra: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 20 }), {
    maxKeys: 2,
  }),
});

type HeaderPlan = typeof headerPlanArb extends fc.Arbitrary<infer T> ? T : never;

const recase = (name: string, style: HeaderPlan['headerCase']) =>
  style === 'upper'
    ? name.toUpperCase()
    : style === 'mixed'
      ? name.replace(
          /(^|-)([a-z])/g,
          (_all, dash: string, letter: string) => dash + letter.toUpperCase(),
        )
      : name;

const buildRequest = (body: string, plan: HeaderPlan): HttpEvent => {
  const id = plan.id ?? `msg_${randomUUID()}`;
  const signed = signWebhook(plan.secret, id, new Date(Date.now() + plan.skewSeconds * 1000), body);
  const headers: Record<string, string> = { ...plan.extra };
  const chosen: Record<string, string | undefined> = {
    ...signed,
    ...(plan.tamper ? plan.override : {}),
    'content-type': plan.contentType,
  };
  for (const name of plan.tamper ? plan.drop : []) chosen[name] = undefined;
  for (const [name, value] of Object.entries(chosen)) {
    if (value !== undefined) headers[recase(name, plan.headerCase)] = value;
  }
  const event = httpEvent('POST', '/v1/events', { headers });
  return plan.base64
    ? { ...event, body: Buffer.from(body, 'utf8').toString('base64'), isBase64Encoded: true }
    : { ...event, body, isBase64Encoded: false };
};

/** Keeps the last known table snapshot, re-reading it only after the table may have changed. */
const tableWatch = (testApp: TestApp) => {
  let known: TableSnapshot | undefined;
  return {
    async before() {
      known ??= await snapshotTable(testApp);
      return known;
    },
    invalidate() {
      known = undefined;
    },
    async expectUnchanged(label: string) {
      const before = known as TableSnapshot;
      const after = await snapshotTable(testApp);
      expect(after.count, label).toBe(before.count);
      expect(after.hash, label).toBe(before.hash);
    },
  };
};

describe('fuzzing POST /v1/events', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  it('never answers 5xx to arbitrary bodies and headers, and never stores anything unless it answers 202', async () => {
    const watch = tableWatch(testApp);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(bodyArb, headerPlanArb, async (body, plan) => {
        // Prepare
        await watch.before();
        const request = buildRequest(body, plan);

        // Act
        const result = parse(await testApp.app.ingest(request));

        // Assess
        const label = `${result.statusCode} ${result.body.slice(0, 200)}`;
        statuses.set(result.statusCode, (statuses.get(result.statusCode) ?? 0) + 1);
        expect(result.statusCode, label).toBeLessThan(500);
        expect([202, 400, 401, 409, 413, 415], label).toContain(result.statusCode);
        expect(result.json, label).toBeDefined();
        if (result.statusCode === 202) {
          watch.invalidate();
        } else {
          expect(result.json?.error, label).toEqual(expect.any(String));
          expect(result.json?.message, label).toEqual(expect.any(String));
          await watch.expectUnchanged(label);
        }
      }),
      { numRuns: NUM_RUNS, interruptAfterTimeLimit: 40_000, markInterruptAsFailure: true },
    );
    expect(statuses.get(401) ?? 0).toBeGreaterThan(0);
  }, 60_000);
});

describe('fuzzing correctly signed JSON', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  it('never answers 5xx to any correctly signed JSON, and stores nothing unless it answers 202', async () => {
    const watch = tableWatch(testApp);
    const statuses = new Map<number, number>();
    const jsonArb = fc.oneof(
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      { weight: 3, arbitrary: eventArb },
      { weight: 3, arbitrary: mutatedEventArb },
    );
    await fc.assert(
      fc.asyncProperty(jsonArb, async (value) => {
        // Prepare
        await watch.before();
        const body = JSON.stringify(value) ?? 'null';
        const request = buildRequest(body, {
          secret: WEBHOOK_SECRET,
          skewSeconds: 0,
          id: undefined,
          override: {},
          drop: [],
          tamper: false,
          contentType: 'application/json',
          headerCase: 'lower',
          base64: false,
          extra: {},
        });

        // Act
        const result = parse(await testApp.app.ingest(request));

        // Assess
        const label = `${result.statusCode} ${result.body.slice(0, 300)} for ${body.slice(0, 300)}`;
        expect(result.statusCode, label).toBeLessThan(500);
        expect([202, 400, 409], label).toContain(result.statusCode);
        statuses.set(result.statusCode, (statuses.get(result.statusCode) ?? 0) + 1);
        if (result.statusCode === 202) watch.invalidate();
        else await watch.expectUnchanged(label);
      }),
      { numRuns: NUM_RUNS, interruptAfterTimeLimit: 40_000, markInterruptAsFailure: true },
    );

    // Assess, once the run is over: what was accepted left consistent reminders behind.
    for (const candidateId of candidatePool) {
      const resolved = await testApp.app.store.resolveCandidate(candidateId);
      if (!resolved.erased && resolved.candidateId === candidateId) {
        await expectPendingRemindersMatchDerived(testApp, candidateId);
      }
    }
    expect(statuses.get(202) ?? 0).toBeGreaterThan(0);
  }, 60_000);
});
