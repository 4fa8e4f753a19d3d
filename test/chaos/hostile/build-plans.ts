import { randomBytes } from 'node:crypto';
import { deflateSync, gzipSync } from 'node:zlib';
import { createUnsubscribeToken } from '../../../functions/domain/unsubscribe-token';
import {
  CONTENT_TYPES_JSON,
  CONTENT_TYPES_MAYBE,
  CONTENT_TYPES_REFUSED,
  PATHS,
  type Plan,
  ROUTE_PATHS,
  SIGNATURE_ACCEPTED,
} from './hostile-plans';
import type { HeaderValue, RawRequest } from './raw-http';
import {
  accepted,
  type BuildContext,
  type Built,
  candidateOf,
  DEFAULT_SPEC,
  type Expectation,
  eventOf,
  type HeaderList,
  ingestRequest,
  json,
  MAX_BODY,
  type PoolCandidate,
  refused,
  signatureOf,
  signedRequest,
  validDelivery,
} from './signed-requests';

/**
 * Each hostile plan built into the raw request it describes and the answer the contract requires
 * of it (not a test file itself).
 */

const isValidUtf8 = (buffer: Buffer) => Buffer.from(buffer.toString('utf8'), 'utf8').equals(buffer);

/** What a correctly signed body of unknown shape must be answered (never a valid event). */
const garbageExpectation = (body: Buffer): Expectation => {
  if (!isValidUtf8(body)) return refused([400, 401]);
  try {
    JSON.parse(body.toString('utf8'));
  } catch {
    return refused([400], ['invalid_json']);
  }
  return refused([400], ['invalid_payload']);
};

const buildValid = (plan: Extract<Plan, { kind: 'valid' }>, ctx: BuildContext): Built => {
  const { event, keys } = eventOf(plan.spec, ctx);
  const body = json(event);
  const id =
    plan.idForm === 'plain'
      ? `msg_${ctx.tracer}`
      : plan.idForm === 'punctuation'
        ? `msg_${ctx.tracer}_!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`
        : `msg_${ctx.tracer}_`.padEnd(256, 'x');
  const seconds = String(Math.floor(ctx.nowMs / 1000) + plan.skew);
  const secret = plan.secret === 'current' ? ctx.secrets.webhook : ctx.secrets.oldWebhook;
  const valid = signatureOf(secret, id, seconds, body);
  const junk = `v1,${randomBytes(32).toString('base64')}`;
  const signature = {
    single: valid,
    junkBefore: `${junk} ${valid}`,
    junkAfter: `${valid} ${junk}`,
    v2After: `${valid} v2,${randomBytes(32).toString('base64')}`,
    twice: `${valid} ${valid}`,
  }[plan.signatureList];
  const timestamp =
    plan.timestampForm === 'plain'
      ? seconds
      : plan.timestampForm === 'leadingSpace'
        ? ` ${seconds}`
        : `${seconds}\t`;
  const request = ingestRequest({
    body,
    contentType: plan.contentType,
    id,
    timestamp,
    signature,
    headerCase: plan.headerCase,
    chunked: plan.chunked,
    extra: plan.expectContinue ? [['Expect', '100-continue']] : [],
  });
  return {
    request,
    expect: accepted(keys, id, { replayable: plan.spec.type === 'attempt' }),
    delivered: { id, body, timestamp: seconds, signature: valid },
  };
};

