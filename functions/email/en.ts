import type { Catalogue } from './catalogue';

/** "1 day", "30 days". */
const days = (count: number): string => (count === 1 ? '1 day' : `${count} days`);

/**
 * The English copy of the reminder email, and the fallback for every locale without its own
 * catalogue.
 *
 * @example
 * en.reminders.renewal_window_open.subject({ credential: 'AWS Serverless Microcredential' });
 * // 'You can now renew AWS Serverless Microcredential'
 * en.reminders.expiring_soon.status({ daysLeft: 0 }); // 'Expires today'
 */
export const en: Catalogue = {
  language: 'en',
  email: {
    digestSubject: ({ count }) => `${count} updates about your certifications`,
    greeting: ({ name }) => `Dear ${name},`,
    greetingWithoutName: 'Hello,',
    intro: ({ count }) =>
      count === 1
        ? 'Here is an update about your certification, with the dates that matter.'
        : 'Here is what you can do for each of your certifications, with the dates that matter.',
    signOff: 'Kind regards,',
    eyebrow: 'Certification notice',
    reason: ({ programme }) =>
      `You are receiving this email because you have taken a certification exam, and ${programme} lets candidates know when they can renew or retake an exam and before a credential expires.`,
    guardianNote:
      'This is a teen account, so a copy of this email is sent to your parent or guardian.',
    unsubscribeText: ({ url }) => `To stop receiving these reminders, unsubscribe here: ${url}`,
    unsubscribeHtml: { before: "Don't want these reminders? ", link: 'Unsubscribe', after: '.' },
    credentialIdLabel: 'Credential ID',
    daysLeftLabel: 'Days left',
    unnamedCredential: 'your credential',
  },
  reminders: {
    renewal_window_open: {
      status: 'Renewal window open',
      subject: ({ credential }) => `You can now renew ${credential}`,
      windowOpen: ({ credential }) => `The renewal window for ${credential} is open.`,
      renewBetween: ({ from, until }) =>
        `You can renew from ${from} until ${until}, when your current credential expires.`,
      advice: 'Renewing before then keeps you certified without a gap.',
      labels: { renewFrom: 'Renew from', expiresOn: 'Expires on' },
    },
    retake_available: {
      status: 'Retake available',
      subject: ({ credential }) => `You can now retake ${credential}`,
      waitOver: ({ credential }) =>
        `The waiting period before you can sit ${credential} again is over.`,
      waitOverSince: ({ credential, failedOn }) =>
        `The waiting period after your attempt at ${credential} on ${failedOn} is over.`,
      retakeFrom: ({ from }) => `You can retake the exam from ${from}.`,
      stillValid: ({ expiresOn }) =>
        `Your current credential remains valid until it expires on ${expiresOn}, so this counts as a renewal attempt.`,
      lapsed: ({ expiresOn }) =>
        `Your earlier credential expired on ${expiresOn}; passing the exam certifies you again.`,
      lapsedSincePass: ({ passedOn, expiresOn }) =>
        `Your earlier credential, passed on ${passedOn}, expired on ${expiresOn}; passing the exam certifies you again.`,
      labels: {
        retakeFrom: 'Retake from',
        lastAttempt: 'Last attempt',
        validUntil: 'Valid until',
        expiredOn: 'Expired on',
      },
    },
    expiring_soon: {
      status: ({ daysLeft }) => (daysLeft === 0 ? 'Expires today' : `Expires in ${days(daysLeft)}`),
      subject: ({ credential, daysLeft }) =>
        daysLeft === 0
          ? `${credential} expires today`
          : `${credential} expires in ${days(daysLeft)}`,
      expiresOn: ({ credential, expiresOn, daysLeft }) =>
        `${credential} expires on ${expiresOn}: ${days(daysLeft)} left.`,
      advice: 'Renew before then to stay certified without a gap.',
      labels: { expiresOn: 'Expires on' },
    },
    expired: {
      status: 'Expired',
      subject: ({ credential }) => `${credential} has expired`,
      expiredOn: ({ credential, expiredOn }) => `${credential} expired on ${expiredOn}.`,
      retakeAnyTime: 'You can retake the exam at any time to become certified again.',
      retakeFrom: ({ from }) =>
        `After your last attempt, you can retake the exam from ${from} to become certified again.`,
      labels: { expiredOn: 'Expired on', passedOn: 'Passed on', retakeFrom: 'Retake from' },
    },
  },
};
