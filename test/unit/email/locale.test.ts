import { describe, expect, it } from 'vitest';
import type { Catalogue } from '../../../functions/email/catalogue';
import { englishCatalogue } from '../../../functions/email/catalogues';
import {
  catalogueFor,
  dateLocaleFor,
  localeChain,
  lookUpLocale,
  resolveLocale,
} from '../../../functions/email/locale';

const en = englishCatalogue();

describe('resolveLocale', () => {
  it.each(['not a locale', 'en_GB', 'zz-ZZ', ''])('falls back to en-GB for %j', (locale) => {
    // Act
    const resolved = resolveLocale(locale);

    // Assess
    expect(resolved).toBe('en-GB');
  });

  it('canonicalises the case of a supported locale', () => {
    // Act
    const locale = resolveLocale('EN-gb');

    // Assess
    expect(locale).toBe('en-GB');
  });

  it('keeps a supported regional locale', () => {
    // Act
    const locale = resolveLocale('pt-PT');

    // Assess
    expect(locale).toBe('pt-PT');
  });
});

describe('localeChain', () => {
  it.each([
    ['de-AT', ['de-AT', 'de', 'en']],
    ['EN-gb', ['en-GB', 'en']],
    ['en', ['en']],
    ['not a locale', ['en']],
    ['', ['en']],
    [undefined, ['en']],
  ])('looks %j up as %j', (locale, expected) => {
    // Act
    const chain = localeChain(locale);

    // Assess
    expect(chain).toEqual(expected);
  });
});

describe('catalogueFor', () => {
  const labelled = (language: string): Catalogue => ({ ...en, language });
  const catalogues = { en, de: labelled('de'), pt: labelled('pt-BR'), 'pt-BR': labelled('pt-BR') };

  it.each([
    ['en', 'en'],
    ['en-US', 'en'],
    ['de', 'de'],
    ['de-AT', 'de'],
    ['de-CH', 'de'],
    ['fr', 'fr'],
    ['fr-CA', 'fr'],
    ['es', 'es'],
    ['es-MX', 'es'],
    ['pt-BR', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['pt', 'pt-BR'],
    ['ja', 'ja'],
    ['ja-JP', 'ja'],
    ['JA-jp', 'ja'],
    ['it-IT', 'en'],
    ['zz', 'en'],
    ['not a locale', 'en'],
    [undefined, 'en'],
  ])('writes %j in the %s catalogue (SPEC §4: tag, its language, then en)', (locale, expected) => {
    // Act
    const catalogue = catalogueFor(locale);

    // Assess
    expect(catalogue.language).toBe(expected);
  });

  it.each([
    ['de-AT', 'de'],
    ['pt-PT', 'pt-BR'],
    ['pt-BR', 'pt-BR'],
    ['fr-CA', 'en'],
    ['not a locale', 'en'],
  ])('falls back from %s to the %s catalogue', (locale, expected) => {
    // Act
    const catalogue = catalogueFor(locale, catalogues);

    // Assess
    expect(catalogue.language).toBe(expected);
  });
});

describe('dateLocaleFor', () => {
  it.each([
    ['pt-PT', 'pt-BR', 'pt-PT'],
    ['pt', 'pt-BR', 'pt-BR'],
    ['en-US', 'en', 'en-US'],
    ['en', 'en', 'en-GB'],
    [undefined, 'en', 'en-GB'],
    ['it-IT', 'en', 'en-GB'],
    ['de-AT', 'de', 'de-AT'],
    ['ja', 'ja', 'ja-JP'],
    ['not a locale', 'en', 'en-GB'],
  ])('writes the dates of %j, in the %s catalogue, in %s', (locale, language, expected) => {
    // Prepare
    const catalogue = catalogueFor(language);

    // Act
    const dateLocale = dateLocaleFor(locale, catalogue);

    // Assess
    expect(dateLocale).toBe(expected);
  });
});

describe('lookUpLocale', () => {
  it('takes the most specific entry, then the language, then the fallback', () => {
    // Prepare
    const table = { fr: 'Bonjour', 'fr-CA': 'Allô' };

    // Act
    const found = ['fr-CA', 'fr-BE', 'de'].map((locale) => lookUpLocale(locale, table, 'Hello'));

    // Assess
    expect(found).toEqual(['Allô', 'Bonjour', 'Hello']);
  });
});