const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const buildBody = (plan: Extract<Plan, { kind: 'body' }>, ctx: BuildContext): Built => {
  const { event, keys } = eventOf({ ...plan.spec, type: 'attempt' }, ctx);
  const eventText = JSON.stringify(event);
  const id = `msg_${ctx.tracer}`;
  const signedBody = (body: Buffer, expect: Expectation): Built => ({
    request: signedRequest(ctx, body).request,
    expect,
  });
  const maybeStored = accepted(keys, id, { statuses: [202, 400] });
  switch (plan.variant) {
    case 'randomBytes': {
      const body = Buffer.concat([Buffer.from(ctx.tracer), Buffer.from(plan.random)]);
      return signedBody(body, garbageExpectation(body));
    }
    case 'invalidUtf8': {
      const text = Buffer.from(eventText, 'utf8');
      const at = text.indexOf(Buffer.from('"email"'));
      const body = Buffer.concat([
        text.subarray(0, at),
        Buffer.from([0xff, 0xfe, 0x80]),
        text.subarray(at),
      ]);
      return signedBody(body, refused([400, 401]));
    }
    case 'overlongUtf8': {
      const text = Buffer.from(eventText, 'utf8');
      const at = text.indexOf(Buffer.from('"name":"')) + 8;
      const body = Buffer.concat([
        text.subarray(0, at),
        Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]),
        text.subarray(at),
      ]);
      return signedBody(body, refused([400, 401]));
    }
    case 'jsonValue': {
      const body = json({ tracer: ctx.tracer, value: plan.value });
      return signedBody(body, refused([400], ['invalid_payload']));
    }
    case 'jsonish': {
      const text = `${plan.text.slice(0, plan.cut % (plan.text.length + 1))}\u0001${ctx.tracer}${plan.text.slice(plan.cut % (plan.text.length + 1))}`;
      const body = Buffer.from(text, 'utf8');
      return signedBody(body, garbageExpectation(body));
    }
    case 'bom':
      return signedBody(Buffer.from(`\uFEFF${eventText}`, 'utf8'), maybeStored);
    case 'deepArray':
      return signedBody(
        Buffer.from(deepArray(Math.min(plan.depth, 32_000)), 'utf8'),
        refused([400]),
      );
    case 'deepObject':
      return signedBody(
        Buffer.from(deepObject(Math.min(plan.depth, 10_000)), 'utf8'),
        refused([400]),
      );
    case 'deepField': {
      const nested = deepArray(Math.min(plan.depth, 25_000));
      const text = eventText.replace('"data":', `"deep":${nested},"data":`);
      return signedBody(Buffer.from(text, 'utf8'), maybeStored);
    }
    case 'truncated': {
      const at = plan.cut % (eventText.length - 1);
      return signedBody(
        Buffer.from(eventText.slice(0, at), 'utf8'),
        refused([400], ['invalid_json']),
      );
    }
    case 'nulAppended':
      return signedBody(
        Buffer.from(`${eventText}\u0000`, 'utf8'),
        refused([400], ['invalid_json']),
      );
    case 'utf16': {
      const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(eventText, 'utf16le')]);
      return signedBody(body, refused([400, 401]));
    }
    case 'empty':
      return signedBody(Buffer.alloc(0), refused([400], ['invalid_json']));
    case 'whitespace':
      return signedBody(Buffer.from(' \n\t\r '), refused([400], ['invalid_json']));
    case 'duplicateKeys': {
      const text = eventText.replace('"data":', '"data":{"attemptId":1},"data":');
      return signedBody(Buffer.from(text, 'utf8'), maybeStored);
    }
    case 'protoPollution': {
      const pollution =
        '"__proto__":{"pollutedByHostileInput":true},"constructor":{"prototype":{"pollutedByHostileInput":true}},';
      const text = eventText
        .replace('{', `{${pollution}`)
        .replace('"candidate":{', `"candidate":{${pollution}`);
      return signedBody(Buffer.from(text, 'utf8'), maybeStored);
    }
    case 'hugeNumbers': {
      const text = eventText.replace(
        '"data":',
        '"n":[1e400,-1e400,-0,123456789012345678901234567890],"data":',
      );
      return signedBody(Buffer.from(text, 'utf8'), maybeStored);
    }
    default: {
      // A control character written as a JSON escape: valid JSON, invalid name.
      const bad = structuredClone(event) as { data: { candidate: { name: string } } };
      bad.data.candidate.name = 'bad\u0007bell';
      return signedBody(json(bad), refused([400], ['invalid_payload']));
    }
  }
};

type Path = readonly string[];
const at = (root: Record<string, unknown>, path: Path, value: unknown) => {
  let node = root;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string, unknown>;
  const last = path[path.length - 1] as string;
  if (value === DELETE) delete node[last];
  else node[last] = value;
};
const DELETE = Symbol('delete');
const WRONG_TYPES: readonly unknown[] = [123, null, true, [], {}, -0, 1e308, [1, 2]];
const BAD_IDS = ['', 'a b', 'x'.repeat(129), 'ü', 'a/b', 'a#b', '\u0000', 'tab\there'];
const BAD_EMAILS = [
  'not-an-email',
  'a@b',
  '@example.com',
  `${'a'.repeat(250)}@example.com`,
  'a b@example.com',
  'Zoë <z@example.com>',
  'a@-example.com',
  '',
  'a@example..com',
];
const BAD_NAMES = [
  'x'.repeat(201),
  'a\u0000b',
  'line\nbreak',
  'tab\there',
  '\u2028',
  '\u0085',
  'z'.repeat(60_000),
];
const BAD_INSTANTS = [
  '2026-01-01',
  '2026-01-01T10:00:00',
  'yesterday',
  '2026-02-30T10:00:00Z',
  '',
  '2026-13-01T00:00:00Z',
];

