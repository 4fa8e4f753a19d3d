import { escapeHtml } from './escape';
import { htmlDocumentStart } from './html-document';
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
}

export interface UnsubscribeConfirmPageOptions extends UnsubscribePageOptions {
  /** The token from the link; the form posts it back in the query string. */
  readonly token: string;
}

/** The pages' words, kept together so a catalogue per language can replace them. */
const PAGE_COPY = {
  language: 'en',
  confirm: {
    title: 'Unsubscribe from certification reminders?',
    consequence:
      'You will no longer receive emails telling you when you can renew or retake an exam, or when a credential is about to expire.',
    unaffected: 'Your certifications and exam results are not affected.',
    button: 'Unsubscribe',
  },
  unsubscribed: {
    title: 'You are unsubscribed',
    done: 'You will not receive any more certification reminders from us.',
    note: 'Your certifications and exam results are not affected. You can close this page.',
  },
  invalidLink: {
    title: 'This link is not valid',
    unchanged:
      'This unsubscribe link is incomplete or has been altered, so your settings were not changed.',
    advice:
      'Open the link again from the most recent reminder email, copying the whole address if you paste it into your browser.',
  },
} as const;

const { ink, muted } = COLOURS;

const paragraph = (text: string): string =>
  `<p style="${FONTS.sans}margin:0 0 16px;font-size:16px;line-height:26px;color:${ink};">${escapeHtml(text)}</p>`;

const note = (text: string): string =>
  `<p style="${FONTS.sans}margin:0;font-size:14px;line-height:22px;color:${muted};">${escapeHtml(text)}</p>`;

const page = (title: string, body: string, options: UnsubscribePageOptions): string => {
  const programme = programmeNameOf(options.programmeName);
  return `${htmlDocumentStart({
    language: PAGE_COPY.language,
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
 */
export const renderUnsubscribeConfirmPage = (options: UnsubscribeConfirmPageOptions): string => {
  const copy = PAGE_COPY.confirm;
  const action = `?${new URLSearchParams({ token: options.token })}`;
  return page(
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
  const copy = PAGE_COPY.unsubscribed;
  return page(copy.title, `${paragraph(copy.done)}\n${note(copy.note)}`, options);
};

/**
 * The page shown when an unsubscribe link does not verify: forged, altered or cut short.
 * It says nothing about any candidate.
 *
 * @example
 * renderInvalidLinkPage(); // '<!DOCTYPE html>…This link is not valid…'
 */
export const renderInvalidLinkPage = (options: UnsubscribePageOptions = {}): string => {
  const copy = PAGE_COPY.invalidLink;
  return page(copy.title, `${paragraph(copy.unchanged)}\n${note(copy.advice)}`, options);
};
