import { escapeHtml } from './escape';
import { htmlDocumentStart } from './html-document';
import { COLOURS, FONTS, KIND_COLOURS, SPACING } from './style-tokens';
import type { EmailWording, KeyDate, ReminderWording } from './wording';

/**
 * The HTML part of the reminder email: a 600-pixel table layout with inline styles, as mail
 * clients need, one card per reminder. Every string it is given is escaped here; it adds no words
 * of its own, so it serves every language. The look comes from `style-tokens.ts`.
 */

const { ink, muted, rule } = COLOURS;
const gutter = SPACING.emailGutter;

/** Keeps each escaped "(YYYY-MM-DD)" (or "（YYYY-MM-DD）") on one line; it matches digits only. */
const keepIsoDatesWhole = (escaped: string): string =>
  escaped.replace(/[(（]\d{4}-\d{2}-\d{2}[)）]/g, '<span style="white-space:nowrap;">$&</span>');

const keyDateRow = (label: string, value: string): string => `<tr>
<td style="${FONTS.sans}padding:6px 16px 6px 0;font-size:13px;line-height:20px;color:${muted};white-space:nowrap;vertical-align:top;width:104px;">${escapeHtml(label)}</td>
<td style="${FONTS.sans}padding:6px 0;font-size:14px;line-height:20px;color:${ink};vertical-align:top;">${value}</td>
</tr>`;

