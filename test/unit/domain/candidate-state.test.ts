import { describe, expect, it } from 'vitest';
import type { ClaimRecord, LedgerRecord } from '../../../functions/domain/candidate-ledger';
import {
  absorbAccount,
  aliasOf,
  applyAttempts,
  applyProfileWrites,
  attemptIdsOf,
  type CandidateState,
  emptyCandidate,
  isActive,
  profileOf,
  tombstoneOf,
  viewOf,
} from '../../../functions/domain/candidate-state';
import { incoming, withAttempts, writes } from '../support/candidates';

/**
 * The pure transitions of one candidate (SPEC §2): what an attempt, a profile write, a merge and
 * an erasure do to the one value the store keeps per candidate.
 */

const T1 = Date.parse('2027-03-01T10:00:00Z');
const T2 = Date.parse('2027-03-02T10:00:00Z');

const A1 = incoming({ attemptId: 'a-1', takenAt: '2027-01-10T09:00:00Z' });
const A2 = incoming({ attemptId: 'a-2', outcome: 'fail', takenAt: '2027-02-10T09:00:00Z' });

const ledgerRecord = (overrides: Partial<LedgerRecord> = {}): LedgerRecord => ({
  credentialId: 'aws-cp',
  kind: 'renewal_window_open',
  anchorAttemptId: 'a-1',
  dueOn: '2027-10-10',
  dueAt: '2027-10-10T00:00:00Z',
  status: 'sent',
  at: '2027-10-10T13:00:00Z',
  messageId: 'msg-1',
  ...overrides,
});

const claimRecord = (overrides: Partial<ClaimRecord> = {}): ClaimRecord => ({
  credentialId: 'aws-cp',
  kind: 'expired',
  anchorAttemptId: 'a-1',
  dueOn: '2028-01-10',
  dueAt: '2028-01-10T00:00:00Z',
  token: 'token-1',
  leaseUntil: '2028-01-10T13:15:00.000Z',
  runAt: '2028-01-10T13:00:00Z',
  ...overrides,
});

