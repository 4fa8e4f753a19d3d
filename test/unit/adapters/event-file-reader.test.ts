import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CSV_COLUMNS,
  countLines,
  csvRowToEvent,
  type FileRecord,
  formatOf,
  readEventFile,
  splitCsvLine,
} from '../../../functions/adapters/event-file-reader';

let directory: string;
let fileNumber = 0;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'event-file-reader-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** Writes `content` to a fresh file with extension `extension` in the temp directory. */
const fileWith = async (extension: string, content: string | Buffer): Promise<string> => {
  fileNumber += 1;
  const path = join(directory, `events-${fileNumber}${extension}`);
  await writeFile(path, content);
  return path;
};

const readAll = async (path: string): Promise<FileRecord[]> => {
  const records: FileRecord[] = [];
  for await (const record of readEventFile(path)) records.push(record);
  return records;
};

const HEADER = CSV_COLUMNS.join(',');
const ROW =
  'a-1,cand-1,ana@example.com,Ana Silva,Europe/Lisbon,aws-cp,Cloud Practitioner,pass,2027-02-28T10:05:00Z,guardian@example.com';

const eventOfRow = (attemptId: string) => ({
  type: 'attempt.recorded',
  timestamp: '2027-02-28T10:05:00Z',
  data: {
    attemptId,
    candidate: {
      candidateId: 'cand-1',
      email: 'ana@example.com',
      name: 'Ana Silva',
      timeZone: 'Europe/Lisbon',
      guardianEmail: 'guardian@example.com',
    },
    credential: { credentialId: 'aws-cp', name: 'Cloud Practitioner' },
    outcome: 'pass',
    takenAt: '2027-02-28T10:05:00Z',
  },
});

describe('formatOf', () => {
  it.each([
    ['events.csv', 'csv'],
    ['EVENTS.CSV', 'csv'],
    ['events.jsonl', 'jsonl'],
    ['events.ndjson', 'jsonl'],
    ['events.json', 'jsonl'],
    ['dir.v2/Events.JSONL', 'jsonl'],
    ['events.txt', undefined],
    ['events', undefined],
    ['events.csv.gz', undefined],
    ['.csv', undefined],
  ])('tells that %s is %s', (path, format) => {
    // Act
    const found = formatOf(path);

    // Assess
    expect(found).toBe(format);
  });
});

describe('splitCsvLine', () => {
  it.each([
    ['plain fields', 'a,b,c', ['a', 'b', 'c']],
    ['a quoted field', 'a,"b",c', ['a', 'b', 'c']],
    ['a comma inside quotes', 'a,"b, c",d', ['a', 'b, c', 'd']],
    ['doubled quotes inside quotes', '"say ""hi""",x', ['say "hi"', 'x']],
    ['an empty quoted field', '"",x', ['', 'x']],
    ['a quote inside an unquoted field', 'a"b,c', ['a"b', 'c']],
    ['text after a closing quote', '"a"b,c', ['ab', 'c']],
    ['empty fields', ',,', ['', '', '']],
    ['a trailing comma', 'a,', ['a', '']],
    ['an empty line', '', ['']],
    ['spaces kept as they are', ' a , b ', [' a ', ' b ']],
  ])('splits %s', (_label, line, fields) => {
    // Act
    const split = splitCsvLine(line);

    // Assess
    expect(split).toEqual(fields);
  });

  it.each([
    ['an opening quote never closed', 'a,"b,c'],
    ['a lone quote', '"'],
    ['a doubled quote left open', '"a""'],
  ])('reports an unbalanced quote: %s', (_label, line) => {
    // Act
    const split = splitCsvLine(line);

    // Assess
    expect(split).toBe('unbalanced quote');
  });
});

