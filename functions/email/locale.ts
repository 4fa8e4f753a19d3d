import type { Catalogue } from './catalogue';
import { CATALOGUES, englishCatalogue } from './catalogues';

export { CATALOGUES } from './catalogues';

/**
 * Which locale an email is written in. Two questions, answered apart:
 * - the catalogue the copy comes from ({@link catalogueFor}): the candidate's locale, else its
 *   language, else English (SPEC §4: `pt-PT` → `pt-BR`, `de-AT` → `de`, then `en`);
 * - the locale dates are written in ({@link dateLocaleFor}): the candidate's own, when `Intl`
 *   supports it and it is of the catalogue's language (so `pt-PT` keeps Portuguese dates in its
 *   own style), else the catalogue's (an `it` candidate reads English copy with English dates).
 */

/** The locale dates are written in when a candidate has none, or one that `Intl` does not support. */
export const DEFAULT_LOCALE = 'en-GB';

/** The language of the copy when no catalogue matches the candidate's locale. */
export const FALLBACK_LANGUAGE = 'en';

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
 * The entry of `table` for a locale: the first tag of {@link localeChain} it holds, else
 * `fallback`. Serves the email's catalogues and the unsubscribe pages' copy alike.
 *
 * @example
 * lookUpLocale('fr-CA', { en: 'Hello', fr: 'Bonjour' }, 'Hello'); // 'Bonjour'
 */
export const lookUpLocale = <T>(
  locale: string | undefined,
  table: Readonly<Record<string, T>>,
  fallback: T,
): T => {
  for (const tag of localeChain(locale)) {
    const entry = table[tag];
    if (entry !== undefined) return entry;
  }
  return fallback;
};

/**
 * The catalogue for a candidate's locale: the first entry of {@link localeChain} that
 * `catalogues` holds, else English.
 *
 * @example
 * catalogueFor('de-AT').language; // 'de'
 * catalogueFor('pt-PT').language; // 'pt-BR'
 * catalogueFor('it-IT').language; // 'en'
 */
export const catalogueFor = (
  locale: string | undefined,
  catalogues: Readonly<Record<string, Catalogue>> = CATALOGUES,
): Catalogue => lookUpLocale(locale, catalogues, englishCatalogue());

/**
 * The locale an email's dates are written in: the candidate's, when `Intl` supports it, it names
 * a region or script, and its language is the catalogue's; else the catalogue's own date locale.
 *
 * @example
 * dateLocaleFor('pt-PT', ptBR); // 'pt-PT'
 * dateLocaleFor('en-US', en); // 'en-US'
 * dateLocaleFor('en', en); // 'en-GB' (the English catalogue's house style)
 * dateLocaleFor('it-IT', en); // 'en-GB' (English copy, so English dates)
 */
export const dateLocaleFor = (locale: string | undefined, catalogue: Catalogue): string => {
  const resolved = new Intl.Locale(resolveLocale(locale));
  const language = new Intl.Locale(catalogue.language).language;
  const regional = resolved.region !== undefined || resolved.script !== undefined;
  return regional && resolved.language === language ? resolved.baseName : catalogue.dateLocale;
};
