import { Temporal } from 'temporal-polyfill';
import type { LocalDate } from '../../functions/domain/calendar';

/**
 * Demo candidates whose first run, on whatever day the stack starts, emails one of each kind:
 * a renewal, a retake, a teen's digest of two (copied to the guardian) and an expiry; one more
 * candidate has nothing due yet. Dates are relative to `today` so the demo never goes stale.
 */
export const demoEvents = (today: LocalDate): unknown[] => {
  const date = Temporal.PlainDate.from(today);
  const at = (day: Temporal.PlainDate, timeZone: string, time = '10:00') =>
    day
      .toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from(time) })
      .toInstant()
      .toString();
  const attempt = (
    attemptId: string,
    candidate: Record<string, string>,
    credential: { credentialId: string; name: string },
    outcome: 'pass' | 'fail',
    takenOn: Temporal.PlainDate,
  ) => {
    const takenAt = at(takenOn, candidate.timeZone ?? 'UTC');
    return {
      type: 'attempt.recorded',
      timestamp: takenAt,
      data: { attemptId, candidate, credential, outcome, takenAt },
    };
  };
  const serverless = { credentialId: 'aws-serverless', name: 'AWS Serverless Microcredential' };
  const data = { credentialId: 'aws-data-pipelines', name: 'AWS Data Pipelines Microcredential' };
  const ai = { credentialId: 'aws-generative-ai', name: 'AWS Generative AI Microcredential' };
  const security = { credentialId: 'aws-security', name: 'AWS Cloud Security Microcredential' };

  const ana = {
    candidateId: 'demo-ana',
    email: 'ana.silva@example.com',
    name: 'Ana Silva',
    timeZone: 'Europe/Lisbon',
    locale: 'pt-PT',
  };
  const ben = {
    candidateId: 'demo-ben',
    email: 'ben.okafor@example.com',
    name: 'Ben Okafor',
    timeZone: 'America/Los_Angeles',
    locale: 'en-US',
  };
  const chloe = {
    candidateId: 'demo-chloe',
    email: 'chloe.martin@example.com',
    name: 'Chloé Martin',
    timeZone: 'Asia/Tokyo',
    locale: 'en-GB',
    guardianEmail: 'parent.martin@example.com',
  };
  const dev = {
    candidateId: 'demo-dev',
    email: 'dev.patel@example.com',
    name: 'Dev Patel',
    timeZone: 'Asia/Kolkata',
  };
  const eve = {
    candidateId: 'demo-eve',
    email: 'eve.nakamura@example.com',
    name: 'Eve Nakamura',
    timeZone: 'Pacific/Auckland',
  };

  return [
    // Renewal window opened three days ago.
    attempt(
      'demo-att-1',
      ana,
      serverless,
      'pass',
      date.subtract({ days: 3 }).subtract({ months: 9 }),
    ),
    // Failed 27 days ago: the 25-day wait ended two days ago.
    attempt('demo-att-2', ben, data, 'fail', date.subtract({ days: 27 })),
    // A teen with two credentials: one expires in 29 days, the other's renewal just opened.
    attempt('demo-att-3', chloe, ai, 'pass', date.add({ days: 29 }).subtract({ months: 12 })),
    attempt(
      'demo-att-4',
      chloe,
      security,
      'pass',
      date.subtract({ days: 1 }).subtract({ months: 9 }),
    ),
    // Expired four days ago; the older renewal and warning are stale and are skipped.
    attempt(
      'demo-att-5',
      dev,
      serverless,
      'pass',
      date.subtract({ days: 4 }).subtract({ months: 12 }),
    ),
    // Passed two months ago: nothing due yet.
    attempt('demo-att-6', eve, data, 'pass', date.subtract({ months: 2 })),
  ];
};
