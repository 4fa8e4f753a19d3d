/**
 * ICU MessageFormat, the subset the email catalogues use: text, `{argument}`, and
 * `{count, plural, =0 {…} one {…} other {…}}` with `#` for the number and an optional
 * `offset:n`, following ICU's apostrophe quoting (`''` is one apostrophe, `'{…}'` is literal
 * text). Plural categories come from `Intl.PluralRules`, numbers from `Intl.NumberFormat`.
 *
 * Why not `intl-messageformat` at run time: the sender's bundle has a byte budget (SPEC §12) that
 * its parser alone would use up (see the README, "Languages and calendar"). The tests hold this
 * module to `intl-messageformat`: every catalogue message, formatted with a range of counts,
 * must come out identical. Anything outside the subset (`select`, `number`, `date`, tags) is
 * refused when a catalogue is compiled, never mis-rendered.
 */

/** The arguments of a message: names to text, or to numbers for plurals. */
export type MessageArgs = Readonly<Record<string, string | number>>;

/** A compiled message: arguments in, text out. */
export type MessageFormatter = (args?: MessageArgs) => string;

type Part = (args: MessageArgs, pound: string) => string;

interface Cursor {
  readonly source: string;
  position: number;
}

/** An ICU message this subset does not accept, with where it went wrong. */
export class IcuSyntaxError extends SyntaxError {
  override readonly name = 'IcuSyntaxError';
}

const fail = (cursor: Cursor, reason: string): never => {
  throw new IcuSyntaxError(
    `${reason} at offset ${cursor.position} of ${JSON.stringify(cursor.source)}`,
  );
};

const skipSpace = (cursor: Cursor): void => {
  while (/\s/.test(cursor.source[cursor.position] ?? '')) cursor.position += 1;
};

/** Reads `pattern` (a name, a keyword, a selector) after optional white space. */
const token = (cursor: Cursor, pattern: RegExp, what: string): string => {
  skipSpace(cursor);
  const match = pattern.exec(cursor.source.slice(cursor.position));
  if (match === null) return fail(cursor, `expected ${what}`);
  cursor.position += match[0].length;
  return match[0];
};

const expect = (cursor: Cursor, character: string): void => {
  skipSpace(cursor);
  if (cursor.source[cursor.position] !== character) fail(cursor, `expected "${character}"`);
  cursor.position += 1;
};

const argumentValue = (args: MessageArgs, name: string): string | number => {
  const value = args[name];
  if (value === undefined) throw new TypeError(`the message needs the argument "${name}"`);
  return value;
};

/** Literal text up to the next `{`, `}` or (inside a plural) `#`, with ICU's quoting. */
const literal = (cursor: Cursor, inPlural: boolean): string => {
  const { source } = cursor;
  let text = '';
  const special = (character: string | undefined) =>
    character === '{' || character === '}' || (inPlural && character === '#');
  while (cursor.position < source.length) {
    const character = source[cursor.position] as string;
    const next = source[cursor.position + 1];
    if (character === "'" && next === "'") {
      text += "'";
      cursor.position += 2;
    } else if (character === "'" && (special(next) || next === '<' || next === '>')) {
      const end = source.indexOf("'", cursor.position + 1);
      // An unclosed quote runs to the end of the message, as in ICU.
      const stop = end === -1 ? source.length : end;
      text += source.slice(cursor.position + 1, stop);
      cursor.position = stop + 1;
    } else if (special(character)) {
      break;
    } else {
      text += character;
      cursor.position += 1;
    }
  }
  return text;
};

const plural = (cursor: Cursor, name: string, locale: string): Part => {
  expect(cursor, ',');
  skipSpace(cursor);
  let offset = 0;
  if (cursor.source.startsWith('offset:', cursor.position)) {
    cursor.position += 'offset:'.length;
    offset = Number(token(cursor, /^\d+/, 'an offset'));
  }
  const options = new Map<string, readonly Part[]>();
  for (skipSpace(cursor); cursor.source[cursor.position] !== '}'; skipSpace(cursor)) {
    const selector = token(cursor, /^(=\d+|[a-z]+)/, 'a plural selector');
    if (options.has(selector)) fail(cursor, `repeated plural selector "${selector}"`);
    expect(cursor, '{');
    options.set(selector, parts(cursor, locale, true));
    expect(cursor, '}');
  }
  cursor.position += 1;
  const other = options.get('other') ?? fail(cursor, 'a plural needs an "other" option');
  // Made on first use: building Intl objects for every message would slow a cold start.
  let intl: { rules: Intl.PluralRules; numbers: Intl.NumberFormat } | undefined;
  return (args) => {
    const value = Number(argumentValue(args, name));
    if (intl === undefined) {
      intl = { rules: new Intl.PluralRules(locale), numbers: new Intl.NumberFormat(locale) };
    }
    const chosen =
      options.get(`=${value}`) ?? options.get(intl.rules.select(value - offset)) ?? other;
    const pound = intl.numbers.format(value - offset);
    return chosen.map((part) => part(args, pound)).join('');
  };
};

const argument = (cursor: Cursor, locale: string): Part => {
  const name = token(cursor, /^[A-Za-z_][\w]*/, 'an argument name');
  skipSpace(cursor);
  if (cursor.source[cursor.position] === '}') {
    cursor.position += 1;
    return (args) => String(argumentValue(args, name));
  }
  expect(cursor, ',');
  const type = token(cursor, /^[a-z]+/, 'an argument type');
  if (type !== 'plural') fail(cursor, `unsupported argument type "${type}"`);
  return plural(cursor, name, locale);
};

function parts(cursor: Cursor, locale: string, inPlural: boolean): Part[] {
  const result: Part[] = [];
  while (cursor.position < cursor.source.length) {
    const text = literal(cursor, inPlural);
    if (text !== '') result.push(() => text);
    const character = cursor.source[cursor.position];
    if (character === '{') {
      cursor.position += 1;
      result.push(argument(cursor, locale));
    } else if (character === '#') {
      cursor.position += 1;
      result.push((_args, pound) => pound);
    } else break;
  }
  return result;
}

/**
 * Compiles one ICU message for `locale`.
 *
 * @throws {IcuSyntaxError} when `source` is not in the subset (an unclosed brace, a `select`, a
 *   plural without `other`…).
 * @example
 * const status = compileMessage('{n, plural, =0 {today} one {in # day} other {in # days}}', 'en');
 * status({ n: 1 }); // 'in 1 day'
 * compileMessage("Don''t miss {name}'{'s'}' date", 'en')({ name: 'Ana' }); // "Don't miss Ana{s} date"
 */
export const compileMessage = (source: string, locale: string): MessageFormatter => {
  const cursor: Cursor = { source, position: 0 };
  const compiled = parts(cursor, locale, false);
  if (cursor.position < source.length) fail(cursor, 'unexpected "}"');
  return (args = {}) => compiled.map((part) => part(args, '#')).join('');
};

/**
 * The argument names a message uses, for checking that translations take the same arguments.
 *
 * @example
 * argumentsOf('{credential} expires in {days, plural, other {# days}}'); // ['credential', 'days']
 */
export const argumentsOf = (source: string): readonly string[] => {
  const names = new Set<string>();
  for (const match of source.matchAll(/\{\s*([A-Za-z_]\w*)\s*[,}]/g)) names.add(match[1] as string);
  return [...names].sort();
};
