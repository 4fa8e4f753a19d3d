import type { EmailReminder } from '../../../functions/email/email-input';

/**
 * Reminders as the email module takes them, for the tests of its wording and rendering: one pass
 * of AWS Serverless Microcredential on 2027-02-28 (renewal from 2027-11-29, expiry 2028-02-28).
 */

export const renewal: EmailReminder = {
  kind: 'renewal_window_open',
  credentialId: 'aws-sls',
  key: 'aws-sls#renewal_window_open#att-1',
  credentialName: 'AWS Serverless Microcredential',
  dueOn: '2027-11-29',
  dates: { passedOn: '2027-02-28', renewalOpensOn: '2027-11-29', expiresOn: '2028-02-28' },
};

export const expired: EmailReminder = {
  kind: 'expired',
  credentialId: 'aws-sls',
  key: 'aws-sls#expired#att-1',
  credentialName: 'AWS Serverless Microcredential',
  dueOn: '2028-02-28',
  dates: { passedOn: '2027-02-28', renewalOpensOn: '2027-11-28', expiresOn: '2028-02-28' },
};
