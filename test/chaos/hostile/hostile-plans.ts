import fc from 'fast-check';
import { type EventSpec, eventSpecArb } from './signed-requests';

/**
 * Hostile requests to every route of the local HTTP API (SPEC §3), as plain data that fast-check
 * generates and prints (not a test file itself); `build-plans.ts` turns each into raw bytes and
 * the answer it must get.
 */

export const CONTENT_TYPES_JSON = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'APPLICATION/JSON',
  'Application/Json; Charset=utf-8',
  'application/json ; charset=utf-8',
  ' application/json',
  'application/json\t',
  'application/json;',
  'application/json; charset="utf-8"',
] as const;

export const CONTENT_TYPES_MAYBE = [
  'application/json; charset=iso-8859-1',
  'application/json; charset=utf-16',
  'application/json; boundary=x',
] as const;

export const CONTENT_TYPES_REFUSED = [
  'text/plain',
  'text/json',
  'text/html',
  'application/jsonp',
  'application/json-seq',
  'application/json5',
  'application/jsonx',
  'application/vnd.api+json',
  'application/ld+json',
  'application/problem+json',
  'multipart/form-data; boundary=hostile-boundary',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  '*/*',
  'application/*',
  'json',
  'application',
  'application/',
  '',
  'application/json,text/plain',
  'text/plain; application/json',
  'application/xml',
  'application/jsön',
  'applicatión/json',
] as const;

export type Plan =
  | {
      readonly kind: 'valid';
      readonly spec: EventSpec;
      readonly contentType: (typeof CONTENT_TYPES_JSON)[number];
      readonly secret: 'current' | 'old';
      readonly skew: number;
      readonly signatureList: 'single' | 'junkBefore' | 'junkAfter' | 'v2After' | 'twice';
      readonly headerCase: 'lower' | 'upper' | 'mixed';
      readonly chunked: boolean;
      readonly expectContinue: boolean;
      readonly timestampForm: 'plain' | 'leadingSpace' | 'trailingTab';
      readonly idForm: 'plain' | 'punctuation' | 'max256';
    }
  | {
      readonly kind: 'body';
      readonly variant:
        | 'randomBytes'
        | 'invalidUtf8'
        | 'overlongUtf8'
        | 'jsonValue'
        | 'jsonish'
        | 'bom'
        | 'deepArray'
        | 'deepObject'
        | 'deepField'
        | 'truncated'
        | 'nulAppended'
        | 'utf16'
        | 'empty'
        | 'whitespace'
        | 'duplicateKeys'
        | 'protoPollution'
        | 'hugeNumbers'
        | 'escapedControl';
      readonly spec: EventSpec;
      readonly random: Uint8Array;
      readonly value: unknown;
      readonly text: string;
      readonly depth: number;
      readonly cut: number;
    }
  | {
      readonly kind: 'wrongType';
      readonly event: 'attempt' | 'update' | 'merge' | 'erase' | 'unknown';
      readonly field: number;
      readonly value: number;
      readonly spec: EventSpec;
    }
  | {
      readonly kind: 'size';
      readonly bytes: number;
      readonly padding: 'spaces' | 'multibyte' | 'emoji';
      readonly signed: boolean;
      readonly textPlain: boolean;
      readonly chunked: boolean;
    }
  | {
      readonly kind: 'contentType';
      readonly group: 'json' | 'maybe' | 'refused' | 'missing' | 'duplicate';
      readonly pick: number;
      readonly spec: EventSpec;
    }
  | {
      readonly kind: 'encoding';
      readonly variant:
        | 'gzipReal'
        | 'gzipClaimPlain'
        | 'deflateClaimPlain'
        | 'brClaimPlain'
        | 'identity'
        | 'base64SignedEncoded'
        | 'base64SignedDecoded'
        | 'deflateReal';
      readonly spec: EventSpec;
    }
  | {
      readonly kind: 'signature';
      readonly variant: (typeof SIGNATURE_VARIANTS)[number];
      readonly cut: number;
      readonly spec: EventSpec;
    }
  | {
      readonly kind: 'timestamp';
      readonly variant: 'skew' | 'raw';
      readonly skew: number;
      readonly raw: number;
      readonly spec: EventSpec;
    }
  | {
      readonly kind: 'replay';
      readonly variant: 'same' | 'sameIdNewBody' | 'sameIdBadBody' | 'newIdSameBody' | 'oldHeaders';
      readonly pick: number;
      readonly spec: EventSpec;
    }
  | {
      readonly kind: 'webhookId';
      readonly variant: (typeof WEBHOOK_ID_VARIANTS)[number];
      readonly spec: EventSpec;
    }
  | { readonly kind: 'path'; readonly pick: number; readonly spec: EventSpec }
  | {
      readonly kind: 'method';
      readonly route: 'events' | 'health' | 'openapi' | 'unsubscribe' | 'unknown';
      readonly method: string;
      readonly path: number;
      readonly spec: EventSpec;
    }
  | {
      readonly kind: 'headers';
      readonly variant: (typeof HEADER_VARIANTS)[number];
      readonly spec: EventSpec;
    }
  | {
      readonly kind: 'unsubscribe';
      readonly method: string;
      readonly token: (typeof TOKEN_VARIANTS)[number];
      readonly body: 'oneClick' | 'none' | 'junk' | 'json';
      readonly path: '/unsubscribe' | '/unsubscribe/' | '/unsubscribe//';
      readonly pick: number;
      readonly flip: number;
      readonly junk: string;
    }
  | { readonly kind: 'unknownRoute'; readonly method: string; readonly path: string };

