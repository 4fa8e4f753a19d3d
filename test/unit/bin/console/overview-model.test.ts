import { describe, expect, it } from 'vitest';
import {
  dailyForecast,
  runSummaries,
  suppressionCounts,
} from '../../../../bin/console/overview-model';
import type { RunRecord } from '../../../../bin/console/table-scan';
import { viewOf } from '../../../../functions/domain/candidate-state';
import { DEFAULT_RULE_SETTINGS } from '../../../../functions/domain/rule-settings';
import { candidateRecordOf } from '../../../../functions/use-cases/candidate-record';
import { forecast } from '../../../../functions/use-cases/forecast';
import { passedOnce, runOnce } from '../../support/candidates';

const settings = DEFAULT_RULE_SETTINGS;

describe('dailyForecast', () => {
  it('has one day per date of the range, each equal to the forecast of that day', () => {
    // Prepare: passedOnce's reminders fall on 2027-10-10, 2027-12-11 and 2028-01-10.
    const candidates = ['cand-a', 'cand-b'].map((id) => viewOf(passedOnce(id)));
    const entries = forecast(candidates, settings, { from: '2027-10-01', to: '2027-12-29' });

    // Act
    const daily = dailyForecast(entries, '2027-10-01', 90);

    // Assess
    expect(daily.days).toHaveLength(90);
    expect(daily.days[0]?.date).toBe('2027-10-01');
    expect(daily.days[89]?.date).toBe('2027-12-29');
    for (const day of daily.days)
      expect(day.total).toBe(entries.filter((entry) => entry.dueOn === day.date).length);
    expect(daily.total).toBe(4);
    expect(daily.peak?.date).toBe('2027-10-10');
    expect(daily.peak?.counts.renewal_window_open).toBe(2);
  });

  it('names no peak when nothing is due', () => {
    // Act
    const daily = dailyForecast([], '2027-01-01', 90);

    // Assess
    expect(daily.peak).toBeUndefined();
    expect(daily.total).toBe(0);
  });
});

describe('runSummaries', () => {
  it('tallies each run from the ledgers: emails, skipped by reason, and the run record', () => {
    // Prepare: a run on 2027-12-20 sends cand-a's warning and skips its late renewal as stale;
    // cand-b was emailed its renewal on 2027-10-10.
    const a = runOnce(passedOnce('cand-a'), '2027-12-20T13:00:00Z', settings).state;
    const b = runOnce(passedOnce('cand-b'), '2027-10-10T13:00:00Z', settings).state;
    const records = [a, b].map((state) => candidateRecordOf({ state, version: 1 }, settings));
    const runRecords: RunRecord[] = [
      { runAt: '2027-10-10T13:00:00Z', counts: { candidates: 1, durationMs: 12 } },
      { runAt: '2027-11-01T13:00:00Z', counts: { candidates: 0 } },
    ];

    // Act
    const runs = runSummaries(records, runRecords);

    // Assess
    expect(runs.map((run) => run.runAt)).toEqual([
      '2027-12-20T13:00:00Z',
      '2027-11-01T13:00:00Z',
      '2027-10-10T13:00:00Z',
    ]);
    expect(runs[0]).toMatchObject({
      emails: 1,
      remindersSent: 1,
      skipped: { superseded: 0, stale: 1, unsubscribed: 0 },
      failedEmails: 0,
      skippedReminders: [
        {
          candidateId: 'cand-a',
          credentialId: 'aws-cp',
          kind: 'renewal_window_open',
          dueOn: '2027-10-10',
          reason: 'stale',
        },
      ],
    });
    expect(runs[1]).toMatchObject({ candidatesDue: 0, emails: 0, remindersSent: 0 });
    expect(runs[2]).toMatchObject({ candidatesDue: 1, plannerMs: 12, emails: 1 });
  });

  it('counts a rejected email as failed', () => {
    // Prepare
    const state = runOnce(passedOnce('cand-a'), '2027-10-10T13:00:00Z', settings, {
      error: 'rejected',
    }).state;

    // Act
    const [run] = runSummaries([candidateRecordOf({ state, version: 1 }, settings)], []);

    // Assess
    expect(run).toMatchObject({ runAt: '2027-10-10T13:00:00Z', emails: 0, failedEmails: 1 });
  });
});

describe('suppressionCounts', () => {
  it('counts suppressed addresses, bounces and complaints', () => {
    // Act
    const counts = suppressionCounts([
      { reason: 'bounce' },
      { reason: 'bounce' },
      { reason: 'complaint' },
      { reason: 'unknown' },
    ]);

    // Assess
    expect(counts).toEqual({ suppressed: 4, bounces: 2, complaints: 1 });
  });
});
