import { escapeHtml } from './escape';

/**
 * The opening of every HTML document we write (an email, an unsubscribe page): doctype, language,
 * character set, viewport, extra `<meta>` lines, the escaped title and any `<style>`, up to and
 * including `</head>`.
 *
 * @example
 * htmlDocumentStart({ language: 'en', title: 'Unsubscribe', meta: { robots: 'noindex' } });
 */
export const htmlDocumentStart = (options: {
  readonly language: string;
  readonly title: string;
  readonly meta?: Readonly<Record<string, string>>;
  readonly style?: string;
}): string =>
  [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(options.language)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ...Object.entries(options.meta ?? {}).map(
      ([name, content]) => `<meta name="${escapeHtml(name)}" content="${escapeHtml(content)}">`,
    ),
    `<title>${escapeHtml(options.title)}</title>`,
    ...(options.style === undefined ? [] : [`<style>${options.style}</style>`]),
    '</head>',
  ].join('\n');
