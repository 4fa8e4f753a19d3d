import type { ReminderKind } from '../domain/reminder-rules';

/**
 * The look of every HTML this module renders (the reminder email and the unsubscribe pages):
 * colours, fonts and spacing, as the inline-CSS fragments mail clients need. Change a value here
 * and every layout follows.
 */

/** Colours; text colours reach at least 4.5:1 on the background they are used on. */
export const COLOURS = Object.freeze({
  /** Body text and headings. */
  ink: '#1c2733',
  /** Secondary text: labels, footers, ISO dates. */
  muted: '#52606d',
  /** Hairlines and borders. */
  rule: '#d9dee5',
  /** Behind the page. */
  canvas: '#eef1f4',
  /** The page and the cards. */
  surface: '#ffffff',
  /** Behind the footer. */
  footer: '#f6f8fa',
  /** The programme's header band and the primary button. */
  brand: '#13294b',
  /** The line under the header band. */
  brandAccent: '#c9a227',
  /** Small text on the brand colour. */
  brandMuted: '#b8c7dc',
  /** Text on the brand colour. */
  onBrand: '#ffffff',
});

/** Accent colour (card border) and status colour (text, at least 4.5:1 on white) per kind. */
export const KIND_COLOURS: Readonly<
  Record<ReminderKind, { readonly accent: string; readonly status: string }>
> = Object.freeze({
  renewal_window_open: { accent: '#2e7d4f', status: '#1f6b40' },
  retake_available: { accent: '#2f6db5', status: '#1f5a9e' },
  expiring_soon: { accent: '#d08a1a', status: '#8a5300' },
  expired: { accent: '#c0392b', status: '#a12b1f' },
});

/** Font stacks, as complete `font-family` declarations to start a `style` attribute with. */
export const FONTS = Object.freeze({
  sans: "font-family:'Helvetica Neue',Helvetica,Arial,sans-serif;",
  serif: "font-family:Georgia,'Times New Roman',Times,serif;",
  mono: "font-family:Menlo,Consolas,'Courier New',monospace;",
});

/** Widths, gutters and corner radii. */
export const SPACING = Object.freeze({
  /** The email's content width, in pixels. */
  emailWidth: 600,
  /** Below this viewport width the email tightens its gutters. */
  emailBreakpoint: '620px',
  /** Left and right padding of every email section. */
  emailGutter: '40px',
  /** The same on a narrow screen. */
  emailGutterNarrow: '20px',
  /** Padding inside a reminder card, and on a narrow screen. */
  cardPadding: '20px 24px',
  cardPaddingNarrow: '16px',
  /** The unsubscribe pages' content width. */
  pageWidth: '560px',
  /** Padding of the unsubscribe pages' header band and body. */
  pageHeaderPadding: '20px 32px',
  pagePadding: '32px',
  /** Corner radii: the email or page box, a card, a button. */
  boxRadius: '6px',
  /** The radius of a band inside the box, one border width smaller. */
  boxInnerRadius: '5px',
  cardRadius: '4px',
  buttonRadius: '4px',
});