const wrongFields = (
  ctx: BuildContext,
): Record<string, ReadonlyArray<readonly [Path, readonly unknown[]]>> => ({
  attempt: [
    [
      ['type'],
      ['attempt.Recorded', 'attempt.recorded ', '', 'attempt', 'ATTEMPT.RECORDED', DELETE],
    ],
    [['timestamp'], [...BAD_INSTANTS, DELETE]],
    [['data'], ['string', [], DELETE]],
    [
      ['data', 'attemptId'],
      [...BAD_IDS, DELETE],
    ],
    [
      ['data', 'candidate'],
      ['x', [], DELETE],
    ],
    [
      ['data', 'candidate', 'candidateId'],
      [...BAD_IDS, DELETE],
    ],
    [
      ['data', 'candidate', 'email'],
      [...BAD_EMAILS, DELETE],
    ],
    [['data', 'candidate', 'name'], BAD_NAMES],
    [
      ['data', 'candidate', 'timeZone'],
      ['Mars/Olympus_Mons', '', 'Europe/Atlantis', 'UTC+1'],
    ],
    [
      ['data', 'candidate', 'locale'],
      ['not a locale', 'x'.repeat(36), 'en_GB_bad', ''],
    ],
    [['data', 'candidate', 'guardianEmail'], BAD_EMAILS],
    [
      ['data', 'credential'],
      ['x', [], DELETE],
    ],
    [
      ['data', 'credential', 'credentialId'],
      [...BAD_IDS, DELETE],
    ],
    [
      ['data', 'credential', 'name'],
      [...BAD_NAMES, DELETE],
    ],
    [
      ['data', 'outcome'],
      ['PASS', 'passed', 'Pass', '', 'fail ', DELETE],
    ],
    [
      ['data', 'takenAt'],
      [
        new Date(ctx.nowMs + 3_600_000).toISOString(),
        new Date(ctx.nowMs + 6 * 60_000).toISOString(),
        '1999-12-31T23:59:59Z',
        ...BAD_INSTANTS,
        DELETE,
      ],
    ],
  ],
  update: [
    [
      ['data', 'candidateId'],
      [...BAD_IDS, DELETE],
    ],
    [
      ['data', 'email'],
      [...BAD_EMAILS, null],
    ],
    [['data', 'name'], BAD_NAMES],
    [
      ['data', 'timeZone'],
      ['Mars/Olympus_Mons', 'Europe/Atlantis'],
    ],
    [['data', 'guardianEmail'], BAD_EMAILS],
    [['timestamp'], BAD_INSTANTS],
  ],
  merge: [
    [
      ['data', 'toCandidateId'],
      [candidateOf(ctx.tracer), ...BAD_IDS, DELETE],
    ],
    [
      ['data', 'fromCandidateId'],
      [...BAD_IDS, DELETE],
    ],
  ],
  erase: [
    [
      ['data', 'candidateId'],
      [...BAD_IDS, DELETE],
    ],
    [['data'], [null, [], DELETE]],
  ],
  unknown: [
    [['type'], ['candidate.deleted', 'attempt.deleted', 'account.split', 'CANDIDATE.ERASED']],
  ],
});

const buildWrongType = (plan: Extract<Plan, { kind: 'wrongType' }>, ctx: BuildContext): Built => {
  const type = plan.event === 'unknown' ? 'erase' : plan.event;
  const { event } = eventOf({ ...plan.spec, type, unknownFields: false }, ctx);
  const fields = wrongFields(ctx)[plan.event] ?? [];
  const [path, specific] = fields[plan.field % fields.length] as readonly [
    Path,
    readonly unknown[],
  ];
  // Any field of an event takes a wrong type; only the required or checked ones take a bad string.
  const optionalInUpdate =
    plan.event === 'update' && path.length === 2 && path[1] !== 'candidateId';
  const values = optionalInUpdate
    ? specific
    : [...specific, ...WRONG_TYPES.filter((v) => v !== null)];
  const candidates =
    plan.event === 'attempt' || plan.event === 'erase' ? [...values, null] : values;
  const value = candidates[plan.value % candidates.length];
  const mutated = structuredClone(event) as Record<string, unknown>;
  at(mutated, path, value);
  const body = json(mutated);
  if (body.length > MAX_BODY)
    return { request: signedRequest(ctx, body).request, expect: refused([413]) };
  return { request: signedRequest(ctx, body).request, expect: refused([400], ['invalid_payload']) };
};

/** A valid attempt event padded to exactly `size` bytes. */
const paddedEvent = (
  ctx: BuildContext,
  size: number,
  padding: 'spaces' | 'multibyte' | 'emoji',
) => {
  const { event, keys } = eventOf(DEFAULT_SPEC, ctx);
  if (padding === 'spaces') {
    const text = JSON.stringify(event);
    return { body: Buffer.from(text + ' '.repeat(size - Buffer.byteLength(text)), 'utf8'), keys };
  }
  const base = JSON.stringify({ ...event, pad: '' });
  let remaining = size - Buffer.byteLength(base);
  const unit = padding === 'multibyte' ? 'é' : '🎓';
  const unitBytes = Buffer.byteLength(unit);
  const count = Math.floor(remaining / unitBytes);
  remaining -= count * unitBytes;
  const text = JSON.stringify({ ...event, pad: unit.repeat(count) + 'a'.repeat(remaining) });
  return { body: Buffer.from(text, 'utf8'), keys };
};

