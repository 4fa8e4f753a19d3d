import { parseWebhookSecrets, verifyWebhook } from '../adapters/webhook-signature';
import type { RuntimeConfig } from '../config/runtime-config';
import { createEventValidator } from '../domain/event-schemas';
import type { RuleSettings } from '../domain/rule-settings';
import { dispatch, type Handler } from '../http/dispatch';
import { OPENAPI_DOCUMENT } from '../http/openapi-document';
import { ROUTES } from '../http/routes';
import type { Clock } from '../use-cases/ports';
import { type ReceiveEventDeps, receiveEvent } from '../use-cases/receive-event';
import { type Sources, sharedDeps } from './composition';
import {
  bodyText,
  type HttpEvent,
  type HttpResult,
  headerOf,
  json,
  lowerCaseHeaders,
  problem,
} from './http-response';
import { dynamoClient, lambdaEntry, logger } from './lambda-runtime';
import { secretListOf } from './lambda-secrets';

/** SPEC §3: bodies over 64 KiB are refused before they are parsed. */
export { MAX_BODY_BYTES } from '../http/routes';

/** Message ids we remember: printable ASCII, short enough to key an item. */
const WEBHOOK_ID = /^[\x21-\x7e]{1,256}$/;

export interface IngestDeps extends ReceiveEventDeps {
  readonly settings: RuleSettings;
  readonly clock: Clock;
  /** The accepted webhook secrets (several during a rotation). */
  readonly webhookSecrets: () => Promise<readonly string[]>;
  readonly log?: HandlerLog;
}

/** The little of a logger the handlers use; Powertools' Logger fits. */
export interface HandlerLog {
  info(message: string, extra: Record<string, unknown>): void;
  error(message: string, error: Error): void;
}

/**
 * The webhook endpoint `POST /v1/events`, `GET /v1/health` and `GET /v1/openapi.json` (SPEC §3),
 * for API Gateway HTTP API payload v2 events, dispatched by the route table
 * (`functions/http/routes.ts`); the local server turns its requests into the same events.
 *
 * Checks run cheapest first and nothing is stored unless every one passes: size (413) and content
 * type (415) in the dispatch, then Standard Webhooks signature (401), JSON (400), payload (400),
 * then a `webhook-id` seen before answers `duplicate`, and an attempt or merge conflict 409.
 *
 * @example
 * const ingest = makeIngest({ stores, settings, clock, webhookSecrets: async () => ['whsec_...'] });
 * const result = await ingest(apiGatewayEvent);
 */
export const makeIngest = (deps: IngestDeps): Handler => {
  const validate = createEventValidator(() => deps.clock.now());

  const receive = async (event: HttpEvent): Promise<HttpResult> => {
    const body = bodyText(event);
    const signatureProblem = verifyWebhook(
      await deps.webhookSecrets(),
      body,
      lowerCaseHeaders(event),
    );
    if (signatureProblem !== undefined) return problem(401, 'invalid_signature', signatureProblem);
    const id = headerOf(event, 'webhook-id') as string;
    if (!WEBHOOK_ID.test(id)) {
      return problem(
        401,
        'invalid_signature',
        'webhook-id must be 1-256 printable ASCII characters',
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return problem(400, 'invalid_json', 'the body is not valid JSON');
    }
    const validation = validate(parsed);
    if (!validation.ok) {
      return problem(400, 'invalid_payload', 'the event does not match the schema', {
        issues: validation.issues,
      });
    }
    const outcome = await receiveEvent(deps, id, validation.event);
    if (outcome === 'conflict') {
      return problem(
        409,
        'conflict',
        validation.event.type === 'account.merged'
          ? 'this account is already merged elsewhere, or the merge would loop'
          : 'this attemptId was already recorded with different content',
      );
    }
    deps.log?.info('event recorded', { webhookId: id, type: validation.event.type, outcome });
    return json(202, { status: outcome, id });
  };

  return dispatch(ROUTES, {
    receiveEvent: async (event) => {
      try {
        return await receive(event);
      } catch (error) {
        deps.log?.error('event could not be recorded', error as Error);
        return problem(500, 'internal_error', 'the event could not be recorded; retry later');
      }
    },
    getHealth: async () => json(200, { status: 'ok' }),
    getOpenApiDocument: async () =>
      json(200, OPENAPI_DOCUMENT, { 'cache-control': 'public, max-age=300' }),
  });
};

/**
 * The ingest function's composition root, for Lambda and the local stack alike.
 *
 * @example
 * const ingest = makeIngest(buildIngestDeps(config, { dynamodb, webhookSecrets: async () => [secret] }));
 */
export const buildIngestDeps = (
  config: RuntimeConfig,
  sources: Sources & {
    readonly webhookSecrets: () => Promise<readonly string[]>;
    readonly log?: HandlerLog;
  },
): IngestDeps => ({
  ...sharedDeps(config, sources),
  webhookSecrets: sources.webhookSecrets,
  ...(sources.log ? { log: sources.log } : {}),
});

/** The Lambda entry point behind API Gateway. */
export const handler = lambdaEntry((config) =>
  makeIngest(
    buildIngestDeps(config, {
      dynamodb: dynamoClient(),
      webhookSecrets: secretListOf(config.webhookSecret, 'WEBHOOK_SECRET', parseWebhookSecrets),
      log: logger,
    }),
  ),
);
