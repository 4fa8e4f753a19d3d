import { escapeHtml } from './escape';
import { htmlDocumentStart } from './html-document';
import { lookUpLocale } from './locale';
import * as de from './messages/de.json';
import * as en from './messages/en.json';
import * as es from './messages/es.json';
import * as fr from './messages/fr.json';
import * as ja from './messages/ja.json';
import * as ptBR from './messages/pt-BR.json';
import { programmeNameOf } from './programme';
import { COLOURS, FONTS, SPACING } from './style-tokens';

/**
 * The HTML pages behind the unsubscribe link (SPEC §3): the confirmation form that `GET` shows,
 * the page after unsubscribing, and the page for a link that does not verify. Pure: the handler
 * picks the page and the status code and owns the HTTP headers sent with it.
 */

export interface UnsubscribePageOptions {
  /** Shown in the page header; defaults to `DEFAULT_PROGRAMME_NAME`. */
  readonly programmeName?: string;
  /** The candidate's locale, when known: the page's language, as the email's (SPEC §4). */
  readonly locale?: string;
}

export interface UnsubscribeConfirmPageOptions extends UnsubscribePageOptions {
  /** The token from the link; the form posts it back in the query string. */
  readonly token: string;
}

/** The pages' words in one language, from the `unsubscribePage` part of its message file. */
type PageCopy = typeof en.unsubscribePage & { readonly language: string };

/**
 * The pages' copy by BCP 47 tag, looked up like the email's catalogues (`pt-PT` → `pt-BR`,
 * `de-AT` → `de`, then English). The texts are plain ICU literals, without placeholders.
 */
const PAGE_COPIES: Readonly<Record<string, PageCopy>> = (() => {
  const brazilian = { language: ptBR.language, ...ptBR.unsubscribePage };
  return {
    en: { language: en.language, ...en.unsubscribePage },
    de: { language: de.language, ...de.unsubscribePage },
    fr: { language: fr.language, ...fr.unsubscribePage },
    es: { language: es.language, ...es.unsubscribePage },
    'pt-BR': brazilian,
    pt: brazilian,
    ja: { language: ja.language, ...ja.unsubscribePage },
  };
})();

const copyFor = (locale: string | undefined): PageCopy =>
  lookUpLocale(locale, PAGE_COPIES, PAGE_COPIES.en as PageCopy);

const { ink, muted } = COLOURS;

const paragraph = (text: string): string =>
  `<p style="${FONTS.sans}margin:0 0 16px;font-size:16px;line-height:26px;color:${ink};">${escapeHtml(text)}</p>`;

const note = (text: string): string =>
  `<p style="${FONTS.sans}margin:0;font-size:14px;line-height:22px;color:${muted};">${escapeHtml(text)}</p>`;

const page = (
  language: string,
  title: string,
  body: string,
  options: UnsubscribePageOptions,
): string => {
  const programme = programmeNameOf(options.programmeName);
  return `${htmlDocumentStart({
    language,
    title: `${title} · ${programme}`,
    meta: { robots: 'noindex, nofollow', referrer: 'no-referrer' },
  })}
<body style="margin:0;padding:0;background-color:${COLOURS.canvas};">
<main style="max-width:${SPACING.pageWidth};margin:48px auto;padding:0 16px;">
<div style="background-color:${COLOURS.surface};border:1px solid ${COLOURS.rule};border-radius:${SPACING.boxRadius};overflow:hidden;">
<div style="background-color:${COLOURS.brand};border-bottom:3px solid ${COLOURS.brandAccent};padding:${SPACING.pageHeaderPadding};">
<p style="${FONTS.serif}margin:0;font-size:20px;line-height:28px;color:${COLOURS.onBrand};">${escapeHtml(programme)}</p>
</div>
<div style="padding:${SPACING.pagePadding};">
<h1 style="${FONTS.serif}margin:0 0 16px;font-size:24px;line-height:32px;font-weight:normal;color:${ink};">${escapeHtml(title)}</h1>
${body}
</div>
</div>
</main>
</body>
</html>
`;
};

/**
 * The page `GET /unsubscribe?token=…` shows: it explains what unsubscribing does and asks for
 * confirmation. Showing it changes nothing; its form POSTs back to the same path with the token
 * in the query string and the RFC 8058 body `List-Unsubscribe=One-Click`, so the handler treats
 * a click on the button exactly like a one-click unsubscribe from the mail client.
 *
 * @example
 * renderUnsubscribeConfirmPage({ token: 'v1.Y2FuZC00Mg.sig', programmeName: 'Cloud Skills' });
 * // '<!DOCTYPE html>…<form method="post" action="?token=v1.Y2FuZC00Mg.sig">…'
 * renderUnsubscribeConfirmPage({ token, locale: 'de-AT' }); // '…<html lang="de">…Abmelden…'
 */
export const renderUnsubscribeConfirmPage = (options: UnsubscribeConfirmPageOptions): string => {
  const { language, confirm: copy } = copyFor(options.locale);
  const action = `?${new URLSearchParams({ token: options.token })}`;
  return page(
    language,
    copy.title,
    `${paragraph(copy.consequence)}
${paragraph(copy.unaffected)}
<form method="post" action="${escapeHtml(action)}" style="margin:24px 0 0;">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" style="${FONTS.sans}font-size:16px;line-height:24px;font-weight:600;color:${COLOURS.onBrand};background-color:${COLOURS.brand};border:0;border-radius:${SPACING.buttonRadius};padding:12px 24px;cursor:pointer;">${escapeHtml(copy.button)}</button>
</form>`,
    options,
  );
};

/**
 * The page shown once a candidate is unsubscribed.
 *
 * @example
 * renderUnsubscribedPage({ programmeName: 'Cloud Skills' }); // '<!DOCTYPE html>…You are unsubscribed…'
 */
export const renderUnsubscribedPage = (options: UnsubscribePageOptions = {}): string => {
  const { language, unsubscribed: copy } = copyFor(options.locale);
  return page(language, copy.title, `${paragraph(copy.done)}\n${note(copy.note)}`, options);
};

/**
 * The page shown when an unsubscribe link does not verify: forged, altered or cut short.
 * It says nothing about any candidate (so it is in English unless the caller knows better).
 *
 * @example
 * renderInvalidLinkPage(); // '<!DOCTYPE html>…This link is not valid…'
 */
export const renderInvalidLinkPage = (options: UnsubscribePageOptions = {}): string => {
  const { language, invalidLink: copy } = copyFor(options.locale);
  return page(language, copy.title, `${paragraph(copy.unchanged)}\n${note(copy.advice)}`, options);
};
