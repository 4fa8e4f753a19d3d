import { describe, expect, it } from 'vitest';
import type { Catalogue } from '../../../functions/email/catalogue';
import { en } from '../../../functions/email/en';
import { catalogueFor, localeChain, resolveLocale } from '../../../functions/email/locale';

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

  it('gives English to every locale while English is the only catalogue', () => {
    // Act
    const languages = ['de-AT', 'ja', 'pt-BR', 'zz', undefined].map(
      (locale) => catalogueFor(locale).language,
    );

    // Assess
    expect(languages).toEqual(['en', 'en', 'en', 'en', 'en']);
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