const buildSize = (plan: Extract<Plan, { kind: 'size' }>, ctx: BuildContext): Built => {
  const { body, keys } = paddedEvent(ctx, plan.bytes, plan.padding);
  if (body.length !== plan.bytes)
    throw new Error(`padding missed: ${body.length} != ${plan.bytes}`);
  const signed = plan.signed
    ? signedRequest(ctx, body, {
        chunked: plan.chunked,
        contentType: plan.textPlain ? 'text/plain' : 'application/json',
      })
    : signedRequest(ctx, body, {
        chunked: plan.chunked,
        contentType: plan.textPlain ? 'text/plain' : 'application/json',
        secret: ctx.secrets.foreignWebhook,
      });
  if (plan.bytes > MAX_BODY) return { request: signed.request, expect: refused([413]) };
  if (plan.textPlain) return { request: signed.request, expect: refused([415]) };
  if (!plan.signed) return { request: signed.request, expect: refused([401]) };
  return { request: signed.request, expect: accepted(keys, signed.id) };
};

const buildContentType = (
  plan: Extract<Plan, { kind: 'contentType' }>,
  ctx: BuildContext,
): Built => {
  const delivery = validDelivery(plan.spec, ctx);
  const withType = (
    contentType: HeaderValue | null,
    extra: HeaderList = [],
    body = delivery.body,
  ) => {
    const signature = signatureOf(ctx.secrets.webhook, delivery.id, delivery.timestamp, body);
    return ingestRequest({
      body,
      contentType,
      id: delivery.id,
      timestamp: delivery.timestamp,
      signature,
      extra,
    });
  };
  const ok = accepted(delivery.keys, delivery.id);
  switch (plan.group) {
    case 'json': {
      const type = CONTENT_TYPES_JSON[plan.pick % CONTENT_TYPES_JSON.length] as string;
      return { request: withType(type), expect: ok };
    }
    case 'maybe': {
      const type = CONTENT_TYPES_MAYBE[plan.pick % CONTENT_TYPES_MAYBE.length] as string;
      return { request: withType(type), expect: { ...ok, statuses: [202, 415] } };
    }
    case 'refused': {
      const type = CONTENT_TYPES_REFUSED[plan.pick % CONTENT_TYPES_REFUSED.length] as string;
      const header = [...type].some((c) => c.charCodeAt(0) > 0x7f)
        ? Buffer.from(type, 'utf8')
        : type;
      if (type.startsWith('multipart/')) {
        const body = Buffer.concat([
          Buffer.from(
            '--hostile-boundary\r\nContent-Disposition: form-data; name="event"\r\nContent-Type: application/json\r\n\r\n',
          ),
          delivery.body,
          Buffer.from('\r\n--hostile-boundary--\r\n'),
        ]);
        return { request: withType(header, [], body), expect: refused([415]) };
      }
      return { request: withType(header), expect: refused([415]) };
    }
    case 'missing':
      return { request: withType(null), expect: refused([415]) };
    default: {
      const pairs: ReadonlyArray<readonly [string, string, readonly number[]]> = [
        ['application/json', 'application/json', [202]],
        ['application/json', 'text/plain', [202, 415]],
        ['text/plain', 'application/json', [202, 415]],
      ];
      const [first, second, statuses] = pairs[plan.pick % pairs.length] as (typeof pairs)[number];
      return {
        request: withType(first, [['Content-Type', second]]),
        expect: { ...ok, statuses },
      };
    }
  }
};

const buildEncoding = (plan: Extract<Plan, { kind: 'encoding' }>, ctx: BuildContext): Built => {
  const delivery = validDelivery(plan.spec, ctx);
  const ok = accepted(delivery.keys, delivery.id);
  const send = (body: Buffer, signedOver: Buffer, extra: HeaderList) =>
    ingestRequest({
      body,
      id: delivery.id,
      timestamp: delivery.timestamp,
      signature: signatureOf(ctx.secrets.webhook, delivery.id, delivery.timestamp, signedOver),
      extra,
    });
  switch (plan.variant) {
    case 'gzipReal': {
      const body = gzipSync(delivery.body);
      return {
        request: send(body, body, [['Content-Encoding', 'gzip']]),
        expect: { ...ok, statuses: [202, 400, 401, 415] },
      };
    }
    case 'deflateReal': {
      const body = deflateSync(delivery.body);
      return {
        request: send(body, body, [['Content-Encoding', 'deflate']]),
        expect: { ...ok, statuses: [202, 400, 401, 415] },
      };
    }
    case 'gzipClaimPlain':
      return {
        request: send(delivery.body, delivery.body, [['Content-Encoding', 'gzip']]),
        expect: { ...ok, statuses: [202, 400, 415] },
      };
    case 'deflateClaimPlain':
      return {
        request: send(delivery.body, delivery.body, [['Content-Encoding', 'deflate']]),
        expect: { ...ok, statuses: [202, 400, 415] },
      };
    case 'brClaimPlain':
      return {
        request: send(delivery.body, delivery.body, [['Content-Encoding', 'br, gzip']]),
        expect: { ...ok, statuses: [202, 400, 415] },
      };
    case 'identity':
      return {
        request: send(delivery.body, delivery.body, [['Content-Encoding', 'identity']]),
        expect: ok,
      };
    case 'base64SignedEncoded': {
      const body = Buffer.from(delivery.body.toString('base64'));
      return {
        request: send(body, body, [['Content-Transfer-Encoding', 'base64']]),
        expect: refused([400, 415]),
      };
    }
    default: {
      const body = Buffer.from(delivery.body.toString('base64'));
      return {
        request: send(body, delivery.body, [['Content-Transfer-Encoding', 'base64']]),
        expect: refused([401, 415]),
      };
    }
  }
};

