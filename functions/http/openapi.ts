import * as z from 'zod/mini';
import { signWebhook } from '../adapters/webhook-signature';
import { createEventValidator, makeEventSchema } from '../domain/event-schemas';
import { createUnsubscribeToken } from '../domain/unsubscribe-token';
import {
  methodNotAllowed,
  notFound,
  payloadTooLarge,
  problem,
  unsupportedMediaType,
} from '../handlers/http-response';
import { type ApiRoute, type OperationId, ROUTES } from './routes';

/**
 * The OpenAPI 3.1 document of the HTTP API (SPEC §3), generated from the route table and from
 * the zod schemas that validate the events (`functions/domain/event-schemas.ts`), through zod's
 * own JSON Schema conversion. `scripts/write-openapi.ts` writes it to `docs/openapi.json`, which
 * the ingest function serves at `GET /v1/openapi.json`; this module is never bundled into a
 * function.
 *
 * Every example request carries `x-expected-status`, the status the API answers it with (a
 * webhook re-signed with a live secret, an unsubscribe link re-signed for its candidate); the
 * tests post each one to the local stack.
 */

type JsonSchema = Record<string, unknown>;
type JsonObject = Record<string, unknown>;

const JSON_TYPE = 'application/json';
const HTML_TYPE = 'text/html';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const MULTIPART_TYPE = 'multipart/form-data';

/** Sign the examples: published here, so no stack may ever use them. */
export const EXAMPLE_WEBHOOK_SECRET = `whsec_${Buffer.from('cert-reminders example secret!!').toString('base64')}`;
export const EXAMPLE_UNSUBSCRIBE_SECRET = 'cert-reminders example unsubscribe secret';
const EXAMPLE_WEBHOOK_ID = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
const EXAMPLE_SENT_AT = new Date('2026-02-28T10:00:05Z');

/** SPEC §3 error codes. */
export const ERROR_CODES = [
  'invalid_json',
  'invalid_payload',
  'invalid_signature',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'not_found',
  'method_not_allowed',
  'internal_error',
] as const;

// ---------------------------------------------------------------------------------------------
// Events: JSON Schema from the validating zod schemas

const EVENT_SCHEMA = makeEventSchema(() => new Date());

/** What each event means (SPEC §2); the fields' rules come from the zod schemas. */
const EVENT_DESCRIPTIONS: Record<string, string> = {
  'attempt.recorded':
    'An exam attempt. An attemptId is unique forever: a repeat with identical content is a duplicate (accepted, no change), a repeat with different content a 409 conflict.',
  'candidate.updated':
    'Profile changes: any of email, name, timeZone, locale and guardianEmail; null removes a field. Profile fields are last-writer-wins by timestamp.',
  'candidate.erased':
    "Deletes the candidate's profile, attempts and personal data; nothing is ever sent to them again.",
  'account.merged':
    'The Merge Accounts tool: attempts move to the target and reminders already emailed to either account count as emailed for the target. A merge whose target is, or leads to, the source is a 409 conflict.',
};

/** Rules of `superRefine`s, whose messages only exist once a value breaks them. */
const EXTRA_RULES: Record<string, Record<string, string>> = {
  'attempt.recorded': { takenAt: 'Not before 2000-01-01, nor more than 5 minutes in the future.' },
};

/** One valid example of each event type. */
export const EVENT_EXAMPLES: Record<string, JsonObject> = {
  'attempt.recorded': {
    type: 'attempt.recorded',
    timestamp: '2026-02-28T10:00:05Z',
    data: {
      attemptId: 'att-1001',
      candidate: {
        candidateId: 'cand-ana',
        email: 'ana.silva@example.com',
        name: 'Ana Silva',
        timeZone: 'Europe/Lisbon',
        locale: 'pt-PT',
      },
      credential: { credentialId: 'aws-serverless', name: 'AWS Serverless Microcredential' },
      outcome: 'pass',
      takenAt: '2026-02-28T10:00:00Z',
    },
  },
  'candidate.updated': {
    type: 'candidate.updated',
    timestamp: '2026-03-02T09:00:00Z',
    data: { candidateId: 'cand-ana', email: 'ana@example.org', timeZone: 'Europe/Madrid' },
  },
  'candidate.erased': {
    type: 'candidate.erased',
    timestamp: '2026-03-03T09:00:00Z',
    data: { candidateId: 'cand-ben' },
  },
  'account.merged': {
    type: 'account.merged',
    timestamp: '2026-03-04T09:00:00Z',
    data: { fromCandidateId: 'cand-ana-teen', toCandidateId: 'cand-ana' },
  },
};

