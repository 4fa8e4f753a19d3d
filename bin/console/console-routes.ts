import { isCalendarDate, localDateOf } from '../../functions/domain/calendar';
import type { ConsoleReader } from './console-data';
import { CONSOLE_CSS } from './console-style';
import { type Html, html, toHtmlString } from './html';
import { type PageContext, page } from './layout';
import { candidatePage } from './pages/candidate-page';
import { overviewPage, scanProgressPage } from './pages/overview-page';
import { runsPage } from './pages/runs-page';

/** A request as the console sees it, whatever server carried it. */
export interface ConsoleRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
}

export interface ConsoleResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The pages' policy: nothing but the console's own styles and frames, and no script at all. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'";

/** The email preview's policy: the email's own inline styles, nothing that runs or loads. */
export const PREVIEW_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'self'; base-uri 'none'; sandbox";

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'SAMEORIGIN',
  'cache-control': 'no-store',
};

const ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;

const respond = (
  status: number,
  body: string,
  type = 'text/html; charset=utf-8',
  csp = PAGE_CSP,
  extra: Record<string, string> = {},
): ConsoleResponse => ({
  status,
  headers: { 'content-type': type, 'content-security-policy': csp, ...SECURITY_HEADERS, ...extra },
  body,
});

const htmlPage = (status: number, markup: Html) => respond(status, toHtmlString(markup));

const messagePage = (context: PageContext, status: number, title: string, text: string) =>
  htmlPage(status, page(context, { title, body: html`<h1>${title}</h1><p>${text}</p>` }));

export interface ConsoleRoutesOptions {
  readonly reader: ConsoleReader;
  /** What the pages say they read, e.g. "table cert-reminders on AWS". */
  readonly target: string;
  /** Where the pages are mounted: `['', '/console']` for `reminders console`, `['/console']` in `dev`. */
  readonly mounts: readonly string[];
  readonly segments: number;
  readonly cacheSeconds: number;
  readonly now: () => Date;
  /** Told of failures behind a 503 page (their message is shown, never a stack). */
  readonly onError?: (error: unknown) => void;
}

/**
 * The console's routes: `/` (overview), `/candidate?id=&date=`, `/runs`, `/preview?id=&date=`
 * (the email's HTML, for the candidate page's iframe) and `/style.css`, under each mount. Only
 * GET and HEAD: anything else is a 405, since the console only reads. Answers `undefined` for a
 * path outside every mount.
 *
 * @example
 * const handle = consoleRoutes({ reader, target: 'local table', mounts: ['', '/console'], segments: 4, cacheSeconds: 60, now: () => new Date() });
 * const response = await handle({ method: 'GET', path: '/console/runs', query: new URLSearchParams() });
 */
export const consoleRoutes = (options: ConsoleRoutesOptions) => {
  const mounts = [...options.mounts].sort((a, b) => b.length - a.length);
  const { reader } = options;

  const route = async (context: PageContext, path: string, query: URLSearchParams) => {
    if (path === '/style.css')
      return respond(200, CONSOLE_CSS, 'text/css; charset=utf-8', PAGE_CSP, {
        'cache-control': 'max-age=300',
      });
    // `?fresh=1` reads the table again rather than the Scan kept from the last minute.
    if (query.get('fresh') && (path === '/' || path === '' || path === '/runs')) reader.forget();
    if (path === '/' || path === '') {
      const state = await reader.overview();
      if ('error' in state) throw state.error;
      if ('progress' in state)
        return htmlPage(
          200,
          scanProgressPage(context, state.progress, options.segments, 'Overview'),
        );
      return htmlPage(200, overviewPage(context, state.overview, options.cacheSeconds));
    }
    if (path === '/runs') {
      const state = await reader.runs();
      if ('error' in state) throw state.error;
      if ('progress' in state)
        return htmlPage(200, scanProgressPage(context, state.progress, options.segments, 'Runs'));
      return htmlPage(
        200,
        runsPage(context, state.runs, snapshotNote(state.snapshot), options.cacheSeconds),
      );
    }
    const today = localDateOf(options.now().toISOString(), 'UTC');
    const id = (query.get('id') ?? '').trim();
    const date = query.get('date') || today;
    if (path === '/candidate') {
      if (id === '') return htmlPage(200, candidatePage(context, { id, date }));
      const problem = !ID_PATTERN.test(id)
        ? 'A candidate id is 1 to 128 letters, digits or . _ : @ -'
        : !isCalendarDate(date)
          ? 'The run date must be a date, YYYY-MM-DD.'
          : undefined;
      if (problem) return htmlPage(400, candidatePage(context, { id, date, problem }));
      const lookup = await reader.candidate(id);
      const preview =
        lookup.found === 'yes'
          ? await reader.preview(lookup.timeline.candidateId, `${date}T13:00:00Z`)
          : undefined;
      return htmlPage(
        lookup.found === 'yes' ? 200 : 404,
        candidatePage(context, { id, date, lookup, ...(preview ? { preview } : {}) }),
      );
    }
    if (path === '/preview') {
      if (!ID_PATTERN.test(id) || !isCalendarDate(date))
        return messagePage(context, 400, 'No preview', 'Give a candidate id and a date.');
      const { candidateId, erased } = await reader
        .candidate(id)
        .then((lookup) =>
          lookup.found === 'yes'
            ? { candidateId: lookup.timeline.candidateId, erased: false }
            : { candidateId: undefined, erased: true },
        );
      if (erased || candidateId === undefined)
        return messagePage(context, 404, 'No preview', 'No such candidate.');
      const preview = await reader.preview(candidateId, `${date}T13:00:00Z`);
      if (!preview.message)
        return respond(
          200,
          toHtmlString(
            html`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>No email</title></head><body><p>A run on ${date} at 13:00 UTC would send nothing.</p></body></html>`,
          ),
          'text/html; charset=utf-8',
          PREVIEW_CSP,
        );
      return respond(200, preview.message.html, 'text/html; charset=utf-8', PREVIEW_CSP);
    }
    return messagePage(context, 404, 'Not found', 'There is no such console page.');
  };

  return async (request: ConsoleRequest): Promise<ConsoleResponse | undefined> => {
    const mount = mounts.find(
      (prefix) => prefix === '' || request.path === prefix || request.path.startsWith(`${prefix}/`),
    );
    if (mount === undefined) return undefined;
    const context: PageContext = { base: mount, target: options.target };
    const method = request.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') {
      const refused = messagePage(
        context,
        405,
        'Read-only',
        'The console only reads: it answers GET and HEAD.',
      );
      return { ...refused, headers: { ...refused.headers, allow: 'GET, HEAD' } };
    }
    let response: ConsoleResponse;
    try {
      response = await route(context, request.path.slice(mount.length) || '/', request.query);
    } catch (error) {
      options.onError?.(error);
      response = messagePage(
        context,
        503,
        'The table could not be read',
        (error as Error).message?.split('\n')[0] ?? 'unexpected failure',
      );
    }
    return method === 'HEAD' ? { ...response, body: '' } : response;
  };
};

const snapshotNote = (snapshot: {
  readonly items: number;
  readonly segments: number;
  readonly readAt: string;
  readonly tookMs: number;
}) => ({
  items: snapshot.items,
  segments: snapshot.segments,
  readAt: snapshot.readAt,
  tookMs: snapshot.tookMs,
});

export type ConsoleRoutes = ReturnType<typeof consoleRoutes>;
