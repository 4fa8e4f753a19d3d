import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptEvent } from '../../integration/support/harness';
import { problemsOf, SECRETS, type Served, serveTestApp } from './hostile-support';
import { type RawRequest, type RawResponse, sendRaw } from './raw-http';
import { signatureOf } from './signed-requests';
import { diffTables, readTable } from './table-diff';

/**
 * The exact edges of SPEC §3 over real HTTP, each checked every time (the generated run of
 * `http-api.test.ts` reaches them only by chance): 64 KiB bodies, the 5-minute timestamp window,
 * 256-character webhook-ids and replays. Then the requests that Node's HTTP parser itself refuses
 * before any handler runs: they too must get a 4xx JSON error.
 */

let served: Served;
const RUN = randomBytes(4).toString('hex');
let sequence = 0;
const nextId = (label: string) => `${label}-${RUN}-${++sequence}`;

beforeAll(async () => {
  served = await serveTestApp();
});

afterAll(async () => {
  await served?.close();
});

/** A valid attempt event body for a fresh candidate, padded with spaces to `size` bytes. */
const eventBody = (candidateId: string, size?: number) => {
  const text = JSON.stringify(
    attemptEvent({
      candidateId,
      attemptId: `${candidateId}-a`,
      name: 'Zoë Ñandú',
      outcome: 'pass',
      takenAt: '2026-02-01T10:00:00Z',
    }),
  );
  return Buffer.from(size === undefined ? text : text + ' '.repeat(size - Buffer.byteLength(text)));
};

const post = (
  body: Buffer,
  options: { id?: string; skewSeconds?: number; timestamp?: string; chunked?: boolean } = {},
): { request: RawRequest; id: string } => {
  const id = options.id ?? `msg_${nextId('b')}`;
  const timestamp =
    options.timestamp ?? String(Math.floor(Date.now() / 1000) + (options.skewSeconds ?? 0));
  return {
    id,
    request: {
      method: 'POST',
      target: '/v1/events',
      headers: [
        ['content-type', 'application/json'],
        ['webhook-id', id],
        ['webhook-timestamp', timestamp],
        ['webhook-signature', signatureOf(SECRETS.webhook, id, timestamp, body)],
      ],
      body,
      ...(options.chunked ? { chunked: true } : {}),
    },
  };
};

const jsonOf = (response: RawResponse) => JSON.parse(response.text) as Record<string, unknown>;

