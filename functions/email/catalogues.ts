import type { Catalogue } from './catalogue';
import { compileCatalogue } from './compile-catalogue';
import * as de from './messages/de.json';
import * as en from './messages/en.json';
import * as es from './messages/es.json';
import * as fr from './messages/fr.json';
import * as ja from './messages/ja.json';
import * as ptBR from './messages/pt-BR.json';

/**
 * The email's catalogues, one per language, compiled from `messages/<tag>.json`. To add a
 * language: copy `messages/en.json` to `messages/<tag>.json`, translate every message (keeping
 * its ICU placeholders and plural options for the language's plural categories), import it here
 * and add it to {@link CATALOGUES}; register it in `unsubscribe-page.ts` too, for its pages.
 */

// Each file's parts are named one by one, so that bundles leave out the unsubscribe page copy.

/**
 * A record whose entries are made on first read, and kept: a cold start compiles nothing.
 *
 * @example
 * lazyRecord({ en: () => compileCatalogue(messages) }).en; // compiled now, then reused
 */
const lazyRecord = <T>(
  factories: Readonly<Record<string, () => T>>,
): Readonly<Record<string, T>> => {
  const record: Record<string, T> = {};
  for (const [tag, make] of Object.entries(factories)) {
    let made: T | undefined;
    Object.defineProperty(record, tag, { enumerable: true, get: () => (made ??= make()) });
  }
  return Object.freeze(record);
};

const brazilian = (): Catalogue =>
  compileCatalogue({
    language: ptBR.language,
    dateLocale: ptBR.dateLocale,
    email: ptBR.email,
    reminders: ptBR.reminders,
  });

/**
 * The catalogues by BCP 47 tag, each compiled when first used. A tag that is only a language
 * (`pt`) names the catalogue that language falls back to (`pt-PT` → `pt` → `pt-BR`).
 *
 * @example
 * CATALOGUES.de?.reminders.expired.subject({ credential: 'AWS Serverless' });
 * // 'AWS Serverless ist abgelaufen'
 */
export const CATALOGUES: Readonly<Record<string, Catalogue>> = (() => {
  let portuguese: Catalogue | undefined;
  return lazyRecord({
    en: () =>
      compileCatalogue({
        language: en.language,
        dateLocale: en.dateLocale,
        email: en.email,
        reminders: en.reminders,
      }),
    de: () =>
      compileCatalogue({
        language: de.language,
        dateLocale: de.dateLocale,
        email: de.email,
        reminders: de.reminders,
      }),
    fr: () =>
      compileCatalogue({
        language: fr.language,
        dateLocale: fr.dateLocale,
        email: fr.email,
        reminders: fr.reminders,
      }),
    es: () =>
      compileCatalogue({
        language: es.language,
        dateLocale: es.dateLocale,
        email: es.email,
        reminders: es.reminders,
      }),
    'pt-BR': () => (portuguese ??= brazilian()),
    pt: () => (portuguese ??= brazilian()),
    ja: () =>
      compileCatalogue({
        language: ja.language,
        dateLocale: ja.dateLocale,
        email: ja.email,
        reminders: ja.reminders,
      }),
  });
})();

/**
 * English, and the fallback for every locale without a catalogue of its language.
 *
 * @example
 * englishCatalogue().email.signOff; // 'Kind regards,'
 */
export const englishCatalogue = (): Catalogue => CATALOGUES.en as Catalogue;
