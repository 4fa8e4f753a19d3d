import type { RuntimeConfig } from '../config/runtime-config';
import { type CandidateState, profileOf } from '../domain/candidate-state';
import { candidateUnsubscribed } from '../domain/outbound-events';
import type { RuleSettings } from '../domain/rule-settings';
import { verifyUnsubscribeToken } from '../domain/unsubscribe-token';
import {
  renderInvalidLinkPage,
  renderUnsubscribeConfirmPage,
  renderUnsubscribedPage,
} from '../email/unsubscribe-page';
import { dispatch, type Handler } from '../http/dispatch';
import { ROUTES } from '../http/routes';
import { publishOutbound } from '../use-cases/outbound-delivery';
import type { Clock, OutboundEvents, Stores } from '../use-cases/ports';
import { unsubscribeCandidate } from '../use-cases/unsubscribe-candidate';
import { type Sources, sharedDeps } from './composition';
import type { HttpEvent, HttpResult } from './http-response';
import { outboundSourceOf } from './lambda-outbound';
import { dynamoClient, lambdaEntry, logger } from './lambda-runtime';
import { secretListOf } from './lambda-secrets';

export interface UnsubscribeDeps {
  readonly stores: Pick<Stores, 'candidates'>;
  readonly settings: RuleSettings;
  /** Every accepted unsubscribe secret (several during a rotation). */
  readonly unsubscribeSecrets: () => Promise<readonly string[]>;
  readonly clock: Clock;
  readonly log?: Pick<typeof logger, 'info'>;
  /** Told of each unsubscribe (`candidate.unsubscribed`, SPEC §8) when outbound webhooks are on. */
  readonly outbound?: OutboundEvents;
}

/**
 * Response headers for every unsubscribe page: no scripts, no framing, no caching, and no
 * `Referer` that would leak the token to another site.
 *
 * @example
 * UNSUBSCRIBE_PAGE_HEADERS['cache-control']; // 'no-store'
 */
export const UNSUBSCRIBE_PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
});

const page = (statusCode: number, body: string): HttpResult => ({
  statusCode,
  headers: { ...UNSUBSCRIBE_PAGE_HEADERS },
  body,
});

/**
 * The candidate's locale, for the pages' language (SPEC §4): one consistent read, following a
 * merge to the account it led to. `undefined` (English pages) when none is known or the read
 * fails: the page must never fail for want of a language.
 */
const localeOf = async (
  candidates: Stores['candidates'],
  candidateId: string,
): Promise<string | undefined> => {
  try {
    let id: string | undefined = candidateId;
    for (let hop = 0; id !== undefined && hop < 4; hop += 1) {
      const state: CandidateState | undefined = (await candidates.load(id))?.state;
      if (state === undefined || state.erasedAt !== undefined) return undefined;
      if (state.mergedInto === undefined) return profileOf(state).locale;
      id = state.mergedInto;
    }
  } catch {
    // Unknown language: the English pages.
  }
  return undefined;
};

/**
 * `GET /unsubscribe?token=…` shows a confirmation form and changes nothing; `POST` (RFC 8058
 * one-click from a mail client, or the form) unsubscribes the candidate the token was signed for.
 * A forged or altered token gets a 400 page and changes nothing. Other paths and methods are
 * answered by the dispatch of the route table (`functions/http/routes.ts`).
 *
 * @example
 * const unsubscribe = makeUnsubscribe({ stores, settings, clock, unsubscribeSecrets: async () => [secret] });
 */
export const makeUnsubscribe = (deps: UnsubscribeDeps): Handler => {
  const answer =
    (unsubscribes: boolean) =>
    async (event: HttpEvent): Promise<HttpResult> => {
      const token = new URLSearchParams(event.rawQueryString ?? '').get('token') ?? '';
      const candidateId = verifyUnsubscribeToken(token, await deps.unsubscribeSecrets());
      if (candidateId === undefined) return page(400, renderInvalidLinkPage());
      const locale = await localeOf(deps.stores.candidates, candidateId);
      if (!unsubscribes) return page(200, renderUnsubscribeConfirmPage({ token, locale }));
      const unsubscribed = await unsubscribeCandidate(
        { candidates: deps.stores.candidates, settings: deps.settings, clock: deps.clock },
        candidateId,
      );
      if (unsubscribed !== undefined) {
        deps.log?.info('candidate unsubscribed', { candidateId: unsubscribed.candidateId });
        // The first opt-out's instant: a second click reports the same event (same webhook-id).
        await publishOutbound(deps.outbound, [candidateUnsubscribed(unsubscribed)]);
      }
      return page(200, renderUnsubscribedPage({ locale }));
    };
  return dispatch(ROUTES, { showUnsubscribePage: answer(false), unsubscribe: answer(true) });
};

/** The unsubscribe function's composition root, for Lambda and the local stack alike. */
export const buildUnsubscribeDeps = (
  config: RuntimeConfig,
  sources: Sources & {
    readonly unsubscribeSecrets: () => Promise<readonly string[]>;
    readonly log?: UnsubscribeDeps['log'];
    readonly outbound?: OutboundEvents;
  },
): UnsubscribeDeps => ({
  ...sharedDeps(config, sources),
  unsubscribeSecrets: sources.unsubscribeSecrets,
  ...(sources.log ? { log: sources.log } : {}),
  ...(sources.outbound ? { outbound: sources.outbound } : {}),
});

/** The Lambda entry point behind API Gateway's `/unsubscribe` routes. */
export const handler = lambdaEntry((config) =>
  makeUnsubscribe(
    buildUnsubscribeDeps(config, {
      dynamodb: dynamoClient(),
      unsubscribeSecrets: secretListOf(config.unsubscribeSecret, 'UNSUBSCRIBE_SECRET'),
      log: logger,
      ...outboundSourceOf(config),
    }),
  ),
);
