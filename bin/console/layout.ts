import { type Html, html } from './html';

/** The pages of the console, as the navigation names them. */
export type ConsolePage = 'overview' | 'candidate' | 'runs';

const NAV: ReadonlyArray<{ page: ConsolePage; label: string; path: string }> = [
  { page: 'overview', label: 'Overview', path: '/' },
  { page: 'candidate', label: 'Candidate', path: '/candidate' },
  { page: 'runs', label: 'Runs', path: '/runs' },
];

/** Where the pages are served (`''` for `reminders console`'s root, `/console` in `dev`). */
export interface PageContext {
  readonly base: string;
  /** What the console reads, e.g. "local table cert-reminders". */
  readonly target: string;
}

/** A console path under the base. */
export const linkTo = (context: PageContext, path: string) =>
  `${context.base}${path === '/' && context.base !== '' ? '' : path}` || '/';

/**
 * The shell of every page: skip link, header with navigation, one `main` (holding the page's one
 * `h1`) and a footer that says the console only reads.
 *
 * @example
 * page(context, { page: 'runs', title: 'Runs', body: html`<h1>Runs</h1>` });
 */
export const page = (
  context: PageContext,
  options: {
    readonly page?: ConsolePage;
    readonly title: string;
    readonly body: Html;
    readonly head?: Html;
  },
): Html => html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${options.title} · cert-reminders console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${linkTo(context, '/style.css')}">
${options.head}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
<a class="brand" href="${linkTo(context, '/')}">cert-reminders console</a>
<nav aria-label="Console"><ul>${NAV.map(
  (item) =>
    html`<li><a href="${linkTo(context, item.path)}"${item.page === options.page ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
)}</ul></nav>
<span class="target">Reading ${context.target}</span>
</header>
<main id="main" tabindex="-1">
${options.body}
</main>
<footer class="site">
<p>Read-only: this console changes nothing and shows no secret. Served on 127.0.0.1 only.</p>
</footer>
</body>
</html>`;