const buildSignature = (plan: Extract<Plan, { kind: 'signature' }>, ctx: BuildContext): Built => {
  const d = validDelivery(plan.spec, ctx);
  const valid = d.signature;
  const hmac = valid.slice(3);
  const junk = () => `v1,${randomBytes(32).toString('base64')}`;
  let id: HeaderValue | null = d.id;
  let timestamp: HeaderValue | null = d.timestamp;
  let signature: HeaderValue | null = valid;
  switch (plan.variant) {
    case 'missingSignature':
      signature = null;
      break;
    case 'missingId':
      id = null;
      break;
    case 'missingTimestamp':
      timestamp = null;
      break;
    case 'missingAll':
      id = null;
      timestamp = null;
      signature = null;
      break;
    case 'emptySignature':
      signature = '';
      break;
    case 'v1Empty':
      signature = 'v1,';
      break;
    case 'v1Only':
      signature = 'v1';
      break;
    case 'notBase64':
      signature = 'v1,!!!not*base64???';
      break;
    case 'wrongSecret':
      signature = signatureOf(ctx.secrets.foreignWebhook, d.id, d.timestamp, d.body);
      break;
    case 'truncated':
      signature = valid.slice(0, Math.max(3, valid.length - plan.cut));
      break;
    case 'shortHmac':
      signature = `v1,${Buffer.from(hmac, 'base64').subarray(0, 16).toString('base64')}`;
      break;
    case 'v2Only':
      signature = `v2,${hmac}`;
      break;
    case 'upperV1':
      signature = `V1,${hmac}`;
      break;
    case 'noComma':
      signature = `v1${hmac}`;
      break;
    case 'spaceAfterComma':
      signature = `v1, ${hmac}`;
      break;
    case 'otherBody':
      signature = signatureOf(
        ctx.secrets.webhook,
        d.id,
        d.timestamp,
        Buffer.concat([d.body, Buffer.from(' ')]),
      );
      break;
    case 'otherId':
      signature = signatureOf(ctx.secrets.webhook, `${d.id}x`, d.timestamp, d.body);
      break;
    case 'otherTimestamp':
      signature = signatureOf(ctx.secrets.webhook, d.id, String(Number(d.timestamp) - 1), d.body);
      break;
    case 'manyWrong':
      signature = Array.from({ length: 150 }, junk).join(' ');
      break;
    case 'commaList':
      signature = `${junk()},${valid}`;
      break;
    case 'tabSeparated':
      signature = `${junk()}\t${valid}`;
      break;
    case 'oldSecret':
      signature = signatureOf(ctx.secrets.oldWebhook, d.id, d.timestamp, d.body);
      break;
    case 'validAmongMany':
      signature = [
        ...Array.from({ length: 40 }, junk),
        valid,
        ...Array.from({ length: 40 }, junk),
      ].join(' ');
      break;
    case 'v2ThenValid':
      signature = `v2,${hmac} ${valid}`;
      break;
    default:
      signature = `${valid}   `;
  }
  const request = ingestRequest({ body: d.body, id, timestamp, signature });
  return {
    request,
    expect: SIGNATURE_ACCEPTED.has(plan.variant)
      ? accepted(d.keys, d.id)
      : refused([401], ['invalid_signature']),
  };
};

const buildTimestamp = (plan: Extract<Plan, { kind: 'timestamp' }>, ctx: BuildContext): Built => {
  const { event, keys } = eventOf(plan.spec, ctx);
  const body = json(event);
  const id = `msg_${ctx.tracer}`;
  const now = Math.floor(ctx.nowMs / 1000);
  if (plan.variant === 'skew') {
    const timestamp = String(now + plan.skew);
    const request = ingestRequest({
      body,
      id,
      timestamp,
      signature: signatureOf(ctx.secrets.webhook, id, timestamp, body),
    });
    const inside = plan.skew >= -280 && plan.skew <= 299;
    return { request, expect: inside ? accepted(keys, id) : refused([401], ['invalid_signature']) };
  }
  const raws: HeaderValue[] = [
    'abc',
    '',
    '-1',
    '1.7e9',
    `${now}.0`,
    `${now}abc`,
    `0x${now.toString(16)}`,
    '9'.repeat(12),
    '9'.repeat(13),
    '99999999999999999999',
    '0',
    '1',
    `+${now}`,
    `-${now}`,
    `0${now}`,
    Buffer.from(
      String(now).replace(/\d/g, (digit) => String.fromCharCode(0xff10 + Number(digit))),
      'utf8',
    ),
    `${now} ${now}`,
    `${now},${now}`,
    `${now * 1000}`,
  ];
  const timestamp = raws[plan.raw % raws.length] as HeaderValue;
  const request = ingestRequest({
    body,
    id,
    timestamp,
    signature: signatureOf(ctx.secrets.webhook, id, timestamp, body),
  });
  return { request, expect: refused([401], ['invalid_signature']) };
};

