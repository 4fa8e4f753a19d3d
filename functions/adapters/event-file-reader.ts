import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Streams an events file, one record at a time, so that large files use flat memory.
 *
 * - `.jsonl` / `.ndjson` / `.json`: one JSON event per line;
 * - `.csv`: SPEC §5 columns, an optional header line, one attempt a line.
 *
 * Blank lines are skipped. Each record carries its 1-based line number.
 */

export const CSV_COLUMNS = [
  'attemptId',
  'candidateId',
  'email',
  'name',
  'timeZone',
  'credentialId',
  'credentialName',
  'outcome',
  'takenAt',
  'guardianEmail',
] as const;

export type FileRecord =
  | { readonly line: number; readonly value: unknown }
  | { readonly line: number; readonly error: string };

export type EventFileFormat = 'jsonl' | 'csv';

/** The format of a file by its name; `undefined` when the extension is not one we read. */
export const formatOf = (path: string): EventFileFormat | undefined => {
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (['.jsonl', '.ndjson', '.json'].includes(extension)) return 'jsonl';
  return undefined;
};

/**
 * Splits one CSV line into fields (RFC 4180 quoting: `"a, b"`, doubled `""` inside quotes).
 *
 * @returns the fields, or an error message for an unbalanced quote.
 * @example
 * splitCsvLine('a,"b, c",d'); // ['a', 'b, c', 'd']
 */
export const splitCsvLine = (text: string): string[] | string => {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') {
      quoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
    index += 1;
  }
  if (quoted) return 'unbalanced quote';
  fields.push(field);
  return fields;
};

/** Turns one CSV row into an `attempt.recorded` event; its `timestamp` is the attempt's `takenAt`. */
export const csvRowToEvent = (fields: readonly string[]): unknown | string => {
  if (fields.length !== CSV_COLUMNS.length) {
    return `expected ${CSV_COLUMNS.length} columns (${CSV_COLUMNS.join(',')}), found ${fields.length}`;
  }
  const row = Object.fromEntries(
    CSV_COLUMNS.map((column, index) => [column, (fields[index] ?? '').trim()]),
  );
  const optional = (value: string | undefined) =>
    value === undefined || value === '' ? undefined : value;
  return {
    type: 'attempt.recorded',
    timestamp: row.takenAt,
    data: {
      attemptId: row.attemptId,
      candidate: {
        candidateId: row.candidateId,
        email: row.email,
        name: optional(row.name),
        timeZone: optional(row.timeZone),
        guardianEmail: optional(row.guardianEmail),
      },
      credential: { credentialId: row.credentialId, name: row.credentialName },
      outcome: row.outcome,
      takenAt: row.takenAt,
    },
  };
};

const isHeader = (fields: readonly string[]) =>
  fields.length === CSV_COLUMNS.length &&
  fields.every((field, index) => field.trim().toLowerCase() === CSV_COLUMNS[index]?.toLowerCase());

/**
 * Reads an events file record by record.
 *
 * @throws Error when the file cannot be opened or its extension is unknown.
 * @example
 * for await (const record of readEventFile('examples/events.jsonl')) console.log(record.line);
 */
export async function* readEventFile(path: string): AsyncGenerator<FileRecord> {
  const format = formatOf(path);
  if (format === undefined) {
    throw new Error(`cannot tell the format of ${path}: use a .jsonl or .csv file`);
  }
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new Error(`no such file: ${path}`);
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  let line = 0;
  for await (const raw of lines) {
    line += 1;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    if (format === 'jsonl') {
      try {
        yield { line, value: JSON.parse(text) };
      } catch {
        yield { line, error: 'invalid JSON' };
      }
      continue;
    }
    const fields = splitCsvLine(text);
    if (typeof fields === 'string') {
      yield { line, error: fields };
      continue;
    }
    if (line === 1 && isHeader(fields)) continue;
    const event = csvRowToEvent(fields);
    if (typeof event === 'string') yield { line, error: event };
    else yield { line, value: event };
  }
}

/** Counts the lines of a file quickly (for progress bars). */
export const countLines = async (path: string): Promise<number> => {
  let count = 0;
  let last = 10;
  for await (const chunk of createReadStream(path)) {
    const buffer = chunk as Buffer;
    for (let index = 0; index < buffer.length; index += 1) if (buffer[index] === 10) count += 1;
    if (buffer.length > 0) last = buffer[buffer.length - 1] as number;
  }
  return last === 10 ? count : count + 1;
};
