import { describe, expect, it } from 'vitest';
import { createEventFold } from '../../../functions/domain/event-fold';
import {
  accountMerged,
  attemptRecorded,
  candidateErased,
  candidateUpdated,
  valid,
} from '../support/events';

/** SPEC §2: how events fold into candidates, in any arrival order. */

const foldOf = (events: readonly unknown[]) => {
  const fold = createEventFold();
  const outcomes = events.map((event) => fold.apply(valid(event)));
  return { fold, outcomes };
};

const viewOf = (events: readonly unknown[], candidateId: string) =>
  foldOf(events)
    .fold.candidates()
    .find((candidate) => candidate.candidateId === candidateId);

const attemptIdsOf = (view: ReturnType<typeof viewOf>) =>
  (view?.credentials ?? []).flatMap((credential) =>
    credential.attempts.map((attempt) => `${credential.credentialId}:${attempt.attemptId}`),
  );

describe('profile fields are last-writer-wins by event timestamp', () => {
  const newer = candidateUpdated('ana', '2026-03-02T10:00:00Z', { email: 'new@example.com' });
  const older = candidateUpdated('ana', '2026-03-01T10:00:00Z', { email: 'old@example.com' });

  it.each([
    ['newer first', [newer, older]],
    ['older first', [older, newer]],
  ])('the newer email wins whatever the arrival order (%s)', (_title, events) => {
    // Act
    const view = viewOf(events, 'ana');

    // Assess
    expect(view?.profile.email).toBe('new@example.com');
  });

  it('judges each field on its own', () => {
    // Prepare
    const events = [
      candidateUpdated('ana', '2026-03-02T10:00:00Z', {
        name: 'Ana Newer',
        email: 'a2@example.com',
      }),
      candidateUpdated('ana', '2026-03-01T10:00:00Z', {
        timeZone: 'Asia/Tokyo',
        email: 'a1@example.com',
      }),
    ];

    // Act
    const view = viewOf(events, 'ana');

    // Assess
    expect(view?.profile).toMatchObject({
      candidateId: 'ana',
      name: 'Ana Newer',
      email: 'a2@example.com',
      timeZone: 'Asia/Tokyo',
    });
  });

  it('treats the candidate block of an attempt as a write at the attempt event timestamp', () => {
    // Prepare
    const events = [
      attemptRecorded({
        attemptId: 'a-1',
        candidateId: 'ana',
        outcome: 'pass',
        takenAt: '2026-01-10T09:00:00Z',
        timestamp: '2026-03-05T00:00:00Z',
        email: 'from-attempt@example.com',
      }),
      candidateUpdated('ana', '2026-03-01T00:00:00Z', {
        email: 'from-update@example.com',
        timeZone: 'Asia/Tokyo',
      }),
    ];

    // Act
    const view = viewOf(events, 'ana');

    // Assess: the attempt is newer for email; it says nothing of timeZone, so that stays
    expect(view?.profile.email).toBe('from-attempt@example.com');
    expect(view?.profile.timeZone).toBe('Asia/Tokyo');
  });

  it('compares timestamps as instants, not as text', () => {
    // Prepare: 10:00+02:00 is 08:00Z, earlier than 09:00Z although its text sorts later
    const events = [
      candidateUpdated('ana', '2026-03-01T09:00:00Z', { name: 'Later' }),
      candidateUpdated('ana', '2026-03-01T10:00:00+02:00', { name: 'Earlier' }),
    ];

    // Act
    const view = viewOf(events, 'ana');

    // Assess
    expect(view?.profile.name).toBe('Later');
  });

  it.each([
    ['after', '2026-03-02T10:00:00Z', undefined],
    ['before', '2026-02-28T10:00:00Z', 'Asia/Tokyo'],
  ])('null removes a field when written %s the value', (_title, timestamp, expected) => {
    // Prepare
    const events = [
      candidateUpdated('ana', '2026-03-01T10:00:00Z', {
        timeZone: 'Asia/Tokyo',
        email: 'ana@example.com',
      }),
      candidateUpdated('ana', timestamp, { timeZone: null }),
    ];

    // Act
    const view = viewOf(events, 'ana');

    // Assess
    expect(view?.profile.timeZone).toBe(expected);
    expect(view?.profile.email).toBe('ana@example.com');
  });
});

