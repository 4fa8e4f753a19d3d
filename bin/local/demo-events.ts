import { Temporal } from 'temporal-polyfill';
import type { LocalDate } from '../../functions/domain/calendar';

/**
 * Demo candidates whose first run, on whatever day the stack starts, emails one of each kind:
 * a renewal, a retake, a teen's digest of two (copied to the guardian) and an expiry; one more
 * candidate has nothing due yet. Dates are relative to `today` so the demo never goes stale.
 *
 * Two more hold full certifications that `examples/policies.json` makes valid for 36 months
 * (SPEC §9): with `POLICY_FILE=examples/policies.json` the first run emails them a 90-day
 * expiry warning and a renewal opened after 30 months; without it they follow the default
 * policy, their passes expired long ago, and the run skips those reminders as stale.
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
  const architect = {
    credentialId: 'aws-solutions-architect-professional',
    name: 'AWS Certified Solutions Architect – Professional',
  };
  const devops = {
    credentialId: 'aws-devops-engineer-professional',
    name: 'AWS Certified DevOps Engineer – Professional',
  };

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
  const fay = {
    candidateId: 'demo-fay',
    email: 'fay.haddad@example.com',
    name: 'Fay Haddad',
    timeZone: 'Asia/Beirut',
    locale: 'en-GB',
  };
  const gus = {
    candidateId: 'demo-gus',
    email: 'gus.lindqvist@example.com',
    name: 'Gus Lindqvist',
    timeZone: 'Europe/Stockholm',
  };
  // SES's mailbox simulator address (SPEC §4): the local stack bounces the email sent to it, and
  // the bounce suppresses the address, as a hard bounce does on AWS.
  const bounce = {
    candidateId: 'demo-bounce',
    email: 'bounce@simulator.amazonses.com',
    name: 'Bounce Simulator',
    timeZone: 'UTC',
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
    // Full certifications (examples/policies.json: 36 months, renewal after 30, warned at 90,
    // 30 and 7 days): expires in 88 days, so the 90-day warning fell due two days ago…
    attempt('demo-att-7', fay, architect, 'pass', date.add({ days: 88 }).subtract({ months: 36 })),
    // …and the renewal window opened yesterday, 30 months after passing.
    attempt('demo-att-8', gus, devops, 'pass', date.subtract({ days: 1 }).subtract({ months: 30 })),
    // Renewal window opened two days ago: emailed to the simulator's bounce address, it bounces.
    attempt(
      'demo-att-bounce',
      bounce,
      security,
      'pass',
      date.subtract({ days: 2 }).subtract({ months: 9 }),
    ),
  ];
};