describe('applyAttempts', () => {
  it('holds a new attempt under its credential, with its name and content hash', () => {
    // Prepare
    const empty = emptyCandidate('ana');

    // Act
    const { state, outcomes } = applyAttempts(empty, [A1], 'own');

    // Assess
    expect(outcomes).toEqual(['new']);
    expect(state.credentials).toEqual({
      'aws-cp': {
        name: { value: 'Cloud Practitioner', at: A1.emittedAt },
        attempts: [A1.attempt],
      },
    });
  });

  it('reports an attempt held with the same hash as a duplicate and changes nothing', () => {
    // Prepare
    const held = withAttempts('ana', [A1]);

    // Act
    const { state, outcomes } = applyAttempts(
      held,
      [{ ...A1, credentialName: 'Renamed', emittedAt: T2, profile: writes(T2, { name: 'X' }) }],
      'own',
    );

    // Assess
    expect(outcomes).toEqual(['duplicate']);
    expect(state).toBe(held);
  });

  it.each([
    ['another outcome', { outcome: 'fail' as const }],
    ['another instant', { takenAt: '2027-01-11T09:00:00Z' }],
    ['another credential', { credentialId: 'gcp-ace' }],
  ])(
    'reports an attempt held with another hash (%s) as a conflict and changes nothing',
    (_label, change) => {
      // Prepare
      const held = withAttempts('ana', [A1]);
      const repeat = incoming({ attemptId: 'a-1', takenAt: '2027-01-10T09:00:00Z', ...change });

      // Act
      const { state, outcomes } = applyAttempts(held, [repeat], 'own');

      // Assess
      expect(outcomes).toEqual(['conflict']);
      expect(state).toBe(held);
    },
  );

  it('judges a repeat within one batch against the attempts before it', () => {
    // Prepare
    const conflicting = incoming({
      attemptId: 'a-1',
      outcome: 'fail',
      takenAt: '2027-01-10T09:00:00Z',
    });

    // Act
    const { state, outcomes } = applyAttempts(
      emptyCandidate('ana'),
      [A1, A1, conflicting, A2],
      'own',
    );

    // Assess
    expect(outcomes).toEqual(['new', 'duplicate', 'conflict', 'new']);
    expect(attemptIdsOf(state)).toEqual(['a-1', 'a-2']);
  });

  it.each([
    ['the later first', 'later'],
    ['the earlier first', 'earlier'],
  ])(
    'keeps the credential name of the later event whatever the arrival order (%s)',
    (_label, first) => {
      // Prepare
      const later = { ...A2, credentialName: 'Cloud Practitioner (2027)', emittedAt: T2 };
      const earlier = { ...A1, credentialName: 'Cloud Practitioner (old)', emittedAt: T1 };
      const batch = first === 'later' ? [later, earlier] : [earlier, later];

      // Act
      const { state } = applyAttempts(emptyCandidate('ana'), batch, 'own');

      // Assess
      expect(state.credentials['aws-cp']?.name).toEqual({
        value: 'Cloud Practitioner (2027)',
        at: T2,
      });
    },
  );

  it.each([
    ['the greater first', ['Beta', 'Alpha']],
    ['the smaller first', ['Alpha', 'Beta']],
  ])('settles names written at the same time by the greater value (%s)', (_label, names) => {
    // Prepare
    const [first, second] = names as [string, string];
    const batch = [
      { ...A1, credentialName: first, emittedAt: T1 },
      { ...A2, credentialName: second, emittedAt: T1 },
    ];

    // Act
    const { state } = applyAttempts(emptyCandidate('ana'), batch, 'own');

    // Assess
    expect(state.credentials['aws-cp']?.name.value).toBe('Beta');
  });

  it('writes the profile of an attempt naming this account as its own', () => {
    // Prepare
    const attempt = { ...A1, profile: writes(T1, { email: 'ana@example.com' }) };

    // Act
    const { state } = applyAttempts(emptyCandidate('ana'), [attempt], 'own');

    // Assess
    expect(state.own).toEqual(writes(T1, { email: 'ana@example.com' }));
    expect(state.borrowed).toBeUndefined();
    expect(profileOf(state)).toEqual({ candidateId: 'ana', email: 'ana@example.com' });
  });

  it('writes the profile of an attempt naming a merged-away account as borrowed, shown only without an own profile', () => {
    // Prepare
    const own = withAttempts('ana', [{ ...A1, profile: writes(T1, { email: 'ana@example.com' }) }]);
    const fromAlias = { ...A2, profile: writes(T2, { email: 'old@example.com', name: 'Old' }) };

    // Act
    const { state } = applyAttempts(own, [fromAlias], 'borrowed');
    const withoutOwn = applyAttempts(emptyCandidate('ben'), [fromAlias], 'borrowed').state;

    // Assess
    expect(state.borrowed).toEqual(writes(T2, { email: 'old@example.com', name: 'Old' }));
    expect(profileOf(state)).toEqual({ candidateId: 'ana', email: 'ana@example.com' });
    expect(profileOf(withoutOwn)).toEqual({
      candidateId: 'ben',
      email: 'old@example.com',
      name: 'Old',
    });
  });

  it('applies no profile write of a duplicate or a conflict', () => {
    // Prepare
    const held = withAttempts('ana', [
      { ...A1, profile: writes(T1, { email: 'ana@example.com' }) },
    ]);
    const conflicting = incoming({
      attemptId: 'a-1',
      outcome: 'fail',
      takenAt: '2027-01-10T09:00:00Z',
      profile: writes(T2, { email: 'late@example.com' }),
    });

    // Act
    const { state } = applyAttempts(
      held,
      [{ ...A1, profile: writes(T2, { email: 'late@example.com' }) }, conflicting],
      'own',
    );

    // Assess
    expect(profileOf(state).email).toBe('ana@example.com');
  });
});