export const SIGNATURE_VARIANTS = [
  'missingSignature',
  'missingId',
  'missingTimestamp',
  'missingAll',
  'emptySignature',
  'v1Empty',
  'v1Only',
  'notBase64',
  'wrongSecret',
  'truncated',
  'shortHmac',
  'v2Only',
  'upperV1',
  'noComma',
  'spaceAfterComma',
  'otherBody',
  'otherId',
  'otherTimestamp',
  'manyWrong',
  'commaList',
  'tabSeparated',
  'oldSecret',
  'validAmongMany',
  'v2ThenValid',
  'trailingSpace',
] as const;
export const SIGNATURE_ACCEPTED = new Set([
  'oldSecret',
  'validAmongMany',
  'v2ThenValid',
  'trailingSpace',
]);

export const WEBHOOK_ID_VARIANTS = [
  'max256',
  'over257',
  'huge',
  'empty',
  'space',
  'tabInside',
  'unicode',
  'latin1',
  'printable',
  'paddedSignedTrimmed',
  'paddedSignedPadded',
  'singleChar',
] as const;

export const HEADER_VARIANTS = [
  'duplicateSignatureWrongFirst',
  'duplicateSignatureValidFirst',
  'duplicateId',
  'duplicateTimestamp',
  'hugeJunk',
  'manyHeaders',
  'utf8Junk',
  'missingAll',
  'emptyValues',
  'hugeHost',
  'junkAuthorization',
  'forwardedFor',
] as const;

export const TOKEN_VARIANTS = [
  'none',
  'empty',
  'random',
  'forgedSignature',
  'otherSecret',
  'truncated',
  'bitFlip',
  'spliced',
  'long',
  'unicode',
  'extraDot',
  'valid',
  'validPercentEncoded',
  'validAmongJunk',
  'forgedThenValid',
] as const;

export const PATHS: ReadonlyArray<readonly [string, 'ok' | 'maybe' | 'no']> = [
  ['/v1/events/', 'ok'],
  ['/v1/events//', 'ok'],
  ['/v1/events?x=1', 'ok'],
  ['/v1/events?', 'ok'],
  ['/v1/events?token=abc&webhook-id=forged', 'ok'],
  ['/v1/events#fragment', 'maybe'],
  [`/v1/events?q=${'x'.repeat(10_000)}`, 'ok'],
  ['/v1/../v1/events', 'maybe'],
  ['/v1/./events', 'maybe'],
  ['/./v1/events', 'maybe'],
  ['/unsubscribe/../v1/events', 'maybe'],
  ['/v1/events/.', 'maybe'],
  ['/v1/events/x/..', 'maybe'],
  ['/v1/%2e%2e/v1/events', 'maybe'],
  ['/v1\\events', 'maybe'],
  ['http://127.0.0.1/v1/events', 'maybe'],
  ['//v1/events', 'maybe'],
  ['/v1//events', 'no'],
  ['/v1/%65vents', 'maybe'],
  ['/v1/events%2F', 'no'],
  ['/v1/events%20', 'no'],
  ['/V1/EVENTS', 'no'],
  ['/v1/Events', 'no'],
  ['/v1/events.json', 'no'],
  ['/v1/events;x=y', 'no'],
  ['/v1/events/..', 'no'],
  ['/v1/events/extra', 'no'],
  ['/v1', 'no'],
  ['/', 'no'],
  ['/v2/events', 'no'],
  ['/v1/events%00', 'no'],
  [`/v1/events/${'a'.repeat(10_000)}`, 'no'],
  ['/unsubscribe/..', 'no'],
  ['/v1/health/../events', 'maybe'],
];

