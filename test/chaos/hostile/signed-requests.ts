import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import type { HeaderValue, RawRequest } from './raw-http';

/**
 * The raw material of the hostile requests (not a test file itself): what a request must be
 * answered, Standard Webhooks signatures computed on raw bytes, raw `POST /v1/events` requests,
 * and valid events named by a request's TRACER, a string unique to it that is used in its
 * webhook-id, candidate and attempt ids and addresses. What a request may change in the table is
 * named by its tracer, so a scan after each batch tells exactly which request stored what.
 */

export const MAX_BODY = 64 * 1024;

/** Secrets the app under test accepts (current first) and one it does not. */
export interface Secrets {
  readonly webhook: string;
  readonly oldWebhook: string;
  readonly foreignWebhook: string;
  readonly unsubscribe: string;
}

/** A candidate created before the run, whose unsubscribe token the generator may use. */
export interface PoolCandidate {
  readonly candidateId: string;
  readonly token: string;
}

/** An earlier `attempt.recorded` delivery that was accepted: what a replay sends again. */
export interface Delivered {
  readonly id: string;
  readonly body: Buffer;
  readonly timestamp: string;
  readonly signature: string;
}

export interface BuildContext {
  readonly tracer: string;
  readonly nowMs: number;
  readonly secrets: Secrets;
  readonly pool: readonly PoolCandidate[];
  readonly delivered: readonly Delivered[];
}

/** What an answer must be. */
export interface Expectation {
  /** Allowed status codes. */
  readonly statuses: readonly number[];
  /** Allowed `error` codes of a JSON error answer (default: the SPEC code of its status). */
  readonly errors?: readonly string[];
  /** The route answers with HTML pages (unsubscribe), except 404 and 405. */
  readonly html?: boolean;
  /** For a 202: the `status` values allowed in its body. */
  readonly ingest?: ReadonlyArray<'accepted' | 'duplicate'>;
  /** The webhook-id the 202 body must echo. */
  readonly webhookId?: string;
  /** Keys (`pk`) the request may add or change when answered with success (202, or 200 to POST /unsubscribe). */
  readonly mayChange: readonly string[];
  /** With a 202 `duplicate`, what may change instead (default nothing). */
  readonly mayChangeOnDuplicate?: readonly string[];
  /** Keys that must exist after a 202 `accepted`. */
  readonly mustStore?: readonly string[];
  /** Whether a 200 answer is a success that may change the table (POST /unsubscribe). */
  readonly successOn200?: boolean;
  /** What a 200 JSON body must be: `{"status":"ok"}`, or any JSON object. */
  readonly okBody?: 'health' | 'json';
  /** Whether this request, when answered 202 `accepted`, can be replayed later. */
  readonly replayable?: boolean;
}

export interface Built {
  readonly request: RawRequest;
  readonly expect: Expectation;
  readonly delivered?: Delivered;
}

