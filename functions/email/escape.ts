/**
 * Making candidate-supplied text safe where the email puts it: on one line for headers, and
 * escaped for HTML. Every layout goes through these two functions; nothing else escapes.
 */

const CONTROL_CHARACTERS = /[\p{Cc}\u2028\u2029]+/gu;

/**
 * Flattens candidate-supplied text to one line: control characters (CR, LF, tab, NUL, …) and
 * Unicode line separators become spaces, runs of spaces collapse, ends are trimmed. Whatever a
 * name holds, the result can never start a new header line.
 *
 * @example
 * singleLine('Ana\r\nBcc: victim@example.com'); // 'Ana Bcc: victim@example.com'
 */
export const singleLine = (value: string): string =>
  value.replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * escapeHtml('<script>alert("x")</script>'); // '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
 */
export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