describe('csvRowToEvent', () => {
  it('turns a full row into an attempt.recorded event stamped with takenAt', () => {
    // Prepare
    const fields = splitCsvLine(ROW) as string[];

    // Act
    const event = csvRowToEvent(fields);

    // Assess
    expect(event).toEqual(eventOfRow('a-1'));
  });

  it('trims the fields', () => {
    // Prepare
    const fields = (splitCsvLine(ROW) as string[]).map((field) => `  ${field} `);

    // Act
    const event = csvRowToEvent(fields);

    // Assess
    expect(event).toEqual(eventOfRow('a-1'));
  });

  it('leaves empty optional fields (name, timeZone, guardianEmail) out of the event', () => {
    // Prepare
    const fields = [
      'a-2',
      'cand-2',
      'bo@example.com',
      '',
      ' ',
      'aws-dev',
      'Developer',
      'fail',
      '2027-03-01T09:00:00Z',
      '',
    ];

    // Act
    const event = csvRowToEvent(fields) as { data: { candidate: Record<string, unknown> } };

    // Assess
    const { candidate } = event.data;
    expect(candidate.name).toBeUndefined();
    expect(candidate.timeZone).toBeUndefined();
    expect(candidate.guardianEmail).toBeUndefined();
    expect(JSON.parse(JSON.stringify(event))).toEqual({
      type: 'attempt.recorded',
      timestamp: '2027-03-01T09:00:00Z',
      data: {
        attemptId: 'a-2',
        candidate: { candidateId: 'cand-2', email: 'bo@example.com' },
        credential: { credentialId: 'aws-dev', name: 'Developer' },
        outcome: 'fail',
        takenAt: '2027-03-01T09:00:00Z',
      },
    });
  });

  it.each([
    [9, 'too few'],
    [11, 'too many'],
    [0, 'none'],
  ])('reports %i columns (%s) against the 10 expected', (count) => {
    // Prepare
    const fields = Array.from({ length: count }, (_, index) => `f${index}`);

    // Act
    const result = csvRowToEvent(fields);

    // Assess
    expect(result).toBe(`expected 10 columns (${HEADER}), found ${count}`);
  });
});