const buildReplay = (plan: Extract<Plan, { kind: 'replay' }>, ctx: BuildContext): Built => {
  const original = ctx.delivered[plan.pick % Math.max(1, ctx.delivered.length)];
  if (original === undefined) {
    const d = validDelivery({ ...plan.spec, type: 'attempt' }, ctx);
    return {
      request: d.request,
      expect: accepted(d.keys, d.id, { replayable: true }),
      delivered: d,
    };
  }
  const now = String(Math.floor(ctx.nowMs / 1000));
  const resign = (id: string, body: Buffer) =>
    ingestRequest({
      body,
      id,
      timestamp: now,
      signature: signatureOf(ctx.secrets.webhook, id, now, body),
    });
  const duplicate = (
    webhookId: string,
    mayChangeOnDuplicate: readonly string[] = [],
  ): Expectation => ({
    statuses: [202],
    ingest: ['duplicate'],
    webhookId,
    mayChange: [],
    mayChangeOnDuplicate,
    ...(mayChangeOnDuplicate.length > 0 ? { mustStore: mayChangeOnDuplicate } : {}),
  });
  switch (plan.variant) {
    case 'same':
      return { request: resign(original.id, original.body), expect: duplicate(original.id) };
    case 'sameIdNewBody': {
      const { event } = eventOf({ ...plan.spec, type: 'attempt' }, ctx);
      return { request: resign(original.id, json(event)), expect: duplicate(original.id) };
    }
    case 'sameIdBadBody': {
      const { event } = eventOf({ ...plan.spec, type: 'attempt' }, ctx);
      const bad = structuredClone(event) as { data: { outcome: string } };
      bad.data.outcome = 'maybe';
      return {
        request: resign(original.id, json(bad)),
        expect: refused([400], ['invalid_payload']),
      };
    }
    case 'newIdSameBody': {
      const id = `msg_${ctx.tracer}`;
      return { request: resign(id, original.body), expect: duplicate(id, [`WEBHOOK#${id}`]) };
    }
    default:
      return {
        request: ingestRequest({
          body: original.body,
          id: original.id,
          timestamp: original.timestamp,
          signature: original.signature,
        }),
        expect: { ...duplicate(original.id), statuses: [202, 401] },
      };
  }
};

const buildWebhookId = (plan: Extract<Plan, { kind: 'webhookId' }>, ctx: BuildContext): Built => {
  const { event, keys } = eventOf(plan.spec, ctx);
  const body = json(event);
  const timestamp = String(Math.floor(ctx.nowMs / 1000));
  const send = (id: HeaderValue, signedId: HeaderValue = id) =>
    ingestRequest({
      body,
      id,
      timestamp,
      signature: signatureOf(ctx.secrets.webhook, signedId, timestamp, body),
    });
  const base = `msg_${ctx.tracer}`;
  const no = refused([401], ['invalid_signature']);
  switch (plan.variant) {
    case 'max256': {
      const id = `${base}_`.padEnd(256, 'x');
      return { request: send(id), expect: accepted(keys, id) };
    }
    case 'over257':
      return { request: send(`${base}_`.padEnd(257, 'x')), expect: no };
    case 'huge':
      return { request: send(`${base}_`.padEnd(8000, 'x')), expect: no };
    case 'empty':
      return { request: send(''), expect: no };
    case 'space':
      return { request: send(`msg ${ctx.tracer}`), expect: no };
    case 'tabInside':
      return { request: send(`msg\t${ctx.tracer}`), expect: no };
    case 'unicode':
      return { request: send(Buffer.from(`${base}_é💥`, 'utf8')), expect: no };
    case 'latin1':
      return {
        request: send(Buffer.concat([Buffer.from(base), Buffer.from([0xe9, 0xff])])),
        expect: no,
      };
    case 'printable': {
      const id = `${base}_!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`;
      return { request: send(id), expect: accepted(keys, id) };
    }
    case 'paddedSignedTrimmed':
      return { request: send(`  ${base}  `, base), expect: accepted(keys, base) };
    case 'paddedSignedPadded':
      return { request: send(`  ${base}  `), expect: no };
    default: {
      const id = '!';
      return {
        request: send(id),
        expect: {
          ...accepted(keys, id),
          ingest: ['accepted', 'duplicate'],
          mustStore: [`WEBHOOK#${id}`],
        },
      };
    }
  }
};