describe('the edges of the HTTP API', () => {
  it('takes bodies of 65535 and 65536 bytes and refuses 65537 bytes and more with 413, storing nothing', async () => {
    // Prepare
    const cases = [
      { size: 65_535, status: 202 },
      { size: 65_536, status: 202 },
      { size: 65_536, status: 202, chunked: true },
      { size: 65_537, status: 413 },
      { size: 65_537, status: 413, chunked: true },
      { size: 70_000, status: 413 },
      { size: 1 << 20, status: 413 },
      { size: 16 << 20, status: 413, chunked: true },
    ];
    const before = await readTable(served.testApp);

    // Act
    const answers = [];
    for (const one of cases) {
      const candidateId = nextId('size');
      const { request } = post(eventBody(candidateId, one.size), { chunked: one.chunked === true });
      answers.push({ ...one, candidateId, response: await sendRaw(served.port, request, 60_000) });
    }

    // Assess
    const changes = diffTables(before, await readTable(served.testApp));
    for (const answer of answers) {
      const label = `${answer.size} bytes${answer.chunked ? ' (chunked)' : ''}`;
      expect(answer.response.status, label).toBe(answer.status);
      const touched = changes.filter((change) => change.text.includes(answer.candidateId));
      if (answer.status === 202) expect(touched.length, label).toBeGreaterThan(0);
      else {
        expect(jsonOf(answer.response), label).toEqual({
          error: 'payload_too_large',
          message: expect.any(String),
        });
        expect(touched, label).toEqual([]);
      }
    }
  }, 120_000);

  it('counts bytes, not characters: 40,000 two-byte characters are over the limit', async () => {
    // Prepare
    const candidateId = nextId('bytes');
    const event = JSON.parse(eventBody(candidateId).toString()) as Record<string, unknown>;
    const body = Buffer.from(JSON.stringify({ ...event, pad: 'é'.repeat(40_000) }));
    const before = await readTable(served.testApp);

    // Act
    const response = await sendRaw(served.port, post(body).request);

    // Assess
    expect(body.toString().length).toBeLessThan(65_536);
    expect(response.status).toBe(413);
    expect(diffTables(before, await readTable(served.testApp))).toEqual([]);
  });

  it('takes timestamps up to 5 minutes off and refuses those beyond, storing nothing for them', async () => {
    // Prepare
    const cases = [
      { skew: -295, status: 202 },
      { skew: 0, status: 202 },
      { skew: 299, status: 202 },
      { skew: -303, status: 401 },
      { skew: 310, status: 401 },
      { skew: -86_400, status: 401 },
      { skew: 31_536_000, status: 401 },
    ];

    // Act / Assess
    for (const one of cases) {
      const candidateId = nextId('ts');
      const before = await readTable(served.testApp);
      const response = await sendRaw(
        served.port,
        post(eventBody(candidateId), { skewSeconds: one.skew }).request,
      );
      const changes = diffTables(before, await readTable(served.testApp));
      expect(response.status, `skew ${one.skew}`).toBe(one.status);
      if (one.status === 401) {
        expect(jsonOf(response).error).toBe('invalid_signature');
        expect(changes, `skew ${one.skew}`).toEqual([]);
      } else expect(changes.length, `skew ${one.skew}`).toBeGreaterThan(0);
    }
  });

  it('refuses non-numeric and huge timestamps with 401', async () => {
    for (const timestamp of ['abc', '-1', '1.7e9', '99999999999999999999', '9'.repeat(12), '']) {
      // Prepare
      const before = await readTable(served.testApp);

      // Act
      const response = await sendRaw(
        served.port,
        post(eventBody(nextId('tsx')), { timestamp }).request,
      );

      // Assess
      expect(response.status, JSON.stringify(timestamp)).toBe(401);
      expect(problemsOf('POST', response, { statuses: [401], mayChange: [] })).toEqual([]);
      expect(diffTables(before, await readTable(served.testApp))).toEqual([]);
    }
  });

  it('takes a 256-character webhook-id and refuses 257 characters', async () => {
    // Prepare
    const longest = `msg_${nextId('id')}_`.padEnd(256, 'x');
    const tooLong = `msg_${nextId('id')}_`.padEnd(257, 'x');
    const tooLongCandidate = nextId('id257');

    // Act
    const ok = await sendRaw(
      served.port,
      post(eventBody(nextId('id256')), { id: longest }).request,
    );
    const before = await readTable(served.testApp);
    const refused = await sendRaw(
      served.port,
      post(eventBody(tooLongCandidate), { id: tooLong }).request,
    );

    // Assess
    expect(ok.status).toBe(202);
    expect(jsonOf(ok)).toEqual({ status: 'accepted', id: longest });
    expect(refused.status).toBe(401);
    expect(jsonOf(refused).error).toBe('invalid_signature');
    expect(diffTables(before, await readTable(served.testApp))).toEqual([]);
  });

  it('answers a replay of the same id and body "duplicate" and changes nothing', async () => {
    // Prepare
    const id = `msg_${nextId('replay')}`;
    const body = eventBody(nextId('replay'));
    const first = await sendRaw(served.port, post(body, { id }).request);
    const before = await readTable(served.testApp);

    // Act
    const again = await sendRaw(served.port, post(body, { id }).request);
    const olderTimestamp = await sendRaw(served.port, post(body, { id, skewSeconds: -10 }).request);

    // Assess
    expect(jsonOf(first)).toEqual({ status: 'accepted', id });
    expect(jsonOf(again)).toEqual({ status: 'duplicate', id });
    expect(jsonOf(olderTimestamp)).toEqual({ status: 'duplicate', id });
    expect(diffTables(before, await readTable(served.testApp))).toEqual([]);
  });
});