/** A mistake JSON Schema cannot see but the validator reports: `takenAt` without an offset. */
const INVALID_EVENT_EXAMPLE = {
  ...EVENT_EXAMPLES['attempt.recorded'],
  data: {
    ...(EVENT_EXAMPLES['attempt.recorded']?.data as JsonObject),
    takenAt: '2026-02-28T10:00:00',
  },
};

/** `attempt.recorded` → `AttemptRecorded`. */
const componentName = (type: string) =>
  type
    .split(/[._-]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

const sentence = (message: string) =>
  `${message.charAt(0).toUpperCase()}${message.slice(1)}${message.endsWith('.') ? '' : '.'}`;

interface CheckDef {
  readonly check?: string;
  readonly error?: (issue?: unknown) => unknown;
}

/** The messages of a schema's custom checks (`refine`), which JSON Schema cannot express. */
const customRules = (schema: z.core.$ZodType): string[] => {
  const checks = (schema._zod.def as { checks?: Array<{ _zod: { def: CheckDef } }> }).checks;
  return (checks ?? []).flatMap(({ _zod: { def } }) => {
    if (def.check !== 'custom' || def.error === undefined) return [];
    let message: unknown;
    try {
      message = def.error();
    } catch {
      return [];
    }
    if (typeof message === 'object' && message !== null) message = (message as JsonObject).message;
    return typeof message === 'string' ? [sentence(message)] : [];
  });
};

const toJsonSchema = (schema: z.core.$ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    override: ({ zodSchema, jsonSchema }) => {
      const rules = customRules(zodSchema);
      if (rules.length > 0) jsonSchema.description = rules.join(' ');
    },
  }) as JsonSchema;
  return rest;
};

/**
 * The JSON Schema (draft 2020-12) of each event type, keyed by type, generated from the
 * validating schemas. Unknown fields are allowed (the API drops them); rules JSON Schema cannot
 * express (a zone known to `Intl`, a real instant, …) are in the descriptions.
 */
export const eventJsonSchemas = (): Record<string, JsonSchema> => {
  const options = (EVENT_SCHEMA._zod.def as unknown as { options: z.core.$ZodType[] }).options;
  return Object.fromEntries(
    options.map((option) => {
      const schema = toJsonSchema(option, 'input');
      const properties = schema.properties as Record<string, JsonSchema>;
      const type = (properties.type as JsonSchema).const as string;
      const data = properties.data as JsonSchema & { properties: Record<string, JsonSchema> };
      for (const [field, rule] of Object.entries(EXTRA_RULES[type] ?? {})) {
        const property = data.properties[field] as JsonSchema;
        property.description = [property.description, rule].filter(Boolean).join(' ');
      }
      return [type, { title: type, description: EVENT_DESCRIPTIONS[type], ...schema }];
    }),
  );
};

/** One event type's schema as a standalone file (`docs/schemas/<type>.json`). */
export const standaloneEventSchema = (type: string): JsonSchema => {
  const schema = eventJsonSchemas()[type];
  if (schema === undefined) throw new Error(`no event type ${type}`);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...schema,
    examples: [EVENT_EXAMPLES[type]],
  };
};

// ---------------------------------------------------------------------------------------------
// Answers: zod schemas of the JSON the API sends

export const acceptedSchema = z.object({
  status: z
    .enum(['accepted', 'duplicate'])
    .check(
      z.describe(
        'accepted: recorded now; duplicate: this webhook-id (or an identical attempt) was recorded before, nothing changed',
      ),
    ),
  id: z.string().check(z.describe('The webhook-id of the request')),
});

export const healthSchema = z.object({ status: z.literal('ok') });

export const errorSchema = z.object({
  error: z.enum(ERROR_CODES),
  message: z.string().check(z.describe('For people; may change at any time')),
  issues: z.optional(
    z
      .array(
        z.object({
          path: z.string().check(z.describe('Dotted path of the field, e.g. data.takenAt')),
          message: z.string(),
        }),
      )
      .check(z.describe('With invalid_payload only: every problem found')),
  ),
});

const bodyOf = (result: { body: string }) => JSON.parse(result.body) as JsonObject;

const example = (summary: string, value: unknown, expectedStatus?: number) => ({
  summary,
  value,
  ...(expectedStatus === undefined ? {} : { 'x-expected-status': expectedStatus }),
});

