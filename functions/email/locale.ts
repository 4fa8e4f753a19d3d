import type { Catalogue } from './catalogue';
import { en } from './en';

/**
 * Which locale an email is written in. Two questions, answered apart:
 * - the locale dates are written in ({@link resolveLocale}): any locale `Intl` supports;
 * - the catalogue the copy comes from ({@link catalogueFor}): the candidate's locale, else its
 *   language, else English (SPEC §4: `de-AT` → `de`, then `en`).
 */

/** The locale dates are written in when a candidate has none, or one that `Intl` does not support. */
export const DEFAULT_LOCALE = 'en-GB';

/** The language of the copy when no catalogue matches the candidate's locale. */
export const FALLBACK_LANGUAGE = 'en';

/**
 * The catalogues an email can be written with, by BCP 47 tag. A tag that is only a language
 * (`pt`) names the catalogue that language falls back to (say `pt-BR`).
 */
export const CATALOGUES: Readonly<Record<string, Catalogue>> = Object.freeze({ en });

/**
 * The locale dates are written in: `locale` when `Intl` supports it, else {@link DEFAULT_LOCALE}.
 *
 * @example
 * resolveLocale('pt-PT'); // 'pt-PT'
 * resolveLocale('not a locale'); // 'en-GB'
 * resolveLocale(undefined); // 'en-GB'
 */
export const resolveLocale = (locale: string | undefined): string => {
  if (locale === undefined || locale.trim() === '') return DEFAULT_LOCALE;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale.trim()])[0] ?? DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
};

/**
 * The tags to look a catalogue up by, most specific first: the canonical tag, its language, then
 * {@link FALLBACK_LANGUAGE}. A tag that is not valid BCP 47 goes straight to the fallback.
 *
 * @example
 * localeChain('de-AT'); // ['de-AT', 'de', 'en']
 * localeChain('EN-gb'); // ['en-GB', 'en']
 * localeChain('not a locale'); // ['en']
 */
export const localeChain = (locale: string | undefined): readonly string[] => {
  const tags: string[] = [];
  try {
    const parsed = new Intl.Locale((locale ?? '').trim());
    tags.push(parsed.baseName, parsed.language);
  } catch {
    // Not a BCP 47 tag: only the fallback is left.
  }
  tags.push(FALLBACK_LANGUAGE);
  return [...new Set(tags)];
};

/**
 * The catalogue for a candidate's locale: the first entry of {@link localeChain} that
 * `catalogues` holds. Only English exists today, so every locale gets it.
 *
 * @example
 * catalogueFor('de-AT').language; // 'en'
 * catalogueFor('pt-PT', { en, pt: ptBR }).language; // 'pt-BR' (with a Brazilian catalogue)
 */
export const catalogueFor = (
  locale: string | undefined,
  catalogues: Readonly<Record<string, Catalogue>> = CATALOGUES,
): Catalogue => {
  for (const tag of localeChain(locale)) {
    const catalogue = catalogues[tag];
    if (catalogue !== undefined) return catalogue;
  }
  return en;
};