/** Requests written byte for byte: Node's HTTP parser refuses each before the gateway's handler runs. */
const MALFORMED: ReadonlyArray<{
  readonly label: string;
  readonly bytes: Buffer;
  readonly statuses: readonly number[];
}> = [
  {
    label: 'a header block over 16 KiB',
    bytes: Buffer.from(
      `POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Junk: ${'a'.repeat(20_000)}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    ),
    statuses: [400, 413, 431],
  },
  {
    label: 'a request target over 16 KiB',
    bytes: Buffer.from(
      `GET /v1/events/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    ),
    statuses: [400, 404, 414, 431],
  },
  {
    label: 'a control character in the webhook-id',
    bytes: Buffer.from(
      'POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nwebhook-id: msg_\x01ctl\r\nwebhook-timestamp: 1\r\nwebhook-signature: v1,x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
      'latin1',
    ),
    statuses: [400, 401],
  },
  {
    label: 'a DEL character in the webhook-id',
    bytes: Buffer.from(
      'POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nwebhook-id: msg_\x7fdel\r\nwebhook-timestamp: 1\r\nwebhook-signature: v1,x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
      'latin1',
    ),
    statuses: [400, 401],
  },
  {
    label: 'a method in lower case',
    bytes: Buffer.from(
      'post /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
    ),
    statuses: [400, 405],
  },
  {
    label: 'a header name that is not a token',
    bytes: Buffer.concat([
      Buffer.from('POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nwebhook-'),
      Buffer.from('ïd', 'utf8'),
      Buffer.from(': x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}'),
    ]),
    statuses: [400, 401],
  },
  {
    label: 'an unknown method',
    bytes: Buffer.from('FROB /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
    statuses: [400, 405],
  },
  {
    label: 'no Host header in HTTP/1.1',
    bytes: Buffer.from('GET /v1/health HTTP/1.1\r\nConnection: close\r\n\r\n'),
    statuses: [400],
  },
  {
    label: 'both Content-Length and Transfer-Encoding',
    bytes: Buffer.from(
      'POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n',
    ),
    statuses: [400],
  },
  {
    label: 'a chunk size that is not hexadecimal',
    bytes: Buffer.from(
      'POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    ),
    statuses: [400],
  },
  {
    label: 'a Content-Length that is not a number',
    bytes: Buffer.from(
      'POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2x\r\nConnection: close\r\n\r\n{}',
    ),
    statuses: [400],
  },
  {
    label: 'a space inside the request target',
    bytes: Buffer.from('GET /v1/he alth HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
    statuses: [400, 404],
  },
  {
    label: 'raw non-ASCII bytes in the request target',
    bytes: Buffer.concat([
      Buffer.from('GET /unsubscribe?token='),
      Buffer.from([0xff, 0xfe, 0x00]),
      Buffer.from(' HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
    ]),
    statuses: [400, 404],
  },
];

describe('requests refused by the HTTP parser', () => {
  it('still get a 4xx JSON {error, message} answer, and store nothing', async () => {
    // Prepare
    const before = await readTable(served.testApp);

    // Act
    const answers = [];
    for (const one of MALFORMED)
      answers.push({
        ...one,
        response: await sendRaw(served.port, {
          method: '',
          target: '',
          headers: [],
          rawBytes: one.bytes,
        }),
      });

    // Assess
    const problems = answers.flatMap(({ label, response, statuses }) => {
      const found: string[] = [];
      if (response.status >= 500 || !statuses.includes(response.status))
        found.push(`answered ${response.status}, expected ${statuses.join('/')}`);
      if (!/^application\/json/i.test(response.headers['content-type'] ?? ''))
        found.push(
          `no JSON body (${JSON.stringify(response.head.split('\r\n')[0])}, content-type ${JSON.stringify(response.headers['content-type'] ?? null)}, body ${JSON.stringify(response.text.slice(0, 60))})`,
        );
      else {
        const body = jsonOf(response);
        if (typeof body.error !== 'string' || typeof body.message !== 'string')
          found.push(`error body ${response.text.slice(0, 100)}`);
      }
      return found.map((problem) => `${label}: ${problem}`);
    });
    expect(diffTables(before, await readTable(served.testApp))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