describe('a repeated profile update', () => {
  const update = candidateUpdated('ana', '2026-03-01T10:00:00Z', { email: 'ana@example.com' });

  it('is reported as a duplicate and changes nothing', () => {
    // Act
    const { fold, outcomes } = foldOf([update, update]);

    // Assess
    expect(outcomes).toEqual(['imported', 'duplicate']);
    expect(fold.candidates()[0]?.profile).toEqual({ candidateId: 'ana', email: 'ana@example.com' });
  });

  it('is a duplicate even after a later update of another field', () => {
    // Prepare
    const later = candidateUpdated('ana', '2026-03-02T10:00:00Z', { name: 'Ana' });

    // Act
    const { outcomes } = foldOf([update, later, update]);

    // Assess
    expect(outcomes).toEqual(['imported', 'imported', 'duplicate']);
  });

  it('an older update that loses to the field’s later value is taken in, and changes nothing', () => {
    // Prepare
    const older = candidateUpdated('ana', '2026-02-01T10:00:00Z', { email: 'older@example.com' });

    // Act
    const { fold, outcomes } = foldOf([update, older]);

    // Assess
    expect(outcomes).toEqual(['imported', 'imported']);
    expect(fold.candidates()[0]?.profile.email).toBe('ana@example.com');
  });
});

describe('attemptId is unique forever', () => {
  const original = attemptRecorded({
    attemptId: 'a-1',
    candidateId: 'ana',
    outcome: 'pass',
    takenAt: '2026-01-10T09:00:00Z',
  });

  it('a repeat with identical content is a duplicate', () => {
    // Act
    const { fold, outcomes } = foldOf([original, original]);

    // Assess
    expect(outcomes).toEqual(['imported', 'duplicate']);
    expect(attemptIdsOf(fold.candidates()[0])).toEqual(['aws-cp:a-1']);
  });

  it.each([
    ['another outcome', { outcome: 'fail' as const }],
    ['another takenAt', { takenAt: '2026-01-11T09:00:00Z' }],
    ['another candidate', { candidateId: 'ben' }],
    ['another credential', { credentialId: 'gcp-ace' }],
  ])('a repeat with %s is a conflict and changes nothing', (_title, change) => {
    // Prepare
    const repeat = attemptRecorded({
      attemptId: 'a-1',
      candidateId: 'ana',
      outcome: 'pass',
      takenAt: '2026-01-10T09:00:00Z',
      ...change,
      timestamp: '2026-06-01T00:00:00Z',
      email: 'changed@example.com',
    });

    // Act
    const { fold, outcomes } = foldOf([original, repeat]);

    // Assess
    expect(outcomes).toEqual(['imported', 'conflict']);
    const views = fold.candidates();
    expect(views.map((view) => view.candidateId)).toEqual(['ana']);
    expect(views[0]?.profile.email).toBe('ana@example.com');
    expect(views[0]?.credentials).toEqual([
      {
        credentialId: 'aws-cp',
        name: 'Cloud Practitioner',
        attempts: [{ attemptId: 'a-1', outcome: 'pass', takenAt: '2026-01-10T09:00:00Z' }],
      },
    ]);
  });
});

describe('candidate.erased', () => {
  const attemptsOfAna = [
    attemptRecorded({
      attemptId: 'a-1',
      candidateId: 'ana',
      outcome: 'pass',
      takenAt: '2026-01-10T09:00:00Z',
    }),
    attemptRecorded({
      attemptId: 'a-2',
      candidateId: 'ana',
      outcome: 'fail',
      takenAt: '2026-02-10T09:00:00Z',
      credentialId: 'gcp-ace',
    }),
  ];
  const attemptOfBen = attemptRecorded({
    attemptId: 'b-1',
    candidateId: 'ben',
    outcome: 'pass',
    takenAt: '2026-01-10T09:00:00Z',
  });
  const erase = candidateErased('ana', '2026-03-01T00:00:00Z');

  it.each([
    ['after the attempts', [...attemptsOfAna, attemptOfBen, erase]],
    ['before the attempts in the file', [erase, ...attemptsOfAna, attemptOfBen]],
    ['between the attempts', [attemptsOfAna[0], erase, attemptOfBen, attemptsOfAna[1]]],
    [
      'followed by a profile update',
      [
        ...attemptsOfAna,
        erase,
        attemptOfBen,
        candidateUpdated('ana', '2026-04-01T00:00:00Z', { name: 'Back' }),
      ],
    ],
  ])('removes the candidate and all their attempts when it arrives %s', (_title, events) => {
    // Act
    const views = foldOf(events).fold.candidates();

    // Assess
    expect(views.map((view) => view.candidateId)).toEqual(['ben']);
    expect(attemptIdsOf(views[0])).toEqual(['aws-cp:b-1']);
  });
});

