import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { argumentsOf, compileMessage, IcuSyntaxError } from '../../../functions/email/icu-message';
import { MESSAGE_FILES, messagesOf } from './support/message-files';

/** Arguments that are counts (plural selectors); every other argument is text. */
const COUNTS = new Set(['count', 'daysLeft']);
const SAMPLE_COUNTS = [0, 1, 2, 3, 5, 11, 21, 30, 101, 1000, 1_000_000];

describe('compileMessage', () => {
  it('fills in arguments', () => {
    // Act
    const text = compileMessage('Dear {name},', 'en')({ name: 'Ana' });

    // Assess
    expect(text).toBe('Dear Ana,');
  });

  it.each([
    [0, 'Expires today'],
    [1, 'Expires in 1 day'],
    [2, 'Expires in 2 days'],
    [1000, 'Expires in 1,000 days'],
  ])('picks =0, then the plural category, for %i', (daysLeft, expected) => {
    // Prepare
    const status = compileMessage(
      '{daysLeft, plural, =0 {Expires today} one {Expires in # day} other {Expires in # days}}',
      'en',
    );

    // Act
    const text = status({ daysLeft });

    // Assess
    expect(text).toBe(expected);
  });

  it('follows the plural rules of the locale (French 0 and 1 are "one")', () => {
    // Prepare
    const days = compileMessage('{n, plural, one {# jour} other {# jours}}', 'fr');

    // Act
    const texts = [0, 1, 2].map((n) => days({ n }));

    // Assess
    expect(texts).toEqual(['0 jour', '1 jour', '2 jours']);
  });

  it('applies an offset to the category and to #', () => {
    // Prepare
    const others = compileMessage(
      '{n, plural, offset:1 =1 {only you} one {you and # other} other {you and # others}}',
      'en',
    );

    // Act
    const texts = [1, 2, 3].map((n) => others({ n }));

    // Assess
    expect(texts).toEqual(['only you', 'you and 1 other', 'you and 2 others']);
  });

  it("reads ICU's apostrophes: '' is one, '{…}' is literal, a lone one is text", () => {
    // Act
    const text = compileMessage("Don't say '{name}' or ''{name}''", 'en')({ name: 'Ana' });

    // Assess
    expect(text).toBe("Don't say {name} or 'Ana'");
  });

  it('keeps # literal outside a plural', () => {
    // Act
    const text = compileMessage('Ticket #{id}', 'en')({ id: '42' });

    // Assess
    expect(text).toBe('Ticket #42');
  });

  it('refuses a missing argument rather than writing a gap', () => {
    // Prepare
    const greeting = compileMessage('Dear {name},', 'en');

    // Act
    const render = () => greeting({});

    // Assess
    expect(render).toThrow(/"name"/);
  });

  it.each([
    ['{name', 'an unclosed argument'],
    ['text}', 'a stray brace'],
    ['{n, select, a {x} other {y}}', 'a select'],
    ['{n, number}', 'a number format'],
    ['{n, plural, one {x}}', 'a plural without other'],
    ['{n, plural, one {x} one {y} other {z}}', 'a repeated selector'],
  ])('refuses %j (%s)', (source) => {
    // Act
    const compile = () => compileMessage(source, 'en');

    // Assess
    expect(compile).toThrow(IcuSyntaxError);
  });
});

describe('argumentsOf', () => {
  it('lists the argument names once each, sorted', () => {
    // Act
    const names = argumentsOf(
      '{daysLeft, plural, =0 {{credential} today} other {{credential} in # days}}',
    );

    // Assess
    expect(names).toEqual(['credential', 'daysLeft']);
  });
});

describe.each(Object.entries(MESSAGE_FILES))('the %s messages', (tag, file) => {
  it.each(messagesOf(file))('%s formats as intl-messageformat does', (_path, source) => {
    // Prepare
    const names = argumentsOf(source);
    const counts = names.some((name) => COUNTS.has(name)) ? SAMPLE_COUNTS : [0];
    const ours = compileMessage(source, file.language);
    const reference = new IntlMessageFormat(source, file.language, undefined, { ignoreTag: true });

    for (const count of counts) {
      const args = Object.fromEntries(
        names.map((name) => [name, COUNTS.has(name) ? count : `‹${name}›`]),
      );

      // Act
      const text = ours(args);

      // Assess
      expect(text, `${tag} with ${JSON.stringify(args)}`).toBe(String(reference.format(args)));
    }
  });
});
