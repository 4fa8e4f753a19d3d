import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../functions/handlers/ingest';
import { attemptEvent, createTestApp, httpEvent, type TestApp, uniqueId } from '../support/harness';
import { snapshotTable } from '../support/table';
import { errorKeys, type ParsedResult, parse, send, signedPost } from './ingest-support';

/** SPEC §3: every answer of the HTTP API, exact JSON shapes, and "errors never store anything". */

let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

const MINUTE = 60_000;

const validAttempt = (overrides: Partial<Parameters<typeof attemptEvent>[0]> = {}) =>
  attemptEvent({
    candidateId: uniqueId('err'),
    outcome: 'fail',
    takenAt: '2026-05-04T08:15:00Z',
    ...overrides,
  });

/** Runs `act` and checks that the table is exactly as it was before. */
const expectNothingStored = async (act: () => Promise<ParsedResult>): Promise<ParsedResult> => {
  const before = await snapshotTable(testApp);
  const result = await act();
  const after = await snapshotTable(testApp);
  expect(after.count).toBe(before.count);
  expect(after.hash).toBe(before.hash);
  return result;
};

const expectProblem = (
  result: ParsedResult,
  status: number,
  code: string,
  extra: string[] = [],
) => {
  expect(result.statusCode).toBe(status);
  expect(result.headers?.['content-type']).toMatch(/^application\/json/);
  expect(Object.keys(result.json ?? {}).sort()).toEqual(errorKeys(extra));
  expect(result.json?.error).toBe(code);
  expect(typeof result.json?.message).toBe('string');
};

/** Pads a JSON event with trailing spaces up to exactly `bytes` bytes. */
const paddedTo = (event: unknown, bytes: number) => {
  const text = JSON.stringify(event);
  return text + ' '.repeat(bytes - Buffer.byteLength(text));
};

describe('POST /v1/events: 400 invalid_json', () => {
  it.each([
    ['a truncated object', '{"type": "attempt.recorded", '],
    ['plain text', 'hello'],
    ['an empty body', ''],
    ['single quotes', "{'type': 'candidate.erased'}"],
  ])('refuses %s with 400 invalid_json and stores nothing', async (_label, body) => {
    // Prepare / Act
    const result = await expectNothingStored(() => send(testApp, signedPost(body)));

    // Assess
    expectProblem(result, 400, 'invalid_json');
  });
});

describe('POST /v1/events: 400 invalid_payload with issue paths', () => {
  const event = validAttempt();
  const tenMinutesAhead = new Date(Date.now() + 10 * MINUTE).toISOString();
  const cases: Array<[string, unknown, string]> = [
    [
      'takenAt 10 minutes in the future',
      { ...event, data: { ...event.data, takenAt: tenMinutesAhead } },
      'data.takenAt',
    ],
    [
      'takenAt before 2000-01-01',
      { ...event, data: { ...event.data, takenAt: '1999-12-31T23:59:59Z' } },
      'data.takenAt',
    ],
    [
      'takenAt without an offset',
      { ...event, data: { ...event.data, takenAt: '2026-05-04T08:15:00' } },
      'data.takenAt',
    ],
    [
      'a bad email',
      {
        ...event,
        data: {
          ...event.data,
          candidate: { ...event.data.candidate, email: 'ana at example.com' },
        },
      },
      'data.candidate.email',
    ],
    [
      'a bad guardian email',
      {
        ...event,
        data: { ...event.data, candidate: { ...event.data.candidate, guardianEmail: 'parent@' } },
      },
      'data.candidate.guardianEmail',
    ],
    ['an unknown type', { ...event, type: 'attempt.deleted' }, 'type'],
    [
      'an id with a space',
      { ...event, data: { ...event.data, attemptId: 'att 1' } },
      'data.attemptId',
    ],
    [
      'a candidate id of 129 characters',
      {
        ...event,
        data: {
          ...event.data,
          candidate: { ...event.data.candidate, candidateId: 'c'.repeat(129) },
        },
      },
      'data.candidate.candidateId',
    ],
    [
      'a name with a control character',
      {
        ...event,
        data: { ...event.data, candidate: { ...event.data.candidate, name: 'Ana\u0007Lima' } },
      },
      'data.candidate.name',
    ],
    [
      'an unknown time zone',
      {
        ...event,
        data: {
          ...event.data,
          candidate: { ...event.data.candidate, timeZone: 'Mars/Olympus_Mons' },
        },
      },
      'data.candidate.timeZone',
    ],
    [
      'an unknown outcome',
      { ...event, data: { ...event.data, outcome: 'absent' } },
      'data.outcome',
    ],
    [
      'a missing credential',
      { ...event, data: { ...event.data, credential: undefined } },
      'data.credential',
    ],
    ['a timestamp that is not a date', { ...event, timestamp: 'soon' }, 'timestamp'],
    [
      'a candidate.updated with a name of 201 characters',
      {
        type: 'candidate.updated',
        timestamp: event.timestamp,
        data: { candidateId: 'x', name: 'n'.repeat(201) },
      },
      'data.name',
    ],
    [
      'a merge of an account into itself',
      {
        type: 'account.merged',
        timestamp: event.timestamp,
        data: { fromCandidateId: 'same', toCandidateId: 'same' },
      },
      'data.toCandidateId',
    ],
  ];

  it.each(cases)(
    'refuses %s with 400 invalid_payload naming the field, and stores nothing',
    async (_label, body, path) => {
      // Prepare / Act
      const result = await expectNothingStored(() =>
        send(testApp, signedPost(JSON.stringify(body))),
      );

      // Assess
      expectProblem(result, 400, 'invalid_payload', ['issues']);
      const issues = result.json?.issues as Array<Record<string, unknown>>;
      expect(Array.isArray(issues)).toBe(true);
      for (const issue of issues) {
        expect(Object.keys(issue).sort()).toEqual(['message', 'path']);
        expect(typeof issue.path).toBe('string');
        expect(typeof issue.message).toBe('string');
      }
      expect(issues.map((issue) => issue.path)).toContain(path);
    },
  );

  it.each([
    ['null', 'null'],
    ['an array', '[]'],
    ['a number', '42'],
    ['an empty object', '{}'],
  ])('refuses a JSON body that is %s with 400 invalid_payload', async (_label, body) => {
    // Prepare / Act
    const result = await expectNothingStored(() => send(testApp, signedPost(body)));

    // Assess
    expectProblem(result, 400, 'invalid_payload', ['issues']);
  });
});

