import type { Catalogue } from './catalogue';
import { compileMessage, type MessageArgs } from './icu-message';

/**
 * Turns a language's message file (`messages/<tag>.json`: ICU messages, nested as the
 * {@link Catalogue} is) into a {@link Catalogue}. A message that takes arguments becomes a
 * function of them; one that takes none becomes its text. The tests check that every message file
 * has exactly English's messages, each taking the same arguments, so the shape always fits.
 */

/** Nested ICU messages, as a message file holds them. */
export interface MessageTree {
  readonly [key: string]: string | MessageTree;
}

/** A message file's parts the email needs (its unsubscribe page copy is read elsewhere). */
export interface CatalogueMessages {
  readonly language: string;
  readonly dateLocale: string;
  readonly email: MessageTree;
  readonly reminders: MessageTree;
}

const compileTree = (tree: MessageTree, locale: string): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(tree).map(([key, message]) => {
      if (typeof message !== 'string') return [key, compileTree(message, locale)];
      const format = compileMessage(message, locale);
      // Only messages with a placeholder take arguments; the others are plain text.
      return [key, message.includes('{') ? (args: MessageArgs) => format(args) : format()];
    }),
  );

/**
 * Compiles a message file into a catalogue, with plural rules of its `language`.
 *
 * @throws {IcuSyntaxError} when a message is not in the ICU subset `icu-message.ts` accepts.
 * @example
 * import { dateLocale, email, language, reminders } from './messages/de.json';
 * const de = compileCatalogue({ language, dateLocale, email, reminders });
 * de.reminders.expiring_soon.status({ daysLeft: 3 }); // 'Läuft in 3 Tagen ab'
 */
export const compileCatalogue = (messages: CatalogueMessages): Catalogue =>
  ({
    language: messages.language,
    dateLocale: messages.dateLocale,
    email: compileTree(messages.email, messages.language),
    reminders: compileTree(messages.reminders, messages.language),
  }) as unknown as Catalogue;