describe('applyProfileWrites', () => {
  const ana = applyProfileWrites(
    emptyCandidate('ana'),
    writes(T1, { email: 'ana@example.com' }),
    'own',
  ).state;

  it('reports a write that changes the profile as changed, not a repeat', () => {
    // Act
    const result = applyProfileWrites(ana, writes(T2, { name: 'Ana' }), 'own');

    // Assess
    expect(result).toMatchObject({ changed: true, repeat: false });
    expect(profileOf(result.state)).toEqual({
      candidateId: 'ana',
      email: 'ana@example.com',
      name: 'Ana',
    });
  });

  it('reports writes already there (same value, same time) as a repeat that changes nothing', () => {
    // Act
    const result = applyProfileWrites(ana, writes(T1, { email: 'ana@example.com' }), 'own');

    // Assess
    expect(result).toEqual({ state: ana, changed: false, repeat: true });
  });

  it('keeps the later write: an older one changes nothing and is not a repeat', () => {
    // Act
    const result = applyProfileWrites(ana, writes(T1 - 1, { email: 'older@example.com' }), 'own');

    // Assess
    expect(result).toEqual({ state: ana, changed: false, repeat: false });
  });

  it('settles writes made at the same time by the greater value, whatever the order', () => {
    // Prepare
    const first = writes(T2, { name: 'Ana B' });
    const second = writes(T2, { name: 'Ana A' });

    // Act
    const forward = applyProfileWrites(applyProfileWrites(ana, first, 'own').state, second, 'own');
    const backward = applyProfileWrites(applyProfileWrites(ana, second, 'own').state, first, 'own');

    // Assess
    expect(profileOf(forward.state).name).toBe('Ana B');
    expect(profileOf(backward.state).name).toBe('Ana B');
  });

  it.each([
    ['after the value', T2, undefined],
    ['before the value', T1 - 1, 'ana@example.com'],
  ])(
    'a null written %s removes the field only when it is the later write',
    (_label, at, expected) => {
      // Act
      const { state } = applyProfileWrites(ana, writes(at, { email: null }), 'own');

      // Assess
      expect(profileOf(state).email).toBe(expected);
    },
  );

  it('the first own event replaces a borrowed profile, even one carrying no field', () => {
    // Prepare
    const borrowing = applyProfileWrites(
      emptyCandidate('ana'),
      writes(T1, { email: 'old@example.com', timeZone: 'Asia/Tokyo' }),
      'borrowed',
    ).state;

    // Act
    const result = applyProfileWrites(borrowing, {}, 'own');

    // Assess
    expect(result.changed).toBe(true);
    expect(result.state.own).toEqual({});
    expect(profileOf(result.state)).toEqual({ candidateId: 'ana' });
  });

  it('keeps borrowed writes behind an own profile', () => {
    // Act
    const result = applyProfileWrites(
      ana,
      writes(T2, { email: 'old@example.com', name: 'Old' }),
      'borrowed',
    );

    // Assess
    expect(result.changed).toBe(true);
    expect(result.state.borrowed).toEqual(writes(T2, { email: 'old@example.com', name: 'Old' }));
    expect(profileOf(result.state)).toEqual({ candidateId: 'ana', email: 'ana@example.com' });
  });

  it('changes nothing for borrowed writes without a field', () => {
    // Act
    const result = applyProfileWrites(ana, {}, 'borrowed');

    // Assess
    expect(result).toMatchObject({ state: ana, changed: false });
  });
});

