import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { isKnownTimeZone, parseInstant } from './calendar';

/**
 * Schemas of the four events of SPEC §2, with every validation rule there. Unknown fields are
 * dropped; unknown `type`s are rejected. Written with zod's tree-shakable `mini` API, so that a
 * Lambda bundle carries a few kilobytes of it rather than all of zod.
 */
z.config(en());

const ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;
// Deliberately simple and strict: one @, no spaces or angle brackets, a dotted domain.
const EMAIL_PATTERN =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse them
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const ISO_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;
const EARLIEST_ATTEMPT = parseInstant('2000-01-01T00:00:00Z');
const ALLOWED_CLOCK_SKEW_MS = 5 * 60 * 1000;

export const idSchema = z
  .string()
  .check(z.regex(ID_PATTERN, 'must be 1-128 characters of A-Z a-z 0-9 . _ : @ -'));

export const emailSchema = z
  .string()
  .check(
    z.maxLength(254, 'must be at most 254 characters'),
    z.regex(EMAIL_PATTERN, 'must be a valid email address'),
  );

export const timeZoneSchema = z
  .string()
  .check(
    z.refine(isKnownTimeZone, 'must be an IANA time zone known to Intl, such as Europe/Lisbon'),
  );

export const nameSchema = z.string().check(
  z.maxLength(200, 'must be at most 200 characters'),
  z.refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters'),
);

export const localeSchema = z.string().check(
  z.maxLength(35, 'must be at most 35 characters'),
  z.refine((value) => {
    try {
      return Intl.getCanonicalLocales(value).length === 1;
    } catch {
      return false;
    }
  }, 'must be a BCP 47 language tag such as en-GB'),
);

/** Epoch milliseconds of an ISO instant, or undefined when it is not one. */
const checkedEpochMilliseconds = (value: string): number | undefined => {
  if (!ISO_WITH_OFFSET.test(value)) return undefined;
  try {
    return parseInstant(value).epochMilliseconds;
  } catch {
    return undefined;
  }
};

/** An ISO 8601 instant that carries an offset or `Z`. */
export const instantSchema = z
  .string()
  .check(
    z.refine(
      (value) => checkedEpochMilliseconds(value) !== undefined,
      'must be a real ISO 8601 instant with an offset, e.g. 2027-02-28T10:05:00Z',
    ),
  );

const candidateSchema = z.object({
  candidateId: idSchema,
  email: emailSchema,
  name: z.optional(nameSchema),
  timeZone: z.optional(timeZoneSchema),
  locale: z.optional(localeSchema),
  guardianEmail: z.optional(emailSchema),
});

const credentialSchema = z.object({
  credentialId: idSchema,
  name: nameSchema,
});

/** Everything an event may carry about a candidate's profile. `null` removes a field. */
export interface ProfileChanges {
  email?: string | undefined;
  name?: string | null | undefined;
  timeZone?: string | null | undefined;
  locale?: string | null | undefined;
  guardianEmail?: string | null | undefined;
}

const makeAttemptRecorded = (now: () => Date) =>
  z.object({
    type: z.literal('attempt.recorded'),
    timestamp: instantSchema,
    data: z.object({
      attemptId: idSchema,
      candidate: candidateSchema,
      credential: credentialSchema,
      outcome: z.enum(['pass', 'fail']),
      takenAt: instantSchema.check(
        z.superRefine((value, context) => {
          const epoch = checkedEpochMilliseconds(value);
          if (epoch === undefined) return; // already reported by instantSchema
          if (epoch < EARLIEST_ATTEMPT.epochMilliseconds) {
            context.addIssue({
              code: 'custom',
              message: 'must not be before 2000-01-01',
              input: value,
            });
          } else if (epoch > now().getTime() + ALLOWED_CLOCK_SKEW_MS) {
            context.addIssue({
              code: 'custom',
              message: 'must not be more than 5 minutes in the future',
              input: value,
            });
          }
        }),
      ),
    }),
  });

const candidateUpdated = z.object({
  type: z.literal('candidate.updated'),
  timestamp: instantSchema,
  data: z.object({
    candidateId: idSchema,
    email: z.optional(emailSchema),
    name: z.optional(z.nullable(nameSchema)),
    timeZone: z.optional(z.nullable(timeZoneSchema)),
    locale: z.optional(z.nullable(localeSchema)),
    guardianEmail: z.optional(z.nullable(emailSchema)),
  }),
});

const candidateErased = z.object({
  type: z.literal('candidate.erased'),
  timestamp: instantSchema,
  data: z.object({ candidateId: idSchema }),
});

const accountMerged = z.object({
  type: z.literal('account.merged'),
  timestamp: instantSchema,
  data: z.object({ fromCandidateId: idSchema, toCandidateId: idSchema }).check(
    z.refine((data) => data.fromCandidateId !== data.toCandidateId, {
      message: 'must name two different accounts',
      path: ['toCandidateId'],
    }),
  ),
});

const EVENT_TYPES = [
  'attempt.recorded',
  'candidate.updated',
  'candidate.erased',
  'account.merged',
] as const;

/**
 * Builds the event schema. `now` is the clock used for the "not more than 5 minutes in the future"
 * rule on `takenAt`.
 *
 * @example
 * const schema = makeEventSchema(() => new Date());
 * schema.safeParse({ type: 'candidate.erased', timestamp: '2027-01-01T00:00:00Z', data: { candidateId: 'c-1' } }).success; // true
 */
export const makeEventSchema = (now: () => Date) =>
  z.discriminatedUnion(
    'type',
    [makeAttemptRecorded(now), candidateUpdated, candidateErased, accountMerged],
    {
      error: (issue) =>
        issue.code === 'invalid_union' ? `must be one of ${EVENT_TYPES.join(', ')}` : undefined,
    },
  );

export type CertificationEvent = z.infer<ReturnType<typeof makeEventSchema>>;
export type AttemptRecorded = Extract<CertificationEvent, { type: 'attempt.recorded' }>;
export type CandidateUpdated = Extract<CertificationEvent, { type: 'candidate.updated' }>;
export type CandidateErased = Extract<CertificationEvent, { type: 'candidate.erased' }>;
export type AccountMerged = Extract<CertificationEvent, { type: 'account.merged' }>;

/** One validation problem: the dotted path of the field and what is wrong with it. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

export type EventValidation =
  | { readonly ok: true; readonly event: CertificationEvent }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Builds a validator of already-parsed JSON values as events; `now` is its clock.
 *
 * @example
 * const validateEvent = createEventValidator(() => new Date());
 * const result = validateEvent({ type: 'nope' });
 * result.ok; // false
 * result.issues[0].path; // 'type'
 */
export const createEventValidator = (now: () => Date) => {
  const schema = makeEventSchema(now);
  return (value: unknown): EventValidation => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return { ok: true, event: parsed.data };
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    };
  };
};

/**
 * The content of an attempt event that a repeat of its `attemptId` must match to be a duplicate
 * (SPEC §2): all of `data`, with `takenAt` compared as an instant and fields in a fixed order. The
 * envelope's `timestamp` is not content: a re-delivery may carry a new one.
 */
export const attemptFingerprint = (event: AttemptRecorded): string => {
  const { attemptId, candidate, credential, outcome, takenAt } = event.data;
  return JSON.stringify([
    attemptId,
    outcome,
    checkedEpochMilliseconds(takenAt),
    credential.credentialId,
    credential.name,
    candidate.candidateId,
    candidate.email,
    candidate.name ?? null,
    candidate.timeZone ?? null,
    candidate.locale ?? null,
    candidate.guardianEmail ?? null,
  ]);
};