describe('readEventFile', () => {
  it('reads one JSON event a line, with 1-based line numbers', async () => {
    // Prepare
    const path = await fileWith('.jsonl', '{"n":1}\n{"n":2}\n');

    // Act
    const records = await readAll(path);

    // Assess
    expect(records).toEqual([
      { line: 1, value: { n: 1 } },
      { line: 2, value: { n: 2 } },
    ]);
  });

  it('skips blank lines but keeps counting them', async () => {
    // Prepare
    const path = await fileWith('.ndjson', '\n{"n":2}\n   \n\t\n{"n":5}\n\n');

    // Act
    const records = await readAll(path);

    // Assess
    expect(records).toEqual([
      { line: 2, value: { n: 2 } },
      { line: 5, value: { n: 5 } },
    ]);
  });

  it('reports an invalid JSON line by its number and goes on', async () => {
    // Prepare
    const path = await fileWith('.json', '{"n":1}\n{"n":\n{"n":3}');

    // Act
    const records = await readAll(path);

    // Assess
    expect(records).toEqual([
      { line: 1, value: { n: 1 } },
      { line: 2, error: 'invalid JSON' },
      { line: 3, value: { n: 3 } },
    ]);
  });

  it('strips a byte-order mark from the first line and reads CRLF line ends', async () => {
    // Prepare
    const path = await fileWith('.jsonl', '\uFEFF{"n":1}\r\n{"n":2}\r\n');

    // Act
    const records = await readAll(path);

    // Assess
    expect(records).toEqual([
      { line: 1, value: { n: 1 } },
      { line: 2, value: { n: 2 } },
    ]);
  });

  it('reads a CSV file with a header, a BOM, CRLF and blank lines', async () => {
    // Prepare
    const content = `\uFEFF${HEADER}\r\n${ROW}\r\n\r\n${ROW.replace('a-1', 'a-2')}\r\n`;
    const path = await fileWith('.csv', content);

    // Act
    const records = await readAll(path);

    // Assess
    expect(records).toEqual([
      { line: 2, value: eventOfRow('a-1') },
      { line: 4, value: eventOfRow('a-2') },
    ]);
  });

  it('recognises the header line whatever its case and spacing', async () => {
    // Prepare
    const header = CSV_COLUMNS.map((column) => ` ${column.toUpperCase()} `).join(',');
    const path = await fileWith('.csv', `${header}\n${ROW}\n`);

    // Act
    const records = await readAll(path);

    // Assess
    expect(records).toEqual([{ line: 2, value: eventOfRow('a-1') }]);
  });

  it('reads a CSV file without a header from its first line', async () => {
    // Prepare
    const path = await fileWith('.csv', `${ROW}\n`);

    // Act
    const records = await readAll(path);

    // Assess
    expect(records).toEqual([{ line: 1, value: eventOfRow('a-1') }]);
  });

  it('treats a header line after the first line as a row', async () => {
    // Prepare
    const path = await fileWith('.csv', `${ROW}\n${HEADER}\n`);

    // Act
    const records = await readAll(path);

    // Assess
    expect(records[1]).toMatchObject({ line: 2, value: { data: { attemptId: 'attemptId' } } });
  });

  it('reports bad CSV lines by number: an unbalanced quote, a wrong column count', async () => {
    // Prepare
    const path = await fileWith('.csv', `${HEADER}\n"a-1,cand-1\nonly,three,columns\n${ROW}\n`);

    // Act
    const records = await readAll(path);

    // Assess
    expect(records).toEqual([
      { line: 2, error: 'unbalanced quote' },
      { line: 3, error: `expected 10 columns (${HEADER}), found 3` },
      { line: 4, value: eventOfRow('a-1') },
    ]);
  });

  it('reads quoted CSV fields with commas and doubled quotes', async () => {
    // Prepare
    const row =
      'a-1,cand-1,ana@example.com,"Silva, Ana ""Nana""",,aws-cp,"Cloud, Practitioner",pass,2027-02-28T10:05:00Z,';
    const path = await fileWith('.csv', row);

    // Act
    const records = await readAll(path);

    // Assess
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      line: 1,
      value: {
        data: {
          candidate: { name: 'Silva, Ana "Nana"' },
          credential: { name: 'Cloud, Practitioner' },
        },
      },
    });
  });

  it('reads nothing from an empty file', async () => {
    // Prepare
    const path = await fileWith('.jsonl', '');

    // Act
    const records = await readAll(path);

    // Assess
    expect(records).toEqual([]);
  });

  it('refuses a file whose extension it cannot read', async () => {
    // Prepare
    const path = await fileWith('.txt', '{}\n');

    // Act
    const reading = readAll(path);

    // Assess
    await expect(reading).rejects.toThrow(
      `cannot tell the format of ${path}: use a .jsonl or .csv file`,
    );
  });

  it('refuses a file that does not exist', async () => {
    // Prepare
    const path = join(directory, 'missing.jsonl');

    // Act
    const reading = readAll(path);

    // Assess
    await expect(reading).rejects.toThrow(`no such file: ${path}`);
  });

  it('refuses a directory named like an events file', async () => {
    // Prepare
    const path = join(directory, 'folder.csv');
    await mkdir(path);

    // Act
    const reading = readAll(path);

    // Assess
    await expect(reading).rejects.toThrow(`no such file: ${path}`);
  });
});

describe('countLines', () => {
  it.each([
    ['an empty file', '', 0],
    ['one line with a newline', 'a\n', 1],
    ['one line without a newline', 'a', 1],
    ['three lines with a trailing newline', 'a\nb\nc\n', 3],
    ['three lines without a trailing newline', 'a\nb\nc', 3],
    ['blank lines', '\n\n', 2],
    ['CRLF line ends', 'a\r\nb\r\n', 2],
  ])('counts %s as %i', async (_label, content, expected) => {
    // Prepare
    const path = await fileWith('.jsonl', content);

    // Act
    const count = await countLines(path);

    // Assess
    expect(count).toBe(expected);
  });

  it.each([
    ['with', '\n'],
    ['without', ''],
  ])('counts a file larger than one read chunk %s a trailing newline', async (_label, end) => {
    // Prepare: 20 000 lines of 10 bytes span several 64 KiB chunks.
    const lines = Array.from({ length: 20_000 }, (_, index) => String(index).padStart(9, '0'));
    const path = await fileWith('.jsonl', `${lines.join('\n')}${end}`);

    // Act
    const count = await countLines(path);

    // Assess
    expect(count).toBe(20_000);
  });
});