describe('absorbAccount', () => {
  const target: CandidateState = {
    ...withAttempts('new-acct', [{ ...A1, profile: writes(T1, { email: 'new@example.com' }) }]),
    ledger: { 'aws-cp#renewal_window_open#a-1': ledgerRecord() },
  };
  const sourceAttempt = incoming({
    attemptId: 's-1',
    takenAt: '2027-02-01T09:00:00Z',
    credentialId: 'gcp-ace',
    credentialName: 'Associate Cloud Engineer',
    profile: writes(T2, { email: 'old@example.com', name: 'Old Name' }),
  });
  const source: CandidateState = {
    ...withAttempts('old-acct', [sourceAttempt, A1]),
    ledger: {
      'gcp-ace#renewal_window_open#s-1': ledgerRecord({
        credentialId: 'gcp-ace',
        anchorAttemptId: 's-1',
      }),
    },
  };

  it('holds the union of both accounts’ attempts, each attempt once', () => {
    // Act
    const merged = absorbAccount(target, source);

    // Assess
    expect(attemptIdsOf(merged).sort()).toEqual(['a-1', 's-1']);
    expect(merged.credentials['gcp-ace']?.name.value).toBe('Associate Cloud Engineer');
  });

  it('keeps the later credential name of the two accounts', () => {
    // Prepare
    const renamed = withAttempts('old-acct', [
      { ...A2, credentialName: 'Cloud Practitioner (renamed)', emittedAt: T2 },
    ]);

    // Act
    const merged = absorbAccount(target, renamed);

    // Assess
    expect(merged.credentials['aws-cp']?.name).toEqual({
      value: 'Cloud Practitioner (renamed)',
      at: T2,
    });
  });

  it('holds the union of both ledgers, so a reminder emailed to either counts as emailed', () => {
    // Act
    const merged = absorbAccount(target, source);

    // Assess
    expect(Object.keys(merged.ledger).sort()).toEqual([
      'aws-cp#renewal_window_open#a-1',
      'gcp-ace#renewal_window_open#s-1',
    ]);
  });

  it('carries the claims in flight of both accounts over, unless the merged ledger settles them', () => {
    // Prepare
    const claiming = {
      ...target,
      claims: {
        'gcp-ace#renewal_window_open#s-1': claimRecord({ token: 'target-token' }),
        'aws-cp#expired#a-1': claimRecord({ token: 'target-token' }),
      },
    };
    const sourceClaiming = {
      ...source,
      claims: {
        'aws-cp#renewal_window_open#a-1': claimRecord({ token: 'source-token' }),
        'gcp-ace#expired#s-1': claimRecord({ token: 'source-token' }),
      },
    };

    // Act
    const merged = absorbAccount(claiming, sourceClaiming);

    // Assess
    expect(Object.keys(merged.claims).sort()).toEqual([
      'aws-cp#expired#a-1',
      'gcp-ace#expired#s-1',
    ]);
    expect(merged.claims['gcp-ace#expired#s-1']?.token).toBe('source-token');
  });

  it('borrows the source profile: the target’s own wins, and shows while the target has none', () => {
    // Prepare: a target no event named yet (only merges led to it).
    const withoutProfile = emptyCandidate('new-acct');

    // Act
    const merged = absorbAccount(target, source);
    const borrowing = absorbAccount(withoutProfile, source);

    // Assess
    expect(merged.borrowed).toEqual(writes(T2, { email: 'old@example.com', name: 'Old Name' }));
    expect(profileOf(merged)).toEqual({ candidateId: 'new-acct', email: 'new@example.com' });
    expect(profileOf(borrowing)).toEqual({
      candidateId: 'new-acct',
      email: 'old@example.com',
      name: 'Old Name',
    });
  });

  it('borrows what the source itself had borrowed, last writer winning', () => {
    // Prepare
    const older = { ...source, borrowed: writes(T1, { name: 'Older Name', locale: 'de' }) };

    // Act
    const merged = absorbAccount(emptyCandidate('new-acct'), older);

    // Assess
    expect(profileOf(merged)).toEqual({
      candidateId: 'new-acct',
      email: 'old@example.com',
      name: 'Old Name',
      locale: 'de',
    });
  });

  it.each([
    ['the target opted out first', '2027-01-01T00:00:00Z', '2027-06-01T00:00:00Z'],
    ['the source opted out first', '2027-06-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['only the target opted out', '2027-01-01T00:00:00Z', undefined],
    ['only the source opted out', undefined, '2027-01-01T00:00:00Z'],
  ])('keeps the earliest opt-out (%s)', (_label, targetAt, sourceAt) => {
    // Prepare
    const optedTarget = targetAt === undefined ? target : { ...target, unsubscribedAt: targetAt };
    const optedSource = sourceAt === undefined ? source : { ...source, unsubscribedAt: sourceAt };

    // Act
    const merged = absorbAccount(optedTarget, optedSource);

    // Assess
    expect(merged.unsubscribedAt).toBe('2027-01-01T00:00:00Z');
  });

  it('keeps no opt-out when neither account opted out', () => {
    // Act
    const merged = absorbAccount(target, source);

    // Assess
    expect(merged).not.toHaveProperty('unsubscribedAt');
  });

  it('lists the source and the ids merged into it as aliases, never the target itself', () => {
    // Prepare
    const chained = { ...source, aliases: ['older-acct', 'new-acct'] };
    const alreadyMerged = { ...target, aliases: ['first-acct'] };

    // Act
    const merged = absorbAccount(alreadyMerged, chained);

    // Assess
    expect(merged.aliases).toEqual(['first-acct', 'old-acct', 'older-acct']);
  });

  it('keeps the later compaction watermark of each credential', () => {
    // Prepare
    const compactedTarget = { ...target, settledThrough: { 'aws-cp': '2026-01-01T00:00:00Z' } };
    const compactedSource = {
      ...source,
      settledThrough: { 'aws-cp': '2026-06-01T00:00:00Z', 'gcp-ace': '2025-01-01T00:00:00Z' },
    };

    // Act
    const merged = absorbAccount(compactedTarget, compactedSource);

    // Assess
    expect(merged.settledThrough).toEqual({
      'aws-cp': '2026-06-01T00:00:00Z',
      'gcp-ace': '2025-01-01T00:00:00Z',
    });
  });

  it('is idempotent: absorbing the same account twice equals absorbing it once', () => {
    // Prepare: a bit of everything on both sides.
    const fullTarget = {
      ...target,
      claims: { 'aws-cp#expired#a-1': claimRecord() },
      settledThrough: { 'aws-cp': '2026-01-01T00:00:00Z' },
      aliases: ['first-acct'],
    };
    const fullSource = {
      ...source,
      claims: { 'gcp-ace#expired#s-1': claimRecord({ token: 'source-token' }) },
      unsubscribedAt: '2027-05-01T00:00:00Z',
      borrowed: writes(T1, { locale: 'fr' }),
      aliases: ['older-acct'],
    };

    // Act
    const once = absorbAccount(fullTarget, fullSource);
    const twice = absorbAccount(once, fullSource);

    // Assess
    expect(twice).toEqual(once);
  });

  it('keeps the target id and never makes it an alias', () => {
    // Act
    const merged = absorbAccount(target, source);

    // Assess
    expect(merged.candidateId).toBe('new-acct');
    expect(isActive(merged)).toBe(true);
    expect(viewOf(merged).candidateId).toBe('new-acct');
  });
});

describe('tombstoneOf', () => {
  const person: CandidateState = {
    ...withAttempts('ana', [
      {
        ...A1,
        profile: writes(T1, {
          email: 'ana@example.com',
          name: 'Ana Lima',
          guardianEmail: 'mum@example.com',
        }),
      },
      { ...A2, credentialName: 'Secret Credential Name' },
    ]),
    borrowed: writes(T1, { email: 'old@example.com' }),
    ledger: { 'aws-cp#renewal_window_open#a-1': ledgerRecord() },
    claims: { 'aws-cp#expired#a-1': claimRecord() },
    unsubscribedAt: '2027-05-01T00:00:00Z',
    settledThrough: { 'aws-cp': '2026-01-01T00:00:00Z' },
  };

  it('keeps no personal data: no profile, attempts, names, ledger, claims or opt-out', () => {
    // Act
    const tombstone = tombstoneOf(person, '2027-06-01T00:00:00Z');

    // Assess
    expect(tombstone).toEqual({
      candidateId: 'ana',
      credentials: {},
      ledger: {},
      claims: {},
      erasedAt: '2027-06-01T00:00:00Z',
      forget: ['a-1', 'a-2'],
    });
    const text = JSON.stringify(tombstone);
    for (const personal of [
      'ana@example.com',
      'Ana Lima',
      'mum@example.com',
      'old@example.com',
      'Secret',
    ])
      expect(text).not.toContain(personal);
    expect(isActive(tombstone)).toBe(false);
  });

  it('lists the attempts whose registry entries are still to forget, with those already listed', () => {
    // Prepare
    const erasing = { ...person, forget: ['z-9', 'a-1'] };

    // Act
    const tombstone = tombstoneOf(erasing, '2027-06-01T00:00:00Z');

    // Assess
    expect(tombstone.forget).toEqual(['z-9', 'a-1', 'a-2']);
  });

  it('keeps the aliases still to erase', () => {
    // Act
    const tombstone = tombstoneOf({ ...person, aliases: ['old-acct'] }, '2027-06-01T00:00:00Z');

    // Assess
    expect(tombstone.aliases).toEqual(['old-acct']);
  });

  it('keeps where an alias led, so merging it elsewhere later is still refused', () => {
    // Act
    const tombstone = tombstoneOf(aliasOf('old-acct', 'new-acct'), '2027-06-01T00:00:00Z');

    // Assess
    expect(tombstone).toEqual({
      candidateId: 'old-acct',
      credentials: {},
      ledger: {},
      claims: {},
      erasedAt: '2027-06-01T00:00:00Z',
      mergedInto: 'new-acct',
    });
  });

  it('keeps the instant of the first erasure when erased again', () => {
    // Prepare
    const first = tombstoneOf(person, '2027-06-01T00:00:00Z');

    // Act
    const again = tombstoneOf(first, '2027-07-01T00:00:00Z');

    // Assess
    expect(again).toEqual(first);
  });
});

describe('viewOf', () => {
  it('lists the credentials sorted by id, with their names and attempts without hashes', () => {
    // Prepare
    const state = withAttempts('ana', [
      incoming({
        attemptId: 'g-1',
        takenAt: '2027-01-01T00:00:00Z',
        credentialId: 'gcp-ace',
        credentialName: 'ACE',
      }),
      A1,
    ]);

    // Act
    const view = viewOf(state);

    // Assess
    expect(view).toEqual({
      candidateId: 'ana',
      profile: { candidateId: 'ana' },
      credentials: [
        {
          credentialId: 'aws-cp',
          name: 'Cloud Practitioner',
          attempts: [{ attemptId: 'a-1', outcome: 'pass', takenAt: '2027-01-10T09:00:00Z' }],
        },
        {
          credentialId: 'gcp-ace',
          name: 'ACE',
          attempts: [{ attemptId: 'g-1', outcome: 'pass', takenAt: '2027-01-01T00:00:00Z' }],
        },
      ],
    });
  });
});
