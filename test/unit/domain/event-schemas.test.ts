import { describe, expect, it } from 'vitest';
import {
  createEventValidator,
  type EventValidation,
} from '../../../functions/domain/event-schemas';

/** Every validation rule of SPEC §2, with the path of the offending field. */

const NOW = new Date('2026-11-26T12:00:00Z');
const validate = createEventValidator(() => NOW);

type Json = Record<string, unknown>;

const attempt = (): Json => ({
  type: 'attempt.recorded',
  timestamp: '2026-02-28T10:05:00Z',
  data: {
    attemptId: 'att-1001',
    candidate: {
      candidateId: 'cand-ana',
      email: 'ana@example.com',
      name: 'Ana Silva',
      timeZone: 'Europe/Lisbon',
      locale: 'en-GB',
      guardianEmail: 'guardian@example.org',
    },
    credential: { credentialId: 'aws-serverless', name: 'AWS Serverless Microcredential' },
    outcome: 'pass',
    takenAt: '2026-02-28T10:00:00Z',
  },
});

const updated = (data: Json): Json => ({
  type: 'candidate.updated',
  timestamp: '2026-03-01T10:00:00Z',
  data: { candidateId: 'cand-ana', ...data },
});

/** A copy of `event` with the values at dotted paths replaced (or removed when `undefined`). */
const withFields = (event: Json, changes: Record<string, unknown>): Json => {
  const copy = structuredClone(event);
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    const last = keys.pop() as string;
    let target: Json = copy;
    for (const key of keys) target = target[key] as Json;
    if (value === undefined) delete target[last];
    else target[last] = value;
  }
  return copy;
};

const withField = (event: Json, path: string, value: unknown): Json =>
  withFields(event, { [path]: value });

/** The distinct paths of the issues (one field may fail several checks). */
const pathsOf = (result: EventValidation): string[] =>
  result.ok ? [] : [...new Set(result.issues.map((issue) => issue.path))];

const localPart64 = 'a'.repeat(64);
const domainOf = (length: number) =>
  `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(length - 132)}.com`;
const email254 = `${localPart64}@${domainOf(189)}`;
const email255 = `${localPart64}@${domainOf(190)}`;