/** The SPEC §3 error code of each status. */
export const ERROR_CODES: Readonly<Record<number, readonly string[]>> = {
  400: ['invalid_json', 'invalid_payload'],
  401: ['invalid_signature'],
  404: ['not_found'],
  405: ['method_not_allowed'],
  409: ['conflict'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
};

// ---------------------------------------------------------------------------------------------
// Signing and request building

const keyOf = (secret: string) => Buffer.from(secret.slice('whsec_'.length), 'base64');
const bytes = (value: HeaderValue) =>
  typeof value === 'string' ? Buffer.from(value, 'utf8') : value;

/** `v1,<base64 HMAC-SHA256>` over `{id}.{timestamp}.{body}`, computed on raw bytes. */
export const signatureOf = (
  secret: string,
  id: HeaderValue,
  timestamp: HeaderValue,
  body: Buffer,
): string =>
  `v1,${createHmac('sha256', keyOf(secret))
    .update(Buffer.concat([bytes(id), Buffer.from('.'), bytes(timestamp), Buffer.from('.'), body]))
    .digest('base64')}`;

export type HeaderList = Array<[HeaderValue, HeaderValue]>;

export interface IngestOptions {
  readonly body: Buffer;
  readonly method?: string;
  readonly target?: string | Buffer;
  readonly contentType?: HeaderValue | null;
  readonly id?: HeaderValue | null;
  readonly timestamp?: HeaderValue | null;
  readonly signature?: HeaderValue | null;
  readonly extra?: HeaderList;
  readonly chunked?: boolean;
  readonly headerCase?: 'lower' | 'upper' | 'mixed';
}

const recase = (name: string, style: IngestOptions['headerCase']) =>
  style === 'upper'
    ? name.toUpperCase()
    : style === 'mixed'
      ? name.replace(/(^|-)([a-z])/g, (_all, dash: string, c: string) => dash + c.toUpperCase())
      : name;

export const ingestRequest = (options: IngestOptions): RawRequest => {
  const headers: HeaderList = [];
  const add = (name: string, value: HeaderValue | null | undefined) => {
    if (value !== null && value !== undefined)
      headers.push([recase(name, options.headerCase), value]);
  };
  add('content-type', options.contentType === undefined ? 'application/json' : options.contentType);
  add('webhook-id', options.id);
  add('webhook-timestamp', options.timestamp);
  add('webhook-signature', options.signature);
  headers.push(...(options.extra ?? []));
  return {
    method: options.method ?? 'POST',
    target: options.target ?? '/v1/events',
    headers,
    body: options.body,
    ...(options.chunked ? { chunked: true } : {}),
  };
};

/** A correctly signed request (current secret, fresh timestamp), with overrides. */
export const signedRequest = (
  ctx: BuildContext,
  body: Buffer,
  options: Partial<IngestOptions> & { readonly secret?: string; readonly skew?: number } = {},
): { request: RawRequest; id: string; timestamp: string; signature: string } => {
  const id = `msg_${ctx.tracer}`;
  const timestamp = String(Math.floor(ctx.nowMs / 1000) + (options.skew ?? 0));
  const signature = signatureOf(options.secret ?? ctx.secrets.webhook, id, timestamp, body);
  return {
    request: ingestRequest({ id, timestamp, signature, ...options, body }),
    id,
    timestamp,
    signature,
  };
};

// ---------------------------------------------------------------------------------------------
// Events

// biome-ignore lint/suspicious/noControlCharactersInRegex: the names SPEC §2 refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const isValidName = (value: string) => value.length <= 200 && !CONTROL.test(value);

/** Names that are valid (SPEC §2: at most 200 characters, no control characters) and awkward. */
export const validNameArb: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      'Zoë Ñandú 山田 🎓',
      'مرحبا بالعالم',
      'e\u0301le\u0300ve',
      '👩‍👩‍👧‍👦 family',
      "O'Brien-Smith",
      '\uFEFFbom inside',
      'a\uD800lone surrogate',
      '"quotes" <b>&amp;</b> </script>',
      'x'.repeat(200),
      '\u202Eright-to-left override',
      'ǅungla',
      '',
      '\u0024{jndi:ldap://x}',
      "'; DROP TABLE candidates; --",
    ),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
  )
  .filter(isValidName);

const ZONES = ['UTC', 'Europe/Lisbon', 'Pacific/Kiritimati', 'Asia/Kathmandu', 'America/St_Johns'];

export interface EventSpec {
  readonly type: 'attempt' | 'update' | 'merge' | 'erase';
  readonly name: string;
  readonly credentialName: string;
  readonly zone: string;
  readonly outcome: 'pass' | 'fail';
  readonly daysAgo: number;
  readonly guardian: boolean;
  readonly unknownFields: boolean;
}

export const eventSpecArb: fc.Arbitrary<EventSpec> = fc.record({
  type: fc.oneof(
    { weight: 6, arbitrary: fc.constant('attempt' as const) },
    { weight: 2, arbitrary: fc.constant('update' as const) },
    { weight: 1, arbitrary: fc.constant('merge' as const) },
    { weight: 1, arbitrary: fc.constant('erase' as const) },
  ),
  name: validNameArb,
  credentialName: validNameArb,
  zone: fc.constantFrom(...ZONES),
  outcome: fc.constantFrom('pass' as const, 'fail' as const),
  daysAgo: fc.integer({ min: 0, max: 3000 }),
  guardian: fc.boolean(),
  unknownFields: fc.boolean(),
});

