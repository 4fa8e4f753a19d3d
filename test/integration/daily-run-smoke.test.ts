import { describe, expect, it } from 'vitest';
import {
  attemptEvent,
  createTestApp,
  emailsTo,
  postEvent,
  runAt,
  uniqueId,
} from './support/harness';

describe('a daily run against the emulators', () => {
  it('emails a renewal reminder once, on its local due date', async () => {
    // Prepare
    const { app } = await createTestApp();
    const candidateId = uniqueId('cand');
    const email = `${candidateId}@example.com`;
    const posted = await postEvent(
      app,
      attemptEvent({
        candidateId,
        timeZone: 'Europe/Lisbon',
        outcome: 'pass',
        takenAt: '2026-02-28T10:00:00Z',
      }),
    );
    expect(posted.statusCode).toBe(202);

    // Act
    const dayBefore = await runAt(app, '2026-11-27T13:00:00Z');
    const onTheDay = await runAt(app, '2026-11-28T13:00:00Z');
    const again = await runAt(app, '2026-11-28T13:00:00Z');

    // Assess
    expect(dayBefore.emails).toEqual([]);
    expect(onTheDay.emails).toHaveLength(1);
    expect(onTheDay.emails[0]?.reminders).toEqual([
      { credentialId: 'aws-serverless', kind: 'renewal_window_open', dueOn: '2026-11-28' },
    ]);
    expect(again.emails).toEqual([]);
    const delivered = await emailsTo(email);
    expect(delivered).toHaveLength(1);
    expect(
      delivered[0]?.headers?.find((header) => header.name === 'List-Unsubscribe-Post')?.value,
    ).toBe('List-Unsubscribe=One-Click');
  });
});
