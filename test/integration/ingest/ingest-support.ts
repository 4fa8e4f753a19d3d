import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { storedCandidates } from '../../../bin/cli/open-store';
import { signWebhook } from '../../../functions/adapters/webhook-signature';
import { createEventFold } from '../../../functions/domain/event-fold';
import { createEventValidator } from '../../../functions/domain/event-schemas';
import type { HttpEvent, HttpResult } from '../../../functions/handlers/http-response';
import { forecast } from '../../../functions/use-cases/forecast';
import { httpEvent, postEvent, type TestApp, WEBHOOK_SECRET } from '../support/harness';

/** Helpers shared by the ingest integration tests (not a test file itself). */

/** The result of a handler call with its JSON body parsed (`undefined` when it is not JSON). */
export type ParsedResult = HttpResult & { readonly json: Record<string, unknown> | undefined };

export const parse = (result: HttpResult): ParsedResult => {
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(result.body) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { ...result, json };
};

/** A `POST /v1/events` request signed with `secret` (or with the headers given replacing them). */
export const signedPost = (
  body: string,
  options: {
    readonly secret?: string;
    readonly id?: string;
    readonly at?: Date;
    readonly contentType?: string | undefined;
    readonly headers?: Record<string, string>;
    readonly omit?: readonly string[];
  } = {},
): HttpEvent => {
  const signed = signWebhook(
    options.secret ?? WEBHOOK_SECRET,
    options.id ?? `msg_${randomUUID()}`,
    options.at ?? new Date(),
    body,
  );
  const headers: Record<string, string> = {
    ...('contentType' in options
      ? options.contentType === undefined
        ? {}
        : { 'content-type': options.contentType }
      : { 'content-type': 'application/json' }),
    ...signed,
    ...options.headers,
  };
  for (const name of options.omit ?? []) delete headers[name];
  return httpEvent('POST', '/v1/events', { body, headers });
};

/** Sends a request to the ingest handler and parses the answer. */
export const send = async (testApp: TestApp, event: HttpEvent): Promise<ParsedResult> =>
  parse(await testApp.app.ingest(event));

/** Asserts the SPEC §3 error shape: exactly `error` and `message` (plus the keys named). */
export const errorKeys = (extra: readonly string[] = []) => ['error', 'message', ...extra].sort();

/** A `candidate.updated` event. */
export const updateEvent = (
  candidateId: string,
  timestamp: string,
  fields: Record<string, string | null>,
) => ({
  type: 'candidate.updated',
  timestamp,
  data: { candidateId, ...fields },
});

export const erasedEvent = (candidateId: string, timestamp: string) => ({
  type: 'candidate.erased',
  timestamp,
  data: { candidateId },
});

export const mergedEvent = (fromCandidateId: string, toCandidateId: string, timestamp: string) => ({
  type: 'account.merged',
  timestamp,
  data: { fromCandidateId, toCandidateId },
});

/** All orderings of a short list. */
export const permutations = <T>(list: readonly T[]): T[][] =>
  list.length <= 1
    ? [list.slice()]
    : list.flatMap((item, index) =>
        permutations([...list.slice(0, index), ...list.slice(index + 1)]).map((rest) => [
          item,
          ...rest,
        ]),
      );

/** Forecast entries without the candidate id, to compare candidates that differ only by id. */
export const withoutCandidate = <T extends { candidateId: string }>(entries: readonly T[]) =>
  entries.map(({ candidateId: _id, ...rest }) => rest);

/** A wide forecast window around the test data. */
export const WIDE_RANGE = { from: '2020-01-01', to: '2031-12-31' } as const;

/** The pure reference: folds events in memory (no store) the way `forecast --input` does. */
export const foldEvents = (events: readonly unknown[]) => {
  const validate = createEventValidator(() => new Date());
  const fold = createEventFold();
  for (const event of events) {
    const validation = validate(event);
    if (!validation.ok) throw new Error(`invalid test event: ${JSON.stringify(validation.issues)}`);
    fold.apply(validation.event);
  }
  return fold;
};

/** Posts one event through the signed webhook (under `id` when given). */
export const post = (testApp: TestApp, event: unknown, id?: string) =>
  postEvent(testApp.app, event, id === undefined ? {} : { id });

/** Posts events one after the other, each of which must be answered 202. */
export const postAll = async (testApp: TestApp, events: readonly unknown[]) => {
  for (const event of events) {
    const result = await post(testApp, event);
    expect(result.statusCode, JSON.stringify(result.json)).toBe(202);
  }
};

/** The forecast of one candidate (after merges) read back from the store. */
export const storeForecast = async (testApp: TestApp, candidateId: string) =>
  forecast(await storedCandidates(testApp.app, candidateId), testApp.settings, {
    ...WIDE_RANGE,
    candidateId,
  });

/** The forecast of one candidate computed purely from the events, without any store. */
export const pureForecast = (events: readonly unknown[], candidateId: string, testApp: TestApp) =>
  forecast(foldEvents(events).candidates(), testApp.settings, { ...WIDE_RANGE, candidateId });