const buildPath = (plan: Extract<Plan, { kind: 'path' }>, ctx: BuildContext): Built => {
  const [target, verdict] = PATHS[plan.pick % PATHS.length] as (typeof PATHS)[number];
  const d = validDelivery(plan.spec, ctx, { target });
  const ok = accepted(d.keys, d.id);
  const expect =
    verdict === 'ok' ? ok : verdict === 'maybe' ? { ...ok, statuses: [202, 404] } : refused([404]);
  return { request: d.request, expect };
};

const buildMethod = (plan: Extract<Plan, { kind: 'method' }>, ctx: BuildContext): Built => {
  const paths = ROUTE_PATHS[plan.route];
  const target = paths[plan.path % paths.length] as string;
  const d = validDelivery(plan.spec, ctx, { target, method: plan.method });
  const { method } = plan;
  switch (plan.route) {
    case 'events':
      return {
        request: d.request,
        expect: method === 'POST' ? accepted(d.keys, d.id) : refused([405]),
      };
    case 'health':
    case 'openapi':
      return {
        request: d.request,
        expect:
          method === 'GET' || method === 'HEAD'
            ? { ...refused([200]), okBody: plan.route === 'health' ? 'health' : 'json' }
            : refused([405]),
      };
    case 'unsubscribe':
      return {
        request: d.request,
        expect: ['GET', 'HEAD', 'POST'].includes(method)
          ? { ...refused([400]), html: true }
          : { ...refused([405]), html: true },
      };
    default:
      return { request: d.request, expect: refused([404]) };
  }
};

