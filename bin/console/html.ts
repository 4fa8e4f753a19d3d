import { escapeHtml } from '../../functions/email/escape';

/**
 * A tiny typed HTML templating for the console: every interpolated value is escaped unless it is
 * itself {@link Html} (the result of another `html` template or of {@link trusted}). Arrays are
 * joined, `undefined`, `null` and `false` render nothing.
 */

const HTML = Symbol('html');

/** Markup known to be safe: built by {@link html} or {@link trusted}. */
export interface Html {
  readonly [HTML]: true;
  readonly value: string;
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const isHtml = (value: unknown): value is Html =>
  typeof value === 'object' && value !== null && HTML in value;

const render = (part: Part): string => {
  if (part === undefined || part === null || part === false) return '';
  if (isHtml(part)) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
};

/**
 * Markup that needs no escaping: our own constants, never candidate-supplied text.
 *
 * @example
 * trusted('<br>');
 */
export const trusted = (value: string): Html => ({ [HTML]: true, value });

/**
 * The template tag: literal parts as written, interpolations escaped.
 *
 * @example
 * html`<p>${'<script>'}</p>`.value; // '<p>&lt;script&gt;</p>'
 */
export const html = (strings: TemplateStringsArray, ...values: readonly Part[]): Html => {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return trusted(out);
};

/** The markup as a string, for a response body. */
export const toHtmlString = (markup: Html): string => markup.value;
