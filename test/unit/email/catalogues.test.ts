import { describe, expect, it } from 'vitest';
import { CATALOGUES, englishCatalogue } from '../../../functions/email/catalogues';
import { argumentsOf, compileMessage } from '../../../functions/email/icu-message';
import { MESSAGE_FILES, type MessageFile, messagesOf, TRANSLATIONS } from './support/message-files';

const english = new Map(messagesOf(MESSAGE_FILES.en as MessageFile));

/** The shape of a compiled catalogue: each path and whether it is text or a function. */
const shapeOf = (node: unknown, path = ''): string[] =>
  typeof node === 'object' && node !== null
    ? Object.entries(node).flatMap(([key, value]) => shapeOf(value, path ? `${path}.${key}` : key))
    : [`${path}: ${typeof node}`];

describe.each(TRANSLATIONS)('the %s message file', (tag) => {
  const file = MESSAGE_FILES[tag] as MessageFile;
  const messages = new Map(messagesOf(file));

  it('has exactly the messages of the English file', () => {
    // Assess
    expect([...messages.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('gives every message the same arguments as English', () => {
    // Act
    const differing = [...english].filter(
      ([path, source]) =>
        JSON.stringify(argumentsOf(messages.get(path) ?? '')) !==
        JSON.stringify(argumentsOf(source)),
    );

    // Assess
    expect(differing).toEqual([]);
  });

  it('translates every message with words (none is left as the English text)', () => {
    // Act
    const untranslated = [...english].filter(
      ([path, source]) =>
        /\p{L}/u.test(source.replace(/\{\w+\}/g, '')) && messages.get(path) === source,
    );

    // Assess
    expect(untranslated.map(([path]) => path)).toEqual([]);
  });

  it('names its language and a date locale of that language', () => {
    // Assess
    expect(file.language).toBe(tag);
    expect(new Intl.Locale(file.dateLocale).language).toBe(new Intl.Locale(tag).language);
  });

  it('compiles to a catalogue of the same shape as English', () => {
    // Act
    const catalogue = CATALOGUES[tag];

    // Assess
    expect(shapeOf(catalogue)).toEqual(shapeOf(englishCatalogue()));
    expect(catalogue?.language).toBe(tag);
  });
});

describe.each(Object.keys(MESSAGE_FILES))('the %s unsubscribe pages', (tag) => {
  it('are plain text: no placeholder or ICU quoting that the pages would show raw', () => {
    // Prepare
    const file = MESSAGE_FILES[tag] as MessageFile;

    // Act
    const pages = messagesOf(file).filter(([path]) => path.startsWith('unsubscribePage.'));

    // Assess
    expect(pages.length).toBe(10);
    for (const [path, source] of pages) {
      expect(compileMessage(source, tag)(), path).toBe(source);
    }
  });
});

describe('CATALOGUES', () => {
  it('holds the six languages of SPEC §4, and pt for Portuguese without a region', () => {
    // Assess
    expect(Object.keys(CATALOGUES).sort()).toEqual(['de', 'en', 'es', 'fr', 'ja', 'pt', 'pt-BR']);
    expect(CATALOGUES.pt).toBe(CATALOGUES['pt-BR']);
  });
});