describe('account.merged', () => {
  const sourcePass = attemptRecorded({
    attemptId: 's-1',
    candidateId: 'old-acct',
    outcome: 'pass',
    takenAt: '2026-01-10T09:00:00Z',
    timeZone: 'Asia/Tokyo',
    email: 'old@example.com',
    name: 'Old Name',
  });
  const sourceFail = attemptRecorded({
    attemptId: 's-2',
    candidateId: 'old-acct',
    credentialId: 'gcp-ace',
    credentialName: 'Associate Cloud Engineer',
    outcome: 'fail',
    takenAt: '2026-02-10T03:00:00Z',
    timestamp: '2026-06-01T00:00:00Z',
    timeZone: 'Asia/Tokyo',
    email: 'old@example.com',
  });
  const targetPass = attemptRecorded({
    attemptId: 't-1',
    candidateId: 'new-acct',
    outcome: 'pass',
    takenAt: '2026-03-01T20:00:00Z',
    timeZone: 'America/Los_Angeles',
    email: 'new@example.com',
  });
  const merge = accountMerged('old-acct', 'new-acct', '2026-04-01T00:00:00Z');

  it.each([
    ['after the attempts', [sourcePass, sourceFail, targetPass, merge]],
    ['before the attempts', [merge, sourcePass, targetPass, sourceFail]],
  ])('moves the attempts to the target, whose profile wins (merge %s)', (_title, events) => {
    // Act
    const views = foldOf(events).fold.candidates();

    // Assess
    expect(views.map((view) => view.candidateId)).toEqual(['new-acct']);
    expect(attemptIdsOf(views[0]).sort()).toEqual(['aws-cp:s-1', 'aws-cp:t-1', 'gcp-ace:s-2']);
    expect(views[0]?.profile).toMatchObject({
      candidateId: 'new-acct',
      email: 'new@example.com',
      timeZone: 'America/Los_Angeles',
    });
    expect(
      views[0]?.credentials.find((credential) => credential.credentialId === 'gcp-ace')?.name,
    ).toBe('Associate Cloud Engineer');
  });

  it('follows chains of merges to the surviving account', () => {
    // Prepare
    const events = [
      sourcePass,
      targetPass,
      attemptRecorded({
        attemptId: 'z-1',
        candidateId: 'final-acct',
        outcome: 'fail',
        takenAt: '2026-05-01T00:00:00Z',
      }),
      merge,
      accountMerged('new-acct', 'final-acct', '2026-05-02T00:00:00Z'),
    ];

    // Act
    const { fold } = foldOf(events);

    // Assess
    expect(fold.candidates().map((view) => view.candidateId)).toEqual(['final-acct']);
    expect(attemptIdsOf(fold.candidates()[0]).sort()).toEqual([
      'aws-cp:s-1',
      'aws-cp:t-1',
      'aws-cp:z-1',
    ]);
    expect(fold.canonical('old-acct')).toBe('final-acct');
  });

  it('refuses a merge back into an account that was merged away (a cycle)', () => {
    // Act
    const { outcomes } = foldOf([
      sourcePass,
      targetPass,
      merge,
      accountMerged('new-acct', 'old-acct', '2026-05-01T00:00:00Z'),
    ]);

    // Assess
    expect(outcomes).toEqual(['imported', 'imported', 'imported', 'conflict']);
  });

  it.each([
    ['the target', 'new-acct'],
    ['the source', 'old-acct'],
  ])('erasing %s after the merge erases the merged person', (_title, erasedId) => {
    // Prepare
    const other = attemptRecorded({
      attemptId: 'b-1',
      candidateId: 'ben',
      outcome: 'pass',
      takenAt: '2026-01-10T09:00:00Z',
    });
    const events = [
      sourcePass,
      sourceFail,
      targetPass,
      merge,
      other,
      candidateErased(erasedId, '2026-05-01T00:00:00Z'),
    ];

    // Act
    const views = foldOf(events).fold.candidates();

    // Assess
    expect(views.map((view) => view.candidateId)).toEqual(['ben']);
  });
});
