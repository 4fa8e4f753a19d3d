import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { parseWebhookSecrets, verifyWebhook } from '../adapters/webhook-signature';
import { createEventValidator } from '../domain/event-schemas';
import type { RuleSettings } from '../domain/rule-settings';
import { type Clock, systemClock } from '../use-cases/ports';
import { type ReceiveEventDeps, receiveEvent } from '../use-cases/receive-event';
import {
  bodyBytes,
  bodyText,
  type HttpEvent,
  type HttpResult,
  headerOf,
  json,
  lowerCaseHeaders,
  methodNotAllowed,
  methodOf,
  notFound,
  problem,
} from './http-response';
import { lazily, logger, settingsFromEnv, storesFromEnv } from './lambda-runtime';
import { secretFromEnv } from './lambda-secrets';

/** SPEC §3: bodies over 64 KiB are refused before they are parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

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

const isJsonContentType = (value: string | undefined) =>
  value !== undefined && /^application\/json\s*(;.*)?$/i.test(value.trim());

/**
 * The webhook endpoint `POST /v1/events` and `GET /v1/health` (SPEC §3), for API Gateway HTTP
 * API payload v2 events; the local server turns its requests into the same events.
 *
 * Checks run cheapest first and nothing is stored unless every one passes: size (413), content
 * type (415), Standard Webhooks signature (401), JSON (400), payload (400), then a `webhook-id`
 * seen before answers `duplicate`, and an attempt or merge conflict 409.
 *
 * @example
 * const ingest = makeIngest({ stores, settings, clock, webhookSecrets: async () => ['whsec_...'] });
 * const result = await ingest(apiGatewayEvent);
 */
export const makeIngest = (deps: IngestDeps) => {
  const validate = createEventValidator(() => deps.clock.now());

  const receive = async (event: HttpEvent): Promise<HttpResult> => {
    if (bodyBytes(event) > MAX_BODY_BYTES) {
      return problem(413, 'payload_too_large', `the body must be at most ${MAX_BODY_BYTES} bytes`);
    }
    if (!isJsonContentType(headerOf(event, 'content-type'))) {
      return problem(415, 'unsupported_media_type', 'send the event as application/json');
    }
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

  return async (event: HttpEvent): Promise<HttpResult> => {
    const path = event.rawPath.replace(/\/+$/, '') || '/';
    const method = methodOf(event);
    if (path === '/v1/health')
      return method === 'GET' || method === 'HEAD'
        ? json(200, { status: 'ok' })
        : methodNotAllowed(['GET']);
    if (path !== '/v1/events') return notFound();
    if (method !== 'POST') return methodNotAllowed(['POST']);
    try {
      return await receive(event);
    } catch (error) {
      deps.log?.error('event could not be recorded', error as Error);
      return problem(500, 'internal_error', 'the event could not be recorded; retry later');
    }
  };
};

/** The Lambda entry point behind API Gateway. */
export const handler = middy(
  lazily(async () => {
    const secrets = async () => parseWebhookSecrets(await secretFromEnv('WEBHOOK_SECRET'));
    return makeIngest({
      stores: storesFromEnv(),
      clock: systemClock,
      settings: settingsFromEnv(),
      webhookSecrets: secrets,
      log: logger,
    });
  }),
).use(injectLambdaContext(logger));