const jsonResponse = (description: string, schema: string, examples: Record<string, unknown>) => ({
  description,
  content: {
    [JSON_TYPE]: { schema: { $ref: `#/components/schemas/${schema}` }, examples },
  },
});

const errorResponse = (description: string, examples: Record<string, unknown>) =>
  jsonResponse(description, 'Error', examples);

const tooLarge = (route: ApiRoute) =>
  errorResponse(`The body is over ${route.maxBodyBytes / 1024} KiB; nothing was read.`, {
    payloadTooLarge: example(
      `Body over ${route.maxBodyBytes} bytes`,
      bodyOf(payloadTooLarge(route.maxBodyBytes)),
    ),
  });

const htmlPage = (description: string, summary: string, html: string) => ({
  description,
  content: {
    [HTML_TYPE]: { schema: { type: 'string' }, examples: { page: { summary, value: html } } },
  },
});

const page = (title: string, body: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

// ---------------------------------------------------------------------------------------------
// Operations

const unsubscribeToken = createUnsubscribeToken('cand-ana', EXAMPLE_UNSUBSCRIBE_SECRET);

type OperationDoc = (route: ApiRoute) => JsonObject;

const invalidLinkPage = htmlPage(
  'The token is missing, altered or forged: a page saying so; nothing changed.',
  'Invalid link',
  page('Link not valid', '<h1>This link is not valid</h1>…'),
);

const OPERATIONS: Record<OperationId, OperationDoc> = {
  receiveEvent: (route) => {
    const body = JSON.stringify(EVENT_EXAMPLES['attempt.recorded']);
    const signed = signWebhook(EXAMPLE_WEBHOOK_SECRET, EXAMPLE_WEBHOOK_ID, EXAMPLE_SENT_AT, body);
    return {
      tags: ['events'],
      summary: 'Receive one event (a signed webhook)',
      description:
        'Records one event of SPEC §2, sent as a Standard Webhooks request. Checks run cheapest first and nothing is stored unless every one passes: size (413), content type (415), signature (401), JSON (400 invalid_json), schema (400 invalid_payload); then a webhook-id seen before is answered duplicate, and a conflicting attempt or merge 409. Retry a 5xx or a network failure with the same webhook-id; never retry a 4xx unchanged.',
      parameters: [
        {
          name: 'webhook-id',
          in: 'header',
          required: true,
          description:
            'Unique id of the message: a retry must carry the same one. Remembered for at least 7 days; a repeat is answered 202 duplicate and changes nothing.',
          schema: { type: 'string', pattern: '^[!-~]{1,256}$' },
          example: signed['webhook-id'],
        },
        {
          name: 'webhook-timestamp',
          in: 'header',
          required: true,
          description:
            'When the message was signed, in Unix seconds; more than 5 minutes off is refused (401).',
          schema: { type: 'string', pattern: '^[0-9]{1,12}$' },
          example: signed['webhook-timestamp'],
        },
        {
          name: 'webhook-signature',
          in: 'header',
          required: true,
          description: `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}" with the base64-decoded key of the whsec_ secret>; several may be sent, separated by spaces (during a rotation). The examples are signed with the example secret ${EXAMPLE_WEBHOOK_SECRET}.`,
          schema: { type: 'string', minLength: 1 },
          example: signed['webhook-signature'],
        },
      ],
      requestBody: {
        required: true,
        description: `One event as UTF-8 JSON, at most ${route.maxBodyBytes} bytes.`,
        content: {
          [JSON_TYPE]: {
            schema: { $ref: '#/components/schemas/Event' },
            examples: {
              ...Object.fromEntries(
                Object.entries(EVENT_EXAMPLES).map(([type, value]) => [
                  componentName(type).replace(/^./, (first) => first.toLowerCase()),
                  example(type, value, 202),
                ]),
              ),
              invalidTakenAt: example(
                'attempt.recorded whose takenAt has no offset',
                INVALID_EVENT_EXAMPLE,
                400,
              ),
            },
          },
        },
      },
      responses: {
        '202': jsonResponse('Recorded now, or recorded before (nothing changed).', 'Accepted', {
          accepted: example('First delivery', { status: 'accepted', id: EXAMPLE_WEBHOOK_ID }),
          duplicate: example('A retry of a recorded message', {
            status: 'duplicate',
            id: EXAMPLE_WEBHOOK_ID,
          }),
        }),
        '400': errorResponse('The body is not JSON, or not a valid event; nothing stored.', {
          invalidJson: example(
            'Not JSON',
            bodyOf(problem(400, 'invalid_json', 'the body is not valid JSON')),
          ),
          invalidPayload: example('Not a valid event', {
            error: 'invalid_payload',
            message: 'the event does not match the schema',
            issues: (() => {
              const validation = createEventValidator(() => EXAMPLE_SENT_AT)(INVALID_EVENT_EXAMPLE);
              return validation.ok ? [] : validation.issues;
            })(),
          }),
        }),
        '401': errorResponse(
          'The signature is missing, malformed, wrong or expired; nothing stored. Check the secret and the clock.',
          {
            missing: example('A header is missing', {
              error: 'invalid_signature',
              message: 'missing webhook-id, webhook-timestamp or webhook-signature header',
            }),
            wrong: example('Signed with another secret, or the body changed', {
              error: 'invalid_signature',
              message: 'no signature matches',
            }),
            expired: example('Timestamp more than 5 minutes off', {
              error: 'invalid_signature',
              message: 'webhook-timestamp is more than 5 minutes off',
            }),
          },
        ),
        '409': errorResponse(
          'The event contradicts what is recorded; nothing stored, and retrying will not help.',
          {
            attempt: example('Same attemptId, different content', {
              error: 'conflict',
              message: 'this attemptId was already recorded with different content',
            }),
            merge: example('A merge that would loop', {
              error: 'conflict',
              message: 'this account is already merged elsewhere, or the merge would loop',
            }),
          },
        ),
        '413': tooLarge(route),
        '415': errorResponse('The body is not sent as application/json.', {
          unsupportedMediaType: example(
            'Content-Type: text/plain',
            bodyOf(unsupportedMediaType(route.contentTypes ?? [JSON_TYPE])),
          ),
        }),
        '500': errorResponse(
          'A failure on our side; nothing stored. Retry with the same webhook-id.',
          {
            internalError: example('Storage unavailable', {
              error: 'internal_error',
              message: 'the event could not be recorded; retry later',
            }),
          },
        ),
      },
    };
  },
  getHealth: (route) => ({
    tags: ['service'],
    summary: 'Health check',
    description: 'Answers 200 while the function runs; reads and changes nothing.',
    responses: {
      '200': jsonResponse('Running.', 'Health', { ok: example('Running', { status: 'ok' }) }),
      '413': tooLarge(route),
    },
  }),
  getOpenApiDocument: (route) => ({
    tags: ['service'],
    summary: 'This OpenAPI document',
    responses: {
      '200': {
        description: 'The OpenAPI 3.1 document of this API (docs/openapi.json).',
        content: {
          [JSON_TYPE]: {
            schema: {
              type: 'object',
              properties: {
                openapi: { type: 'string', pattern: '^3\\.1\\.' },
                info: { type: 'object' },
                paths: { type: 'object' },
              },
              required: ['openapi', 'info', 'paths'],
            },
            examples: {
              document: example('Abridged', {
                openapi: '3.1.0',
                info: { title: 'cert-reminders', version: '1.0.0' },
                paths: {},
              }),
            },
          },
        },
      },
      '413': tooLarge(route),
    },
  }),
  showUnsubscribePage: (route) => ({
    tags: ['unsubscribe'],
    summary: 'Unsubscribe confirmation page',
    description:
      "The page behind an email's unsubscribe link: a button (a form that POSTs back here). Showing it changes nothing, so link scanners cannot unsubscribe anyone.",
    parameters: [{ $ref: '#/components/parameters/UnsubscribeToken' }],
    responses: {
      '200': htmlPage(
        'The confirmation page; nothing changed.',
        'Confirmation form',
        page(
          'Unsubscribe',
          `<form method="post" action="?token=${unsubscribeToken}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
        ),
      ),
      '400': invalidLinkPage,
      '413': tooLarge(route),
    },
  }),
  unsubscribe: (route) => ({
    tags: ['unsubscribe'],
    summary: 'Unsubscribe (RFC 8058 one-click, or the confirmation form)',
    description:
      'Unsubscribes the candidate the token was signed for: they receive no further reminders. Repeating it is harmless. The body is not read; any content type is accepted.',
    parameters: [{ $ref: '#/components/parameters/UnsubscribeToken' }],
    requestBody: {
      required: false,
      content: Object.fromEntries(
        [FORM_TYPE, MULTIPART_TYPE].map((type) => [
          type,
          {
            schema: { $ref: '#/components/schemas/OneClick' },
            ...(type === FORM_TYPE
              ? {
                  examples: {
                    oneClick: example(
                      'RFC 8058 one-click',
                      { 'List-Unsubscribe': 'One-Click' },
                      200,
                    ),
                  },
                }
              : {}),
          },
        ]),
      ),
    },
    responses: {
      '200': htmlPage(
        'Unsubscribed (or already unsubscribed).',
        'Done',
        page('Unsubscribed', '<h1>You are unsubscribed</h1>…'),
      ),
      '400': invalidLinkPage,
      '413': tooLarge(route),
    },
  }),
};

// ---------------------------------------------------------------------------------------------
// The document

const DESCRIPTION = `Webhook and unsubscribe endpoints of cert-reminders (SPEC §3).

Programmes post every change as one event to \`POST /v1/events\`, signed with Standard Webhooks; see docs/integrating.md.

Errors are JSON \`{"error": <code>, "message": …}\` and never store anything. Besides the answers of each operation, any path answers \`404 not_found\`, and a method a path does not have \`405 method_not_allowed\` with an \`allow\` header. A body over 64 KiB is \`413 payload_too_large\` everywhere. \`GET\` routes answer \`HEAD\` too. A client's mistake is never a 5xx.`;

/**
 * The OpenAPI 3.1 document of every route of {@link ROUTES}.
 *
 * @example
 * writeFileSync('docs/openapi.json', JSON.stringify(openApiDocument(), null, 2));
 */
export const openApiDocument = (table: readonly ApiRoute[] = ROUTES): JsonObject => {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of table) {
    const describe = OPERATIONS[route.operationId as OperationId];
    if (describe === undefined) throw new Error(`no documentation for ${route.operationId}`);
    paths[route.path] = {
      ...paths[route.path],
      [route.method.toLowerCase()]: { operationId: route.operationId, ...describe(route) },
    };
  }
  const events = eventJsonSchemas();
  const mapping = Object.fromEntries(
    Object.keys(events).map((type) => [type, `#/components/schemas/${componentName(type)}`]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'cert-reminders',
      version: '1.0.0',
      summary: 'Reminders for certification programmes: renewals, retakes and expiries.',
      description: DESCRIPTION,
    },
    servers: [
      { url: 'http://127.0.0.1:3000', description: 'The local stack (`npm start`)' },
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'A deployed stack (its ApiUrl output)',
        variables: {
          apiId: { default: 'abcdef1234', description: 'The HTTP API id' },
          region: { default: 'eu-west-1', description: 'The AWS region' },
        },
      },
    ],
    // Not an OpenAPI security scheme: the webhook is authenticated by the signature headers it
    // documents, the unsubscribe routes by their signed token.
    security: [],
    tags: [
      { name: 'events', description: 'What the programme sends.' },
      {
        name: 'unsubscribe',
        description: "The link in every email's footer and List-Unsubscribe header.",
      },
      { name: 'service', description: 'Health and this document.' },
    ],
    paths,
    components: {
      schemas: {
        Event: {
          description: 'One event of SPEC §2, told apart by type.',
          oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
          discriminator: { propertyName: 'type', mapping },
        },
        ...Object.fromEntries(
          Object.entries(events).map(([type, schema]) => [componentName(type), schema]),
        ),
        Accepted: toJsonSchema(acceptedSchema, 'output'),
        Health: toJsonSchema(healthSchema, 'output'),
        Error: {
          ...toJsonSchema(errorSchema, 'output'),
          examples: [bodyOf(notFound()), bodyOf(methodNotAllowed(['POST']))],
        },
        OneClick: {
          type: 'object',
          description: 'RFC 8058 one-click body; the form sends the same. Not read.',
          properties: { 'List-Unsubscribe': { const: 'One-Click' } },
        },
      },
      parameters: {
        UnsubscribeToken: {
          name: 'token',
          in: 'query',
          required: true,
          description:
            'The signed token of the link in the email: v1.<candidate id, base64url>.<HMAC-SHA256, base64url>. It does not expire.',
          schema: { type: 'string', maxLength: 256 },
          examples: {
            link: example('The token of an unsubscribe link', unsubscribeToken, 200),
            forged: example('An altered token', 'v1.Y2FuZC1hbmE.forged', 400),
          },
        },
      },
    },
  };
};
