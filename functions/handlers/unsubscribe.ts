import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { RuleSettings } from '../domain/rule-settings';
import {
  renderInvalidLinkPage,
  renderUnsubscribeConfirmPage,
  renderUnsubscribedPage,
  UNSUBSCRIBE_PAGE_HEADERS,
} from '../domain/unsubscribe-page';
import { verifyUnsubscribeToken } from '../domain/unsubscribe-token';
import { type Clock, type Stores, systemClock } from '../use-cases/ports';
import { unsubscribeCandidate } from '../use-cases/unsubscribe-candidate';
import {
  type HttpEvent,
  type HttpResult,
  methodNotAllowed,
  methodOf,
  notFound,
} from './http-response';
import { lazily, logger, settingsFromEnv, storesFromEnv } from './lambda-runtime';
import { unsubscribeSecretsFromEnv } from './lambda-secrets';

export interface UnsubscribeDeps {
  readonly stores: Pick<Stores, 'candidates'>;
  readonly settings: RuleSettings;
  /** Every accepted unsubscribe secret (several during a rotation). */
  readonly unsubscribeSecrets: () => Promise<readonly string[]>;
  readonly clock: Clock;
  readonly log?: Pick<typeof logger, 'info'>;
}

const page = (statusCode: number, body: string): HttpResult => ({
  statusCode,
  headers: { ...UNSUBSCRIBE_PAGE_HEADERS },
  body,
});

/**
 * `GET /unsubscribe?token=…` shows a confirmation form and changes nothing; `POST` (RFC 8058
 * one-click from a mail client, or the form) unsubscribes the candidate the token was signed for.
 * A forged or altered token gets a 400 page and changes nothing.
 *
 * @example
 * const unsubscribe = makeUnsubscribe({ stores, settings, clock, unsubscribeSecrets: async () => [secret] });
 */
export const makeUnsubscribe =
  (deps: UnsubscribeDeps) =>
  async (event: HttpEvent): Promise<HttpResult> => {
    if (event.rawPath.replace(/\/+$/, '') !== '/unsubscribe') return notFound();
    const method = methodOf(event);
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST')
      return methodNotAllowed(['GET', 'POST']);
    const token = new URLSearchParams(event.rawQueryString ?? '').get('token') ?? '';
    const candidateId = verifyUnsubscribeToken(token, await deps.unsubscribeSecrets());
    if (candidateId === undefined) return page(400, renderInvalidLinkPage());
    if (method !== 'POST') return page(200, renderUnsubscribeConfirmPage({ token }));
    const unsubscribed = await unsubscribeCandidate(
      { candidates: deps.stores.candidates, settings: deps.settings, clock: deps.clock },
      candidateId,
    );
    if (unsubscribed !== undefined)
      deps.log?.info('candidate unsubscribed', { candidateId: unsubscribed });
    return page(200, renderUnsubscribedPage());
  };

/** The Lambda entry point behind API Gateway's `/unsubscribe` routes. */
export const handler = middy(
  lazily(async () =>
    makeUnsubscribe({
      stores: storesFromEnv(),
      settings: settingsFromEnv(),
      clock: systemClock,
      unsubscribeSecrets: unsubscribeSecretsFromEnv,
      log: logger,
    }),
  ),
).use(injectLambdaContext(logger));