describe('POST /v1/events: 409 conflict', () => {
  it('refuses the same attemptId with a different outcome, and keeps the first one', async () => {
    // Prepare
    const first = validAttempt({ outcome: 'pass' });
    const candidateId = first.data.candidate.candidateId;
    expect((await send(testApp, signedPost(JSON.stringify(first)))).statusCode).toBe(202);
    const changed = { ...first, data: { ...first.data, outcome: 'fail' } };

    // Act
    const result = await expectNothingStored(() =>
      send(testApp, signedPost(JSON.stringify(changed))),
    );

    // Assess
    expectProblem(result, 409, 'conflict');
    const record = await testApp.app.store.loadCandidate(candidateId);
    expect(
      record.states.flatMap((state) => state.attempts.map((attempt) => attempt.outcome)),
    ).toEqual(['pass']);
  });

  it('refuses the same attemptId with a different takenAt or candidate', async () => {
    // Prepare
    const first = validAttempt({ outcome: 'fail' });
    expect((await send(testApp, signedPost(JSON.stringify(first)))).statusCode).toBe(202);
    const otherTime = { ...first, data: { ...first.data, takenAt: '2026-05-05T08:15:00Z' } };
    const otherCandidate = {
      ...first,
      data: {
        ...first.data,
        candidate: { ...first.data.candidate, candidateId: uniqueId('other') },
      },
    };

    // Act
    const timeResult = await expectNothingStored(() =>
      send(testApp, signedPost(JSON.stringify(otherTime))),
    );
    const candidateResult = await expectNothingStored(() =>
      send(testApp, signedPost(JSON.stringify(otherCandidate))),
    );

    // Assess
    expectProblem(timeResult, 409, 'conflict');
    expectProblem(candidateResult, 409, 'conflict');
  });

  it('does not remember the webhook-id of a refused event', async () => {
    // Prepare
    const first = validAttempt({ outcome: 'pass' });
    expect((await send(testApp, signedPost(JSON.stringify(first)))).statusCode).toBe(202);
    const id = `msg_${randomUUID()}`;
    const changed = { ...first, data: { ...first.data, outcome: 'fail' } };
    expect((await send(testApp, signedPost(JSON.stringify(changed), { id }))).statusCode).toBe(409);

    // Act
    const again = await send(testApp, signedPost(JSON.stringify(changed), { id }));

    // Assess
    expectProblem(again, 409, 'conflict');
  });
});

describe('POST /v1/events: 413 payload_too_large', () => {
  it('refuses a signed body of 64 KiB + 1 byte, and stores nothing', async () => {
    // Prepare
    const body = paddedTo(validAttempt(), MAX_BODY_BYTES + 1);
    expect(MAX_BODY_BYTES).toBe(64 * 1024);

    // Act
    const result = await expectNothingStored(() => send(testApp, signedPost(body)));

    // Assess
    expectProblem(result, 413, 'payload_too_large');
  });

  it('refuses an unsigned body of 64 KiB + 1 byte before anything else', async () => {
    // Prepare
    const body = 'x'.repeat(64 * 1024 + 1);

    // Act
    const result = await expectNothingStored(async () =>
      parse(await testApp.app.ingest(httpEvent('POST', '/v1/events', { body }))),
    );

    // Assess
    expectProblem(result, 413, 'payload_too_large');
  });

  it('counts bytes, not characters: 21,846 three-byte characters are too large', async () => {
    // Prepare
    const body = '€'.repeat(21_846);
    expect(body.length).toBeLessThan(MAX_BODY_BYTES);

    // Act
    const result = await expectNothingStored(() => send(testApp, signedPost(body)));

    // Assess
    expectProblem(result, 413, 'payload_too_large');
  });

  it('accepts a body of exactly 64 KiB', async () => {
    // Prepare
    const event = validAttempt();
    const body = paddedTo(event, MAX_BODY_BYTES);
    const id = `msg_${randomUUID()}`;

    // Act
    const result = await send(testApp, signedPost(body, { id }));

    // Assess
    expect(result.statusCode).toBe(202);
    expect(result.json).toEqual({ status: 'accepted', id });
  });
});