const buildHeaders = (plan: Extract<Plan, { kind: 'headers' }>, ctx: BuildContext): Built => {
  const d = validDelivery(plan.spec, ctx);
  const ok = accepted(d.keys, d.id);
  const base = { body: d.body, id: d.id, timestamp: d.timestamp, signature: d.signature };
  const junk = `v1,${randomBytes(32).toString('base64')}`;
  switch (plan.variant) {
    case 'duplicateSignatureWrongFirst':
      return {
        request: ingestRequest({
          ...base,
          signature: junk,
          extra: [['webhook-signature', d.signature]],
        }),
        expect: { ...ok, statuses: [202, 401] },
      };
    case 'duplicateSignatureValidFirst':
      return {
        request: ingestRequest({ ...base, extra: [['webhook-signature', junk]] }),
        expect: { ...ok, statuses: [202, 401] },
      };
    case 'duplicateId':
      return {
        request: ingestRequest({ ...base, extra: [['webhook-id', d.id]] }),
        expect: { ...ok, statuses: [202, 401] },
      };
    case 'duplicateTimestamp':
      return {
        request: ingestRequest({ ...base, extra: [['webhook-timestamp', d.timestamp]] }),
        expect: { ...ok, statuses: [202, 401] },
      };
    case 'hugeJunk':
      return {
        request: ingestRequest({ ...base, extra: [['x-junk', 'a'.repeat(8000)]] }),
        expect: ok,
      };
    case 'manyHeaders':
      return {
        request: ingestRequest({
          ...base,
          extra: Array.from({ length: 300 }, (_, i) => [`x-h-${i}`, `v${i}`] as [string, string]),
        }),
        expect: ok,
      };
    case 'utf8Junk':
      return {
        request: ingestRequest({
          ...base,
          extra: [['x-name', Buffer.from('Zoë 山田 🎓', 'utf8')]],
        }),
        expect: ok,
      };
    case 'missingAll':
      return {
        request: ingestRequest({ ...base, id: null, timestamp: null, signature: null }),
        expect: refused([401], ['invalid_signature']),
      };
    case 'emptyValues':
      return {
        request: ingestRequest({ ...base, id: '', timestamp: '', signature: '' }),
        expect: refused([401], ['invalid_signature']),
      };
    case 'hugeHost':
      return {
        request: ingestRequest({ ...base, extra: [['Host', 'h'.repeat(5000)]] }),
        expect: ok,
      };
    case 'junkAuthorization':
      return {
        request: ingestRequest({
          ...base,
          extra: [
            ['Authorization', `Bearer ${'A'.repeat(2000)}`],
            ['Cookie', 'session=../../etc/passwd; x=%00'],
          ],
        }),
        expect: ok,
      };
    default:
      return {
        request: ingestRequest({
          ...base,
          extra: [
            ['X-Forwarded-For', '10.0.0.1, <script>'],
            ['X-Forwarded-Host', 'evil.example'],
            ['X-HTTP-Method-Override', 'DELETE'],
          ],
        }),
        expect: ok,
      };
  }
};

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const buildUnsubscribe = (
  plan: Extract<Plan, { kind: 'unsubscribe' }>,
  ctx: BuildContext,
): Built => {
  const candidate = ctx.pool[plan.pick % ctx.pool.length] as PoolCandidate;
  const other = ctx.pool[(plan.pick + 1) % ctx.pool.length] as PoolCandidate;
  const valid = candidate.token;
  const [version, payload, signature] = valid.split('.') as [string, string, string];
  const flip = () => {
    const position = plan.flip % valid.length;
    const original = valid[position] as string;
    const alphabet = `${BASE64URL}.`.replace(original, '');
    const replacement = alphabet[plan.flip % alphabet.length] as string;
    return valid.slice(0, position) + replacement + valid.slice(position + 1);
  };
  const encode = (text: string) => {
    try {
      return encodeURIComponent(text);
    } catch {
      return encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '?'));
    }
  };
  const query = (token: string) => `token=${encode(token)}`;
  let search: string | undefined;
  let isValid = false;
  let maybeValid = false;
  switch (plan.token) {
    case 'none':
      search = undefined;
      break;
    case 'empty':
      search = 'token=';
      break;
    case 'random':
      search = query(`${ctx.tracer}${plan.junk}`);
      break;
    case 'forgedSignature':
      search = query(`${version}.${payload}.${randomBytes(32).toString('base64url')}`);
      break;
    case 'otherSecret':
      search = query(
        createUnsubscribeToken(candidate.candidateId, `${ctx.secrets.unsubscribe}-other`),
      );
      break;
    case 'truncated':
      search = query(valid.slice(0, plan.flip % valid.length));
      break;
    case 'bitFlip':
      search = query(flip());
      break;
    case 'spliced':
      search = query(`${version}.${payload}.${other.token.split('.')[2]}`);
      break;
    case 'long':
      search = query(`${valid}${'A'.repeat(300)}`);
      break;
    case 'unicode':
      search = `token=${encode(`${valid.slice(0, 10)}é💥${valid.slice(10)}`)}`;
      break;
    case 'extraDot':
      search = query(`${valid}.`);
      break;
    case 'valid':
      search = query(valid);
      isValid = true;
      break;
    case 'validPercentEncoded':
      search = `token=${valid.replace(/\./g, '%2E').replace(/-/g, '%2D')}`;
      isValid = true;
      break;
    case 'validAmongJunk':
      search = `a=1&${query(valid)}&b=%ZZ&c`;
      isValid = true;
      break;
    default:
      search = `${query(`${version}.${payload}.${signature.slice(1)}A`)}&${query(valid)}`;
      maybeValid = true;
  }
  const target = search === undefined ? plan.path : `${plan.path}?${search}`;
  const body =
    plan.body === 'oneClick'
      ? Buffer.from('List-Unsubscribe=One-Click')
      : plan.body === 'junk'
        ? Buffer.from(plan.junk, 'utf8')
        : plan.body === 'json'
          ? Buffer.from(JSON.stringify({ unsubscribe: true, candidateId: other.candidateId }))
          : Buffer.alloc(0);
  const contentType =
    plan.body === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
  const request: RawRequest = {
    method: plan.method,
    target,
    headers: plan.body === 'none' ? [] : [['Content-Type', contentType]],
    body,
  };
  const key = `CAND#${candidate.candidateId}`;
  if (!['GET', 'HEAD', 'POST'].includes(plan.method))
    return { request, expect: { ...refused([405]), html: true } };
  const post = plan.method === 'POST';
  if (isValid)
    return {
      request,
      expect: { statuses: [200], html: true, mayChange: post ? [key] : [], successOn200: post },
    };
  if (maybeValid)
    return {
      request,
      expect: {
        statuses: [200, 400],
        html: true,
        mayChange: post ? [key] : [],
        successOn200: post,
      },
    };
  return { request, expect: { ...refused([400]), html: true } };
};

const buildUnknownRoute = (
  plan: Extract<Plan, { kind: 'unknownRoute' }>,
  ctx: BuildContext,
): Built => {
  const d = validDelivery(DEFAULT_SPEC, ctx, { target: plan.path, method: plan.method });
  return { request: d.request, expect: refused([404]) };
};

/** The raw request of a plan and what its answer must be. */
export const buildPlan = (plan: Plan, ctx: BuildContext): Built => {
  switch (plan.kind) {
    case 'valid':
      return buildValid(plan, ctx);
    case 'body':
      return buildBody(plan, ctx);
    case 'wrongType':
      return buildWrongType(plan, ctx);
    case 'size':
      return buildSize(plan, ctx);
    case 'contentType':
      return buildContentType(plan, ctx);
    case 'encoding':
      return buildEncoding(plan, ctx);
    case 'signature':
      return buildSignature(plan, ctx);
    case 'timestamp':
      return buildTimestamp(plan, ctx);
    case 'replay':
      return buildReplay(plan, ctx);
    case 'webhookId':
      return buildWebhookId(plan, ctx);
    case 'path':
      return buildPath(plan, ctx);
    case 'method':
      return buildMethod(plan, ctx);
    case 'headers':
      return buildHeaders(plan, ctx);
    case 'unsubscribe':
      return buildUnsubscribe(plan, ctx);
    default:
      return buildUnknownRoute(plan, ctx);
  }
};
