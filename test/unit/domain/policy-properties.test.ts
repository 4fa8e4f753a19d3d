import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CredentialPolicies,
  policyFor,
  policyLookupOf,
} from '../../../functions/domain/credential-policy';
import { credentialStatusOn } from '../../../functions/domain/credential-status';
import { parsePolicyDocument } from '../../../functions/domain/policy-schema';
import { type Attempt, deriveReminders } from '../../../functions/domain/reminder-rules';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../../functions/domain/rule-settings';
import {
  isoSeconds,
  localDateIn,
  type ModelPolicyFile,
  type ModelTerms,
  modelReminders,
  modelTermsOn,
  plusDays,
  plusMonths,
  reminderText,
  startOfDayMs,
} from '../support/oracle';

/**
 * SPEC §9 on generated policies: random validity, renewal windows (or none), waits and warning
 * lists, in several versions with fields left to the default, checked against the literal model of
 * `test/unit/support/oracle.ts`, which resolves the file by itself. Runs under three host zones
 * (vitest.config.ts). `FC_NUM_RUNS` sets the number of runs.
 */

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 1000);
const TIMEOUT_MS = Math.max(30_000, NUM_RUNS * 30);
const HOUR = 3_600_000;
const START = Date.parse('2020-01-01T00:00:00Z');
const CREDENTIAL = 'cred';

const ZONES = [
  'UTC',
  'America/Los_Angeles',
  'America/Santiago',
  'Europe/Lisbon',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Kiritimati',
] as const;

type TermFields = Partial<ModelTerms>;
const FIELDS = [
  'validityMonths',
  'renewalOpensAfterMonths',
  'retakeWaitDays',
  'expiryWarningDays',
] as const;

/** Whether terms are what SPEC §9 accepts (the generator never makes an invalid file). */
const acceptable = (terms: ModelTerms): boolean =>
  (!terms.renewable || terms.renewalOpensAfterMonths < terms.validityMonths) &&
  terms.expiryWarningDays.every((days) => days < 28 * terms.validityMonths) &&
  new Set(terms.expiryWarningDays).size === terms.expiryWarningDays.length;

/** Complete terms that SPEC §9 accepts. */
const termsArbitrary = (options: { readonly renewable: boolean }): fc.Arbitrary<ModelTerms> =>
  fc.integer({ min: options.renewable ? 2 : 1, max: 60 }).chain((validityMonths) =>
    fc.record({
      validityMonths: fc.constant(validityMonths),
      renewalOpensAfterMonths:
        validityMonths > 1 ? fc.integer({ min: 1, max: validityMonths - 1 }) : fc.constant(1),
      renewable: options.renewable
        ? fc.constant(true)
        : validityMonths === 1
          ? fc.constant(false)
          : fc.boolean(),
      retakeWaitDays: fc.integer({ min: 1, max: 400 }),
      expiryWarningDays: fc.uniqueArray(
        fc.integer({ min: 1, max: Math.min(28 * validityMonths - 1, 1500) }),
        { maxLength: 4 },
      ),
    }),
  );

/**
 * Leaves fields out (`omit[i]`) where the terms, completed from `fallback`, stay acceptable: the
 * part of a version that comes from the default.
 */
const leaveOut = (
  terms: ModelTerms,
  omit: readonly boolean[],
  complete: (fields: TermFields) => ModelTerms,
): TermFields => {
  let fields: TermFields = { ...terms };
  FIELDS.forEach((field, index) => {
    if (!omit[index]) return;
    const { [field]: _dropped, ...rest } = fields;
    if (acceptable(complete(rest))) fields = rest;
  });
  return fields;
};

interface PolicyCase {
  readonly zone: string;
  readonly sendHour: number;
  readonly fallbackWarnings: readonly number[];
  readonly file: ModelPolicyFile;
  readonly document: unknown;
  readonly startMinutes: number;
  readonly steps: ReadonlyArray<{
    readonly outcome: 'pass' | 'fail';
    readonly placement: 'random' | 'at' | 'before' | 'after' | 'version';
    readonly target: 'retake' | 'renewal' | 'warning' | 'expiry';
    readonly gapMinutes: number;
  }>;
}