describe('POST /v1/events: 415 unsupported_media_type', () => {
  it.each([
    ['text/plain', 'text/plain'],
    ['form data', 'application/x-www-form-urlencoded'],
    ['a JSON look-alike', 'application/jsonp'],
    ['no content type at all', undefined],
  ])('refuses %s with 415, and stores nothing', async (_label, contentType) => {
    // Prepare
    const body = JSON.stringify(validAttempt());

    // Act
    const result = await expectNothingStored(() =>
      send(testApp, signedPost(body, { contentType })),
    );

    // Assess
    expectProblem(result, 415, 'unsupported_media_type');
  });

  it.each([
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/json;charset=UTF-8',
  ])('accepts the content type %s', async (contentType) => {
    // Prepare
    const id = `msg_${randomUUID()}`;

    // Act
    const result = await send(
      testApp,
      signedPost(JSON.stringify(validAttempt()), { id, contentType }),
    );

    // Assess
    expect(result.statusCode).toBe(202);
    expect(result.json).toEqual({ status: 'accepted', id });
  });

  it('accepts a Content-Type header written in another case', async () => {
    // Prepare
    const id = `msg_${randomUUID()}`;
    const body = JSON.stringify(validAttempt());

    // Act
    const result = await send(
      testApp,
      signedPost(body, {
        id,
        contentType: undefined,
        headers: { 'Content-Type': 'application/json' },
      }),
    );

    // Assess
    expect(result.statusCode).toBe(202);
  });
});

describe('routes: 404, 405 and health', () => {
  it('answers GET /nope with 404 not_found and stores nothing', async () => {
    // Prepare / Act
    const result = await expectNothingStored(async () =>
      parse(await testApp.app.ingest(httpEvent('GET', '/nope'))),
    );

    // Assess
    expectProblem(result, 404, 'not_found');
  });

  it('answers an unknown /v1/ path through the app routes with 404 not_found', async () => {
    // Prepare / Act
    const routed = await testApp.app.route(httpEvent('POST', '/v1/nope', { body: '{}' }));

    // Assess
    expect(routed).toBeDefined();
    expectProblem(parse(routed as Awaited<typeof routed> & object), 404, 'not_found');
  });

  it.each([
    ['GET', '/v1/events', 'POST'],
    ['PUT', '/v1/events', 'POST'],
    ['DELETE', '/v1/events', 'POST'],
    ['POST', '/v1/health', 'GET'],
  ])('answers %s %s with 405 method_not_allowed and Allow: %s', async (method, path, allowed) => {
    // Prepare / Act
    const result = await expectNothingStored(async () =>
      parse(
        await testApp.app.ingest(
          httpEvent(method, path, {
            body: JSON.stringify(validAttempt()),
            headers: { 'content-type': 'application/json' },
          }),
        ),
      ),
    );

    // Assess
    expectProblem(result, 405, 'method_not_allowed');
    expect(result.headers?.allow).toContain(allowed);
  });

  it('answers GET /v1/health with 200 {"status":"ok"}', async () => {
    // Prepare / Act
    const result = await expectNothingStored(async () =>
      parse(await testApp.app.ingest(httpEvent('GET', '/v1/health'))),
    );

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.json).toEqual({ status: 'ok' });
  });
});

describe('a client mistake is never a 5xx', () => {
  it('answers a correctly signed event with a 3,000-character webhook-id with a 4xx, not a 5xx', async () => {
    // Prepare
    const id = `msg_${'x'.repeat(3000)}`;
    const body = JSON.stringify(validAttempt());

    // Act
    const result = await expectNothingStored(() => send(testApp, signedPost(body, { id })));

    // Assess
    expect(result.statusCode).toBeGreaterThanOrEqual(400);
    expect(result.statusCode).toBeLessThan(500);
  });

  it('answers deeply nested JSON with 400 invalid_payload', async () => {
    // Prepare
    const body = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;

    // Act
    const result = await expectNothingStored(() => send(testApp, signedPost(body)));

    // Assess
    expectProblem(result, 400, 'invalid_payload', ['issues']);
  });
});
