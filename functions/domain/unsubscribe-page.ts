import { DEFAULT_PROGRAMME_NAME, escapeHtml, singleLine } from './reminder-email';

/**
 * The HTML pages behind the unsubscribe link (SPEC §3): the confirmation form that `GET` shows,
 * the page after unsubscribing, and the page for a link that does not verify. Pure: the handler
 * picks the page and the status code and sends {@link UNSUBSCRIBE_PAGE_HEADERS} with it.
 */

export interface UnsubscribePageOptions {
  /** Shown in the page header; defaults to {@link DEFAULT_PROGRAMME_NAME}. */
  readonly programmeName?: string;
}

export interface UnsubscribeConfirmPageOptions extends UnsubscribePageOptions {
  /** The token from the link; the form posts it back in the query string. */
  readonly token: string;
}

/**
 * Response headers for every unsubscribe page: no scripts, no framing, no caching, and no
 * `Referer` that would leak the token to another site.
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

const FONT = "font-family:'Helvetica Neue',Helvetica,Arial,sans-serif;";
const SERIF = "font-family:Georgia,'Times New Roman',Times,serif;";
const INK = '#1c2733';
const MUTED = '#52606d';

const paragraph = (text: string): string =>
  `<p style="${FONT}margin:0 0 16px;font-size:16px;line-height:26px;color:${INK};">${escapeHtml(text)}</p>`;

const page = (title: string, body: string, options: UnsubscribePageOptions): string => {
  const programme = singleLine(options.programmeName ?? '') || DEFAULT_PROGRAMME_NAME;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · ${escapeHtml(programme)}</title>
</head>
<body style="margin:0;padding:0;background-color:#eef1f4;">
<main style="max-width:560px;margin:48px auto;padding:0 16px;">
<div style="background-color:#ffffff;border:1px solid #d9dee5;border-radius:6px;overflow:hidden;">
<div style="background-color:#13294b;border-bottom:3px solid #c9a227;padding:20px 32px;">
<p style="${SERIF}margin:0;font-size:20px;line-height:28px;color:#ffffff;">${escapeHtml(programme)}</p>
</div>
<div style="padding:32px;">
<h1 style="${SERIF}margin:0 0 16px;font-size:24px;line-height:32px;font-weight:normal;color:${INK};">${escapeHtml(title)}</h1>
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
  const action = `?${new URLSearchParams({ token: options.token })}`;
  return page(
    'Unsubscribe from certification reminders?',
    `${paragraph('You will no longer receive emails telling you when you can renew or retake an exam, or when a credential is about to expire.')}
${paragraph('Your certifications and exam results are not affected.')}
<form method="post" action="${escapeHtml(action)}" style="margin:24px 0 0;">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" style="${FONT}font-size:16px;line-height:24px;font-weight:600;color:#ffffff;background-color:#13294b;border:0;border-radius:4px;padding:12px 24px;cursor:pointer;">Unsubscribe</button>
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
export const renderUnsubscribedPage = (options: UnsubscribePageOptions = {}): string =>
  page(
    'You are unsubscribed',
    `${paragraph('You will not receive any more certification reminders from us.')}
<p style="${FONT}margin:0;font-size:14px;line-height:22px;color:${MUTED};">Your certifications and exam results are not affected. You can close this page.</p>`,
    options,
  );

/**
 * The page shown when an unsubscribe link does not verify: forged, altered or cut short.
 * It says nothing about any candidate.
 *
 * @example
 * renderInvalidLinkPage(); // '<!DOCTYPE html>…This link is not valid…'
 */
export const renderInvalidLinkPage = (options: UnsubscribePageOptions = {}): string =>
  page(
    'This link is not valid',
    `${paragraph('This unsubscribe link is incomplete or has been altered, so your settings were not changed.')}
<p style="${FONT}margin:0;font-size:14px;line-height:22px;color:${MUTED};">Open the link again from the most recent reminder email, copying the whole address if you paste it into your browser.</p>`,
    options,
  );