export const ROUTE_PATHS = {
  events: ['/v1/events', '/v1/events/', '/v1/events?x=1'],
  health: ['/v1/health', '/v1/health/', '/v1/health?probe=1'],
  openapi: ['/v1/openapi.json', '/v1/openapi.json/'],
  unsubscribe: ['/unsubscribe', '/unsubscribe/', '/unsubscribe?token=x'],
  unknown: ['/', '/v1', '/v1/', '/v1/unknown', '/admin', '/.env', '/unsubscribe/x', '/favicon.ico'],
} as const;

export const METHODS = [
  'GET',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'HEAD',
  'POST',
  'PURGE',
  'SEARCH',
];

const planArbs = {
  valid: fc.record({
    kind: fc.constant('valid' as const),
    spec: eventSpecArb,
    contentType: fc.constantFrom(...CONTENT_TYPES_JSON),
    secret: fc.constantFrom('current' as const, 'old' as const),
    // Inside the 5-minute window with a margin for a busy machine (the edges: http-boundaries).
    skew: fc.integer({ min: -280, max: 295 }),
    signatureList: fc.constantFrom(
      'single' as const,
      'junkBefore' as const,
      'junkAfter' as const,
      'v2After' as const,
      'twice' as const,
    ),
    headerCase: fc.constantFrom('lower' as const, 'upper' as const, 'mixed' as const),
    chunked: fc.boolean(),
    expectContinue: fc.boolean(),
    timestampForm: fc.constantFrom(
      'plain' as const,
      'leadingSpace' as const,
      'trailingTab' as const,
    ),
    idForm: fc.constantFrom('plain' as const, 'punctuation' as const, 'max256' as const),
  }),
  body: fc.record({
    kind: fc.constant('body' as const),
    variant: fc.constantFrom(
      'randomBytes' as const,
      'invalidUtf8' as const,
      'overlongUtf8' as const,
      'jsonValue' as const,
      'jsonish' as const,
      'bom' as const,
      'deepArray' as const,
      'deepObject' as const,
      'deepField' as const,
      'truncated' as const,
      'nulAppended' as const,
      'utf16' as const,
      'empty' as const,
      'whitespace' as const,
      'duplicateKeys' as const,
      'protoPollution' as const,
      'hugeNumbers' as const,
      'escapedControl' as const,
    ),
    spec: eventSpecArb,
    random: fc.uint8Array({ maxLength: 400 }),
    value: fc.jsonValue({ maxDepth: 4 }),
    text: fc.json({ maxDepth: 3 }),
    depth: fc.integer({ min: 500, max: 30_000 }),
    cut: fc.nat(),
  }),
  wrongType: fc.record({
    kind: fc.constant('wrongType' as const),
    event: fc.constantFrom(
      'attempt' as const,
      'attempt' as const,
      'attempt' as const,
      'update' as const,
      'merge' as const,
      'erase' as const,
      'unknown' as const,
    ),
    field: fc.nat(),
    value: fc.nat(),
    spec: eventSpecArb,
  }),
  size: fc.record({
    kind: fc.constant('size' as const),
    bytes: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(65_535, 65_536, 65_537) },
      { weight: 4, arbitrary: fc.integer({ min: 65_000, max: 70_000 }) },
      { weight: 2, arbitrary: fc.constantFrom(100_000, 1 << 20) },
      { weight: 1, arbitrary: fc.constant(3 << 20) },
    ),
    padding: fc.constantFrom('spaces' as const, 'multibyte' as const, 'emoji' as const),
    signed: fc.boolean(),
    textPlain: fc.boolean(),
    chunked: fc.boolean(),
  }),
  contentType: fc.record({
    kind: fc.constant('contentType' as const),
    group: fc.constantFrom(
      'json' as const,
      'maybe' as const,
      'refused' as const,
      'refused' as const,
      'refused' as const,
      'missing' as const,
      'duplicate' as const,
    ),
    pick: fc.nat(),
    spec: eventSpecArb,
  }),
  encoding: fc.record({
    kind: fc.constant('encoding' as const),
    variant: fc.constantFrom(
      'gzipReal' as const,
      'gzipClaimPlain' as const,
      'deflateClaimPlain' as const,
      'brClaimPlain' as const,
      'identity' as const,
      'base64SignedEncoded' as const,
      'base64SignedDecoded' as const,
      'deflateReal' as const,
    ),
    spec: eventSpecArb,
  }),
  signature: fc.record({
    kind: fc.constant('signature' as const),
    variant: fc.constantFrom(...SIGNATURE_VARIANTS),
    cut: fc.integer({ min: 1, max: 40 }),
    spec: eventSpecArb,
  }),
  timestamp: fc.record({
    kind: fc.constant('timestamp' as const),
    variant: fc.constantFrom('skew' as const, 'raw' as const),
    skew: fc.constantFrom(
      -280,
      -200,
      -1,
      0,
      1,
      200,
      295,
      299,
      -301,
      -303,
      -310,
      -600,
      -3600,
      -86_400,
      -31_536_000,
      330,
      600,
      3600,
      86_400,
    ),
    raw: fc.nat(),
    spec: eventSpecArb,
  }),
  replay: fc.record({
    kind: fc.constant('replay' as const),
    variant: fc.constantFrom(
      'same' as const,
      'sameIdNewBody' as const,
      'sameIdBadBody' as const,
      'newIdSameBody' as const,
      'oldHeaders' as const,
    ),
    pick: fc.nat(),
    spec: eventSpecArb,
  }),
  webhookId: fc.record({
    kind: fc.constant('webhookId' as const),
    variant: fc.constantFrom(...WEBHOOK_ID_VARIANTS),
    spec: eventSpecArb,
  }),
  path: fc.record({ kind: fc.constant('path' as const), pick: fc.nat(), spec: eventSpecArb }),
  method: fc.record({
    kind: fc.constant('method' as const),
    route: fc.constantFrom(
      'events' as const,
      'health' as const,
      'openapi' as const,
      'unsubscribe' as const,
      'unknown' as const,
    ),
    method: fc.constantFrom(...METHODS),
    path: fc.nat(),
    spec: eventSpecArb,
  }),
  headers: fc.record({
    kind: fc.constant('headers' as const),
    variant: fc.constantFrom(...HEADER_VARIANTS),
    spec: eventSpecArb,
  }),
  unsubscribe: fc.record({
    kind: fc.constant('unsubscribe' as const),
    method: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('GET', 'POST', 'HEAD') },
      { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PURGE') },
    ),
    token: fc.constantFrom(...TOKEN_VARIANTS),
    body: fc.constantFrom('oneClick' as const, 'none' as const, 'junk' as const, 'json' as const),
    path: fc.constantFrom(
      '/unsubscribe' as const,
      '/unsubscribe/' as const,
      '/unsubscribe//' as const,
    ),
    pick: fc.nat(),
    flip: fc.nat(),
    junk: fc.string({ unit: 'binary', maxLength: 60 }),
  }),
  unknownRoute: fc.record({
    kind: fc.constant('unknownRoute' as const),
    method: fc.constantFrom(...METHODS),
    path: fc
      .tuple(fc.webPath(), fc.webQueryParameters(), fc.boolean())
      .map(
        ([path, query, withQuery]) =>
          `${path.startsWith('/') ? path : `/${path}`}${withQuery ? `?${query}` : ''}`,
      )
      .filter((target) => {
        try {
          const path = new URL(`http://localhost${target}`).pathname.replace(/\/+$/, '');
          return !['/v1/events', '/v1/health', '/v1/openapi.json', '/unsubscribe'].includes(path);
        } catch {
          return true;
        }
      }),
  }),
};