export const DEFAULT_SPEC: EventSpec = {
  type: 'attempt',
  name: 'Default Name',
  credentialName: 'Default Credential',
  zone: 'UTC',
  outcome: 'pass',
  daysAgo: 10,
  guardian: false,
  unknownFields: false,
};

export const candidateOf = (tracer: string) => `${tracer}-c`;
export const otherCandidateOf = (tracer: string) => `${tracer}-d`;
export const attemptOf = (tracer: string) => `${tracer}-a`;

/** A valid event named by the tracer, and the keys it may write. */
export const eventOf = (spec: EventSpec, ctx: BuildContext) => {
  const t = ctx.tracer;
  const at = new Date(ctx.nowMs - spec.daysAgo * 86_400_000 - 60_000).toISOString();
  const extra = spec.unknownFields ? { unknownField: { nested: [1, 'two', null] }, 'x-y': 1 } : {};
  switch (spec.type) {
    case 'attempt':
      return {
        event: {
          type: 'attempt.recorded',
          timestamp: at,
          ...extra,
          data: {
            attemptId: attemptOf(t),
            candidate: {
              candidateId: candidateOf(t),
              email: `${t}@example.com`,
              name: spec.name,
              timeZone: spec.zone,
              ...(spec.guardian ? { guardianEmail: `${t}.guardian@example.org` } : {}),
              ...extra,
            },
            credential: { credentialId: 'hostile-cred', name: spec.credentialName, ...extra },
            outcome: spec.outcome,
            takenAt: at,
            ...extra,
          },
        },
        keys: [`CAND#${candidateOf(t)}`, `ATTEMPT#${attemptOf(t)}`],
      };
    case 'update':
      return {
        event: {
          type: 'candidate.updated',
          timestamp: at,
          ...extra,
          data: {
            candidateId: candidateOf(t),
            email: `${t}@example.com`,
            name: spec.name,
            timeZone: spec.guardian ? null : spec.zone,
            ...extra,
          },
        },
        keys: [`CAND#${candidateOf(t)}`],
      };
    case 'merge':
      return {
        event: {
          type: 'account.merged',
          timestamp: at,
          ...extra,
          data: { fromCandidateId: candidateOf(t), toCandidateId: otherCandidateOf(t), ...extra },
        },
        keys: [`CAND#${candidateOf(t)}`, `CAND#${otherCandidateOf(t)}`],
      };
    default:
      return {
        event: {
          type: 'candidate.erased',
          timestamp: at,
          ...extra,
          data: { candidateId: candidateOf(t), ...extra },
        },
        keys: [`CAND#${candidateOf(t)}`],
      };
  }
};

export const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

/** The expectation of a valid, correctly signed event. */
export const accepted = (
  keys: readonly string[],
  id: string,
  options: { readonly replayable?: boolean; readonly statuses?: readonly number[] } = {},
): Expectation => ({
  statuses: options.statuses ?? [202],
  ingest: ['accepted'],
  webhookId: id,
  mayChange: [...keys, `WEBHOOK#${id}`],
  mustStore: [`WEBHOOK#${id}`, keys[0] as string],
  ...(options.replayable ? { replayable: true } : {}),
});

export const refused = (statuses: readonly number[], errors?: readonly string[]): Expectation => ({
  statuses,
  ...(errors ? { errors } : {}),
  mayChange: [],
});

/** A valid event of the spec, signed; with what it may store when accepted. */
export const validDelivery = (
  spec: EventSpec,
  ctx: BuildContext,
  options: Partial<IngestOptions> & { readonly secret?: string; readonly skew?: number } = {},
) => {
  const { event, keys } = eventOf(spec, ctx);
  const body = json(event);
  const signed = signedRequest(ctx, body, options);
  return { ...signed, body, keys, event };
};