const policyCaseArbitrary: fc.Arbitrary<PolicyCase> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    sendHour: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 23 })),
    fallbackWarnings: fc.oneof(
      fc.constant([30]),
      fc.uniqueArray(fc.integer({ min: 1, max: 300 }), { maxLength: 3 }),
    ),
    defaultTerms: termsArbitrary({ renewable: true }),
    defaultOmit: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    versions: fc.array(
      fc.record({
        terms: termsArbitrary({ renewable: false }),
        omit: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        renewableField: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
    // Days after 2019-01-01 of each version's effectiveFrom (sorted and unique below).
    versionDays: fc.uniqueArray(fc.integer({ min: 0, max: 4000 }), {
      minLength: 3,
      maxLength: 3,
    }),
    otherCredential: termsArbitrary({ renewable: false }),
    startMinutes: fc.integer({ min: 0, max: 4 * 365 * 24 * 4 }).map((quarters) => quarters * 15),
    steps: fc.array(
      fc.record({
        outcome: fc.constantFrom('pass' as const, 'fail' as const),
        placement: fc.constantFrom(
          'random' as const,
          'random' as const,
          'at' as const,
          'before' as const,
          'after' as const,
          'version' as const,
        ),
        target: fc.constantFrom(
          'retake' as const,
          'renewal' as const,
          'warning' as const,
          'expiry' as const,
        ),
        gapMinutes: fc.integer({ min: 1, max: 60_000 }).map((quarters) => quarters * 15),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .map((drawn) => {
    const fallback = drawn.fallbackWarnings;
    const ownDefault = leaveOut(drawn.defaultTerms, drawn.defaultOmit, (fields) =>
      modelTermsOn({ default: fields, versions: [] }, '1900-01-01', fallback),
    );
    const { renewable: _renewable, ...defaultFields } = ownDefault;
    const dates = [...drawn.versionDays]
      .sort((a, b) => a - b)
      .map((d) => plusDays('2019-01-01', d));
    const versions = drawn.versions.map((version, index) => {
      const effectiveFrom = dates[index] as string;
      const fields = leaveOut(version.terms, version.omit, (own) =>
        modelTermsOn(
          { default: defaultFields, versions: [{ effectiveFrom, ...own }] },
          effectiveFrom,
          fallback,
        ),
      );
      // `renewable` is written out when false, and now and then when true.
      const { renewable, ...rest } = fields;
      return {
        effectiveFrom,
        ...rest,
        ...(renewable === false || version.renewableField ? { renewable: renewable ?? true } : {}),
      };
    });
    const file: ModelPolicyFile = { default: defaultFields, versions };
    const document = {
      ...(Object.keys(defaultFields).length === 0 && drawn.defaultOmit[0]
        ? {}
        : { default: defaultFields }),
      credentials: {
        ...(versions.length === 0 ? {} : { [CREDENTIAL]: versions }),
        // Another credential's versions must not leak into this one's.
        other: [{ effectiveFrom: '2000-01-01', ...drawn.otherCredential }],
      },
    };
    return { ...drawn, file, document };
  })
  .filter((drawn) =>
    acceptable(modelTermsOn({ ...drawn.file, versions: [] }, '1900-01-01', drawn.fallbackWarnings)),
  );

const settingsFor = (policyCase: PolicyCase): RuleSettings => {
  const fallback = { expiryWarningDays: policyCase.fallbackWarnings };
  const parsed = parsePolicyDocument(policyCase.document, fallback);
  if (!parsed.ok) throw new Error(`generated an invalid policy: ${JSON.stringify(parsed.issues)}`);
  return {
    ...DEFAULT_RULE_SETTINGS,
    sendHour: policyCase.sendHour,
    expiryWarningDays: policyCase.fallbackWarnings,
    policies: parsed.policies,
  };
};

const termsOf = (policyCase: PolicyCase) => (date: string) =>
  modelTermsOn(policyCase.file, date, policyCase.fallbackWarnings);

/** Attempts at random times, at the boundaries of due instants, or on a version's first day. */
const attemptsOf = (policyCase: PolicyCase): Attempt[] => {
  const attempts: Attempt[] = [];
  const termsOn = termsOf(policyCase);
  let at = START + policyCase.startMinutes * 60_000;
  policyCase.steps.forEach((step, index) => {
    const previous = localDateIn(at, policyCase.zone);
    if (index > 0 && step.placement === 'version') {
      const next = policyCase.file.versions.find((version) => version.effectiveFrom > previous);
      at =
        next === undefined
          ? at + step.gapMinutes * 60_000
          : startOfDayMs(next.effectiveFrom, policyCase.zone) + (step.gapMinutes % 1440) * 60_000;
    } else if (index > 0 && step.placement !== 'random') {
      const terms = termsOn(previous);
      const expiry = plusMonths(previous, terms.validityMonths);
      const dueOn = {
        retake: plusDays(previous, terms.retakeWaitDays),
        renewal: plusMonths(previous, terms.renewalOpensAfterMonths),
        warning: plusDays(expiry, -(terms.expiryWarningDays[0] ?? 1)),
        expiry,
      }[step.target];
      const dueMs = startOfDayMs(dueOn, policyCase.zone) + policyCase.sendHour * HOUR;
      at =
        dueMs + { at: 0, before: -1000, after: 1000 }[step.placement as 'at' | 'before' | 'after'];
    } else if (index > 0) {
      at += step.gapMinutes * 60_000;
    }
    attempts.push({ attemptId: `att-${index}`, outcome: step.outcome, takenAt: isoSeconds(at) });
  });
  // Strictly increasing instants, as the model needs distinct ones.
  return attempts.filter(
    (attempt, index) => index === 0 || attempt.takenAt > (attempts[index - 1] as Attempt).takenAt,
  );
};

const withStage = (reminder: Parameters<typeof reminderText>[0] & { readonly stage: number }) =>
  `${reminderText(reminder)} stage ${reminder.stage}`;

describe('properties of the rules under any valid credential policy (SPEC §9)', () => {
  it(
    'every generated policy file is accepted, and resolves each date as the model does',
    () => {
      fc.assert(
        fc.property(policyCaseArbitrary, fc.integer({ min: 0, max: 5000 }), (policyCase, day) => {
          // Prepare
          const settings = settingsFor(policyCase);
          const on = plusDays('2018-06-01', day);

          // Act
          const version = policyFor(settings.policies as CredentialPolicies, CREDENTIAL, on);

          // Assess
          const expected = termsOf(policyCase)(on);
          expect({ ...version, expiryWarningDays: [...version.expiryWarningDays].sort() }).toEqual(
            expect.objectContaining({
              ...expected,
              expiryWarningDays: [...expected.expiryWarningDays].sort(),
            }),
          );
        }),
        { numRuns: NUM_RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'derived reminders, their due instants and stages are exactly those of the model',
    () => {
      fc.assert(
        fc.property(policyCaseArbitrary, (policyCase) => {
          // Prepare
          const attempts = attemptsOf(policyCase);
          const settings = settingsFor(policyCase);

          // Act: given in reverse, since the order of attempts must not matter
          const reminders = deriveReminders(
            {
              candidateId: 'cand',
              credentialId: CREDENTIAL,
              timeZone: policyCase.zone,
              attempts: [...attempts].reverse(),
            },
            settings,
          );

          // Assess
          const expected = modelReminders(
            attempts,
            policyCase.zone,
            policyCase.sendHour,
            policyCase.file,
            policyCase.fallbackWarnings,
          );
          expect(reminders.map(withStage).sort()).toEqual(expected.map(withStage).sort());
          for (const reminder of reminders) expect(reminder.dueOn > reminder.anchorOn).toBe(true);
        }),
        { numRuns: NUM_RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'the status of a credential on any date uses the same dates as its reminders',
    () => {
      fc.assert(
        fc.property(policyCaseArbitrary, fc.integer({ min: 0, max: 3000 }), (policyCase, day) => {
          // Prepare
          const attempts = attemptsOf(policyCase);
          const settings = settingsFor(policyCase);
          const on = plusDays('2020-01-01', day);
          const termsOn = termsOf(policyCase);

          // Act
          const status = credentialStatusOn(
            attempts,
            policyCase.zone,
            on,
            policyLookupOf(settings, CREDENTIAL),
          );

          // Assess
          if (status.passedOn === undefined) return;
          const terms = termsOn(status.passedOn);
          expect(status.expiresOn).toBe(plusMonths(status.passedOn, terms.validityMonths));
          expect(status.renewalOpensOn).toBe(
            terms.renewable
              ? plusMonths(status.passedOn, terms.renewalOpensAfterMonths)
              : undefined,
          );
        }),
        { numRuns: NUM_RUNS },
      );
    },
    TIMEOUT_MS,
  );
});
