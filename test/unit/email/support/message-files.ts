import de from '../../../../functions/email/messages/de.json';
import en from '../../../../functions/email/messages/en.json';
import es from '../../../../functions/email/messages/es.json';
import fr from '../../../../functions/email/messages/fr.json';
import ja from '../../../../functions/email/messages/ja.json';
import ptBR from '../../../../functions/email/messages/pt-BR.json';

/** The message files as data, for the tests of the catalogues themselves. */

export interface MessageFile {
  readonly language: string;
  readonly dateLocale: string;
  readonly [part: string]: unknown;
}

export const MESSAGE_FILES: Readonly<Record<string, MessageFile>> = {
  en,
  de,
  fr,
  es,
  'pt-BR': ptBR,
  ja,
};

/** The languages other than English. */
export const TRANSLATIONS = Object.keys(MESSAGE_FILES).filter((tag) => tag !== 'en');

/** Every message of a file as `[dotted.path, ICU source]`, the metadata left out. */
export const messagesOf = (file: MessageFile): [string, string][] => {
  const found: [string, string][] = [];
  const walk = (node: unknown, path: string) => {
    if (typeof node === 'string') found.push([path, node]);
    else if (typeof node === 'object' && node !== null)
      for (const [key, value] of Object.entries(node)) walk(value, path ? `${path}.${key}` : key);
  };
  for (const [part, value] of Object.entries(file))
    if (part !== 'language' && part !== 'dateLocale') walk(value, part);
  return found;
};