describe('a well-formed event of each type', () => {
  it.each([
    ['attempt.recorded', attempt()],
    [
      'attempt.recorded without the optional candidate fields',
      withFields(attempt(), {
        'data.candidate.name': undefined,
        'data.candidate.timeZone': undefined,
        'data.candidate.locale': undefined,
        'data.candidate.guardianEmail': undefined,
      }),
    ],
    ['a failed attempt.recorded', withField(attempt(), 'data.outcome', 'fail')],
    ['candidate.updated with one field', updated({ email: 'ana.silva@example.com' })],
    [
      'candidate.updated with every field',
      updated({
        email: 'a@example.com',
        name: 'Ana',
        timeZone: 'Asia/Kathmandu',
        locale: 'pt-PT',
        guardianEmail: 'g@example.com',
      }),
    ],
    ['candidate.updated with nothing but the id', updated({})],
    [
      'candidate.erased',
      {
        type: 'candidate.erased',
        timestamp: '2026-03-01T10:00:00Z',
        data: { candidateId: 'cand-ana' },
      },
    ],
    [
      'account.merged',
      {
        type: 'account.merged',
        timestamp: '2026-03-01T10:00:00+01:00',
        data: { fromCandidateId: 'cand-old', toCandidateId: 'cand-ana' },
      },
    ],
  ])('%s is accepted', (_title, event) => {
    // Act
    const result = validate(event);

    // Assess
    expect(pathsOf(result)).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe('ids are 1–128 characters of A-Za-z0-9._:@-', () => {
  it.each([
    ['a single character', 'a'],
    ['128 characters', 'x'.repeat(128)],
    ['every allowed punctuation', 'A-z.0_9:b@c-D'],
    ['an email-like id', 'user@example.com'],
  ])('%s is a valid id', (_title, id) => {
    // Act
    const result = validate(withField(attempt(), 'data.attemptId', id));

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['129 characters', 'x'.repeat(129)],
    ['a space', 'a b'],
    ['a slash', 'a/b'],
    ['a hash', 'a#b'],
    ['a non-ASCII letter', 'josé'],
    ['a newline', 'a\nb'],
    ['a number instead of a string', 42],
  ])('%s is not a valid id', (_title, id) => {
    // Act
    const result = validate(withField(attempt(), 'data.attemptId', id));

    // Assess
    expect(result.ok).toBe(false);
    expect(pathsOf(result)).toEqual(['data.attemptId']);
  });

  it.each([
    ['data.candidate.candidateId', attempt()],
    ['data.credential.credentialId', attempt()],
    ['data.candidateId', updated({})],
    [
      'data.candidateId',
      { type: 'candidate.erased', timestamp: '2026-03-01T10:00:00Z', data: { candidateId: 'x' } },
    ],
    [
      'data.fromCandidateId',
      {
        type: 'account.merged',
        timestamp: '2026-03-01T10:00:00Z',
        data: { fromCandidateId: 'a', toCandidateId: 'b' },
      },
    ],
    [
      'data.toCandidateId',
      {
        type: 'account.merged',
        timestamp: '2026-03-01T10:00:00Z',
        data: { fromCandidateId: 'a', toCandidateId: 'b' },
      },
    ],
  ])('an invalid id is reported at %s', (path, event) => {
    // Prepare
    const invalid = withField(event, path, 'not valid!');

    // Act
    const result = validate(invalid);

    // Assess
    expect(pathsOf(result)).toEqual([path]);
  });
});

describe('email is a valid address of at most 254 characters', () => {
  it.each([
    ['a plain address', 'ana@example.com'],
    ['plus addressing and subdomains', 'ana.silva+certs@mail.example.co.uk'],
    ['254 characters', email254],
  ])('%s is accepted', (_title, email) => {
    // Prepare
    expect(email.length).toBeLessThanOrEqual(254);

    // Act
    const result = validate(withField(attempt(), 'data.candidate.email', email));

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each([
    ['255 characters', email255],
    ['no @', 'ana.example.com'],
    ['nothing before the @', '@example.com'],
    ['nothing after the @', 'ana@'],
    ['two @', 'ana@@example.com'],
    ['a space', 'ana silva@example.com'],
    ['a display name', 'Ana <ana@example.com>'],
    ['a header injection', 'ana@example.com\r\nBcc: victim@example.com'],
    ['empty', ''],
  ])('%s is rejected', (_title, email) => {
    // Act
    const result = validate(withField(attempt(), 'data.candidate.email', email));

    // Assess
    expect(result.ok).toBe(false);
    expect(pathsOf(result)).toContain('data.candidate.email');
    expect(pathsOf(result).every((path) => path === 'data.candidate.email')).toBe(true);
  });

  it.each([
    ['data.candidate.guardianEmail', attempt()],
    ['data.email', updated({ email: 'ana@example.com' })],
    ['data.guardianEmail', updated({ guardianEmail: 'g@example.com' })],
  ])('an invalid address is reported at %s', (path, event) => {
    // Act
    const result = validate(withField(event, path, 'not an address'));

    // Assess
    expect(pathsOf(result)).toEqual([path]);
  });

  it('a candidate of attempt.recorded must have an email', () => {
    // Act
    const result = validate(withField(attempt(), 'data.candidate.email', undefined));

    // Assess
    expect(pathsOf(result)).toEqual(['data.candidate.email']);
  });
});

describe('timeZone is a zone known to Intl', () => {
  it.each([
    'Europe/Lisbon',
    'America/Los_Angeles',
    'Asia/Kathmandu',
    'Pacific/Kiritimati',
    'Australia/Lord_Howe',
    'UTC',
  ])('%s is accepted', (timeZone) => {
    // Act
    const result = validate(withField(attempt(), 'data.candidate.timeZone', timeZone));

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each([
    ['data.candidate.timeZone', attempt(), 'Mars/Olympus'],
    ['data.candidate.timeZone', attempt(), 'Europe/Lisbonn'],
    ['data.candidate.timeZone', attempt(), ''],
    ['data.timeZone', updated({}), 'Mars/Olympus'],
  ])('an unknown zone is reported at %s (%s)', (path, event, timeZone) => {
    // Act
    const result = validate(withField(event, path, timeZone));

    // Assess
    expect(pathsOf(result)).toEqual([path]);
  });
});

describe('takenAt is an instant with offset, not more than 5 minutes in the future nor before 2000', () => {
  it.each([
    ['exactly 5 minutes ahead of the clock', '2026-11-26T12:05:00Z'],
    ['now', '2026-11-26T12:00:00Z'],
    ['with a positive offset', '2026-11-26T17:35:00+05:30'],
    ['with a negative offset', '2026-11-26T04:05:00-08:00'],
    ['with fractional seconds', '2026-02-28T10:00:00.123Z'],
    ['exactly 2000-01-01T00:00:00Z', '2000-01-01T00:00:00Z'],
  ])('a takenAt %s is accepted', (_title, takenAt) => {
    // Act
    const result = validate(withField(attempt(), 'data.takenAt', takenAt));

    // Assess
    expect(pathsOf(result)).toEqual([]);
  });

  it.each([
    ['one second more than 5 minutes ahead', '2026-11-26T12:05:01Z'],
    ['5 minutes ahead written with an offset, plus a second', '2026-11-26T04:05:01-08:00'],
    ['next year', '2027-11-26T12:00:00Z'],
    ['one second before 2000', '1999-12-31T23:59:59Z'],
    ['a number', 1_772_272_800_000],
  ])('a takenAt %s is rejected at data.takenAt', (_title, takenAt) => {
    // Act
    const result = validate(withField(attempt(), 'data.takenAt', takenAt));

    // Assess
    expect(pathsOf(result)).toEqual(['data.takenAt']);
  });

  // Regression: the validator used to throw a RangeError for these (the regex failed but the
  // takenAt superRefine still parsed the value) instead of returning an issue at data.takenAt.
  it.each([
    ['without an offset', '2026-02-28T10:00:00'],
    ['a bare date', '2026-02-28'],
    ['not a real date', '2026-02-30T10:00:00Z'],
    ['not a date at all', 'yesterday'],
  ])('a takenAt %s is rejected at data.takenAt, without throwing', (_title, takenAt) => {
    // Act
    const result = validate(withField(attempt(), 'data.takenAt', takenAt));

    // Assess
    expect(pathsOf(result)).toEqual(['data.takenAt']);
  });

  it('uses the injected clock, not the wall clock', () => {
    // Prepare
    const validateIn2040 = createEventValidator(() => new Date('2040-01-01T00:00:00Z'));
    const future = withField(attempt(), 'data.takenAt', '2039-12-31T23:00:00Z');

    // Act
    const later = validateIn2040(future);
    const today = validate(future);

    // Assess
    expect(later.ok).toBe(true);
    expect(pathsOf(today)).toEqual(['data.takenAt']);
  });

  it.each([
    ['without an offset', '2026-02-28T10:05:00'],
    ['missing', undefined],
  ])('an event timestamp %s is rejected at timestamp', (_title, timestamp) => {
    // Act
    const result = validate(withField(attempt(), 'timestamp', timestamp));

    // Assess
    expect(pathsOf(result)).toEqual(['timestamp']);
  });
});

describe('name is at most 200 characters without control characters', () => {
  it.each([
    ['200 characters', 'n'.repeat(200)],
    ['200 characters outside the BMP', '😀'.repeat(200)],
    ['letters with accents', 'José Ñúñez-Gonçalves'],
    ['non-Latin script', '山田 太郎'],
    ['an apostrophe and quotes', `O'Brien "Junior"`],
  ])('%s is accepted', (_title, name) => {
    // Act
    const result = validate(withField(attempt(), 'data.candidate.name', name));

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each([
    ['201 characters', 'n'.repeat(201)],
    ['201 characters outside the BMP', '😀'.repeat(201)],
    ['a newline', 'Ana\nSilva'],
    ['a carriage return', 'Ana\rBcc: x@example.com'],
    ['a tab', 'Ana\tSilva'],
    ['a NUL', 'Ana\u0000'],
    ['DEL', 'Ana\u007f'],
    ['a C1 control (NEL)', 'Ana\u0085Silva'],
  ])('%s is rejected', (_title, name) => {
    // Act
    const result = validate(withField(attempt(), 'data.candidate.name', name));

    // Assess
    expect(pathsOf(result)).toEqual(['data.candidate.name']);
  });

  it.each([
    ['data.credential.name', attempt()],
    ['data.name', updated({})],
  ])('the same rule holds at %s', (path, event) => {
    // Act
    const tooLong = validate(withField(event, path, 'n'.repeat(201)));
    const control = validate(withField(event, path, 'line\nbreak'));

    // Assess
    expect(pathsOf(tooLong)).toEqual([path]);
    expect(pathsOf(control)).toEqual([path]);
  });
});

describe('types and shapes', () => {
  it.each(['attempt.deleted', 'candidate.created', '', 'ATTEMPT.RECORDED'])(
    'an unknown type %j is rejected at type',
    (type) => {
      // Act
      const result = validate(withField(attempt(), 'type', type));

      // Assess
      expect(pathsOf(result)).toEqual(['type']);
    },
  );

  it('an event without a type is rejected at type', () => {
    // Act
    const result = validate(withField(attempt(), 'type', undefined));

    // Assess
    expect(pathsOf(result)).toEqual(['type']);
  });

  it.each([null, 'text', 42, [], [attempt()]])(
    'a non-object value %j is rejected without throwing',
    (value) => {
      // Act
      const result = validate(value);

      // Assess
      expect(result.ok).toBe(false);
    },
  );

  it.each([
    ['data.outcome', 'passed'],
    ['data.outcome', undefined],
    ['data.credential.name', undefined],
    ['data.credential', undefined],
  ])('a bad or missing %s is reported at its path', (path, value) => {
    // Act
    const result = validate(withField(attempt(), path, value));

    // Assess
    expect(pathsOf(result)).toEqual([path]);
  });

  it('reports every bad field of one event at once', () => {
    // Prepare
    const event = withFields(attempt(), {
      'data.candidate.email': 'nope',
      'data.takenAt': '1999-01-01T00:00:00Z',
    });

    // Act
    const result = validate(event);

    // Assess
    expect(pathsOf(result).sort()).toEqual(['data.candidate.email', 'data.takenAt']);
    expect(result.ok ? [] : result.issues.map((issue) => issue.message.length > 0)).toEqual([
      true,
      true,
    ]);
  });

  it('ignores unknown fields at every level', () => {
    // Prepare
    const event = withFields(attempt(), {
      source: 'lms',
      'data.score': 87,
      'data.candidate.shoeSize': 42,
      'data.credential.level': 'associate',
    });

    // Act
    const result = validate(event);

    // Assess
    expect(result.ok).toBe(true);
    if (result.ok && result.event.type === 'attempt.recorded') {
      expect(result.event.data.attemptId).toBe('att-1001');
      expect(result.event.data.candidate.email).toBe('ana@example.com');
      expect(result.event.data.credential.name).toBe('AWS Serverless Microcredential');
    }
  });
});

describe('candidate.updated removes a field given as null', () => {
  it.each(['name', 'timeZone', 'locale', 'guardianEmail'])(
    '%s: null is accepted and kept as null',
    (field) => {
      // Act
      const result = validate(updated({ [field]: null }));

      // Assess
      expect(result.ok).toBe(true);
      if (result.ok && result.event.type === 'candidate.updated') {
        expect((result.event.data as Record<string, unknown>)[field]).toBeNull();
      }
    },
  );
});

describe('account.merged', () => {
  it('rejects a merge of an account into itself', () => {
    // Prepare
    const event = {
      type: 'account.merged',
      timestamp: '2026-03-01T10:00:00Z',
      data: { fromCandidateId: 'cand-ana', toCandidateId: 'cand-ana' },
    };

    // Act
    const result = validate(event);

    // Assess
    expect(result.ok).toBe(false);
    expect(pathsOf(result)).toHaveLength(1);
    expect(pathsOf(result)[0]).toMatch(/^data(\.|$)/);
  });
});