/** Every kind of hostile request, weighted (valid requests are a minority). */
export const planArb: fc.Arbitrary<Plan> = fc.oneof(
  { weight: 8, arbitrary: planArbs.valid },
  { weight: 12, arbitrary: planArbs.body },
  { weight: 12, arbitrary: planArbs.wrongType },
  { weight: 4, arbitrary: planArbs.size },
  { weight: 8, arbitrary: planArbs.contentType },
  { weight: 4, arbitrary: planArbs.encoding },
  { weight: 10, arbitrary: planArbs.signature },
  { weight: 8, arbitrary: planArbs.timestamp },
  { weight: 5, arbitrary: planArbs.replay },
  { weight: 5, arbitrary: planArbs.webhookId },
  { weight: 6, arbitrary: planArbs.path },
  { weight: 7, arbitrary: planArbs.method },
  { weight: 5, arbitrary: planArbs.headers },
  { weight: 9, arbitrary: planArbs.unsubscribe },
  { weight: 3, arbitrary: planArbs.unknownRoute },
) as fc.Arbitrary<Plan>;

/** A short description of a plan for failure messages (long strings cut). */
export const describePlan = (plan: Plan): string =>
  JSON.stringify(plan, (_key, value) => {
    if (typeof value === 'string' && value.length > 80)
      return `${value.slice(0, 80)}…(${value.length})`;
    if (value instanceof Uint8Array) return `<${value.length} bytes>`;
    return value;
  });