const keyDatesHtml = (
  keyDates: readonly KeyDate[],
  wording: EmailWording,
  daysLeft: number | undefined,
): string => {
  const rows = keyDates.map(({ label, date, words }) =>
    keyDateRow(
      label,
      `<strong lang="${escapeHtml(wording.dateLocale)}" style="font-weight:600;">${escapeHtml(words)}</strong> <span style="color:${muted};white-space:nowrap;">${escapeHtml(date)}</span>`,
    ),
  );
  if (daysLeft !== undefined) {
    rows.push(
      keyDateRow(wording.daysLeftLabel, `<strong style="font-weight:600;">${daysLeft}</strong>`),
    );
  }
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="border-collapse:collapse;border-top:1px solid ${rule};margin-top:16px;">
${rows.join('\n')}
</table>`;
};

const cardHtml = (reminder: ReminderWording, wording: EmailWording): string => {
  const colours = KIND_COLOURS[reminder.kind];
  const sentences = reminder.sentences
    .map(
      (sentence) =>
        `<p style="${FONTS.sans}margin:0 0 10px;font-size:15px;line-height:24px;color:${ink};">${keepIsoDatesWhole(escapeHtml(sentence))}</p>`,
    )
    .join('\n');
  return `<tr>
<td class="gutter" style="padding:0 ${gutter} 20px;">
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="border-collapse:separate;border:1px solid ${rule};border-left:4px solid ${colours.accent};border-radius:${SPACING.cardRadius};background-color:${COLOURS.surface};">
<tr>
<td class="card" style="padding:${SPACING.cardPadding};">
<p style="${FONTS.sans}margin:0 0 6px;font-size:12px;line-height:16px;font-weight:700;letter-spacing:0.08em;text-transform:uppercase;color:${colours.status};">${escapeHtml(reminder.status)}</p>
<h2 style="${FONTS.serif}margin:0 0 12px;font-size:19px;line-height:26px;font-weight:normal;color:${ink};">${escapeHtml(reminder.credentialName)}</h2>
${sentences}
${keyDatesHtml(reminder.keyDates, wording, reminder.daysLeft)}
<p style="${FONTS.sans}margin:12px 0 0;font-size:12px;line-height:18px;color:${muted};">${escapeHtml(wording.credentialIdLabel)}${escapeHtml(wording.labelSeparator)}<span style="${FONTS.mono}">${escapeHtml(reminder.credentialId)}</span></p>
</td>
</tr>
</table>
</td>
</tr>`;
};

const footerParagraph = (html: string): string =>
  `<p style="${FONTS.sans}margin:0 0 10px;font-size:12px;line-height:18px;color:${muted};">${html}</p>`;

const footerHtml = (wording: EmailWording): string => {
  const { before, link, after } = wording.unsubscribeHtml;
  const paragraphs = [footerParagraph(escapeHtml(wording.reason))];
  if (wording.guardianNote !== undefined) {
    paragraphs.push(footerParagraph(escapeHtml(wording.guardianNote)));
  }
  paragraphs.push(
    footerParagraph(
      `${escapeHtml(before)}<a href="${escapeHtml(wording.unsubscribeUrl)}" style="color:${ink};text-decoration:underline;">${escapeHtml(link)}</a>${escapeHtml(after)}`,
    ),
  );
  return paragraphs.join('\n');
};

/**
 * Lays out the HTML part: a hidden preheader, the programme's header band, the subject as the
 * heading, greeting and introduction, one card per reminder (status, credential, sentences, key
 * dates, credential id), the sign-off and the footer with the unsubscribe link.
 *
 * @example
 * const html = renderHtmlLayout(wordEmail(input, { catalogue: en, dates }));
 * // '<!DOCTYPE html>\n<html lang="en">…'
 */
export const renderHtmlLayout = (wording: EmailWording): string => {
  const preheader = wording.reminders
    .map((reminder) => `${reminder.credentialName}${wording.labelSeparator}${reminder.status}`)
    .join(' · ');
  return `${htmlDocumentStart({
    language: wording.language,
    title: wording.subject,
    meta: { 'color-scheme': 'light', 'supported-color-schemes': 'light' },
    style: `
@media only screen and (max-width: ${SPACING.emailBreakpoint}) {
  .page { padding: 12px 6px !important; }
  .gutter { padding-left: ${SPACING.emailGutterNarrow} !important; padding-right: ${SPACING.emailGutterNarrow} !important; }
  .card { padding: ${SPACING.cardPaddingNarrow} !important; }
}
`,
  })}
<body style="margin:0;padding:0;background-color:${COLOURS.canvas};">
<div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;">${escapeHtml(preheader)}</div>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="border-collapse:collapse;background-color:${COLOURS.canvas};">
<tr>
<td class="page" align="center" style="padding:32px 12px;">
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="${SPACING.emailWidth}" style="border-collapse:separate;width:100%;max-width:${SPACING.emailWidth}px;background-color:${COLOURS.surface};border:1px solid ${rule};border-radius:${SPACING.boxRadius};">
<tr>
<td class="gutter" style="background-color:${COLOURS.brand};border-radius:${SPACING.boxInnerRadius} ${SPACING.boxInnerRadius} 0 0;padding:24px ${gutter};border-bottom:3px solid ${COLOURS.brandAccent};">
<p style="${FONTS.sans}margin:0;font-size:11px;line-height:16px;font-weight:700;letter-spacing:0.14em;text-transform:uppercase;color:${COLOURS.brandMuted};">${escapeHtml(wording.eyebrow)}</p>
<p style="${FONTS.serif}margin:4px 0 0;font-size:22px;line-height:30px;color:${COLOURS.onBrand};">${escapeHtml(wording.programme)}</p>
</td>
</tr>
<tr>
<td class="gutter" style="padding:32px ${gutter} 8px;">
<h1 style="${FONTS.serif}margin:0 0 20px;font-size:24px;line-height:32px;font-weight:normal;color:${ink};">${escapeHtml(wording.subject)}</h1>
<p style="${FONTS.sans}margin:0 0 12px;font-size:15px;line-height:24px;color:${ink};">${escapeHtml(wording.greeting)}</p>
<p style="${FONTS.sans}margin:0 0 24px;font-size:15px;line-height:24px;color:${ink};">${escapeHtml(wording.intro)}</p>
</td>
</tr>
${wording.reminders.map((reminder) => cardHtml(reminder, wording)).join('\n')}
<tr>
<td class="gutter" style="padding:8px ${gutter} 32px;">
<p style="${FONTS.sans}margin:0;font-size:15px;line-height:24px;color:${ink};">${escapeHtml(wording.signOff)}<br>${escapeHtml(wording.programme)}</p>
</td>
</tr>
<tr>
<td class="gutter" style="background-color:${COLOURS.footer};border-top:1px solid ${rule};border-radius:0 0 ${SPACING.boxInnerRadius} ${SPACING.boxInnerRadius};padding:20px ${gutter} 14px;">
${footerHtml(wording)}
</td>
</tr>
</table>
</td>
</tr>
</table>
</body>
</html>
`;
};
