import type { Overview } from '../console-data';
import { dayChart, dayTable } from '../day-chart';
import { type Html, html } from '../html';
import { linkTo, type PageContext, page } from '../layout';
import type { RunSummary } from '../overview-model';
import type { ScanProgress } from '../table-scan';

/** How many runs the overview lists. */
export const OVERVIEW_RUNS = 30;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The anchor of a run on the runs page. */
export const runAnchor = (runAt: string) => `run-${runAt.replace(/[^0-9A-Za-z]/g, '')}`;

/** A table of runs: emails sent, reminders skipped by reason, failures, the planner's time. */
export const runsTable = (context: PageContext, runs: readonly RunSummary[], caption: string) =>
  runs.length === 0
    ? html`<p>No run recorded yet.</p>`
    : html`<div class="table-wrap" role="region" aria-label="${caption}" tabindex="0"><table>
<caption>${caption}</caption>
<thead><tr><th scope="col">Run at (UTC)</th><th scope="col" class="num">Candidates due</th><th scope="col" class="num">Emails sent</th><th scope="col" class="num">Reminders sent</th><th scope="col" class="num">Skipped: superseded</th><th scope="col" class="num">Skipped: stale</th><th scope="col" class="num">Skipped: unsubscribed</th><th scope="col" class="num">Failed emails</th><th scope="col" class="num">Planner time</th></tr></thead>
<tbody>${runs.map(
        (run) =>
          html`<tr><th scope="row"><a href="${linkTo(context, '/runs')}#${runAnchor(run.runAt)}">${run.runAt}</a></th><td class="num">${run.candidatesDue ?? '–'}</td><td class="num">${run.emails}</td><td class="num">${run.remindersSent}</td><td class="num">${run.skipped.superseded}</td><td class="num">${run.skipped.stale}</td><td class="num">${run.skipped.unsubscribed}</td><td class="num">${run.failedEmails}</td><td class="num">${run.plannerMs === undefined ? '–' : `${run.plannerMs} ms`}</td></tr>`,
      )}</tbody>
</table></div>`;

/** The note every Scan-based page carries: how the figures were read. */
export const scanNote = (snapshot: Overview['snapshot'], cacheSeconds: number): Html =>
  html`<p class="note" id="scan-note">Read with a parallel Scan of ${snapshot.segments} segments (${plural(snapshot.items, 'item')} in ${snapshot.tookMs} ms) at ${snapshot.readAt}; kept for ${cacheSeconds} s (<a href="?fresh=1">read again now</a>). The daily run never Scans: this read is the operator's own.</p>`;

/**
 * The overview (SPEC §10): the next 90 days' reminders per day by kind with the peak day named,
 * the last 30 runs, and the suppression counts.
 *
 * @example
 * overviewPage(context, await reader.overview(), 60);
 */
export const overviewPage = (context: PageContext, overview: Overview, cacheSeconds: number) => {
  const { forecast, suppressions } = overview;
  const peak = forecast.peak
    ? html`The busiest day is <strong id="peak-day">${forecast.peak.date}</strong> with ${plural(forecast.peak.total, 'reminder')}.`
    : html`No reminder is due in these days.`;
  return page(context, {
    page: 'overview',
    title: 'Overview',
    body: html`<h1>Overview</h1>
${scanNote(overview.snapshot, cacheSeconds)}
<section aria-labelledby="forecast-heading">
<h2 id="forecast-heading">Reminders due in the next ${forecast.days.length} days</h2>
<p>From ${overview.from} to ${overview.to} (today in UTC onwards; each reminder on its local due date, as <code>reminders forecast</code> lists them): ${plural(forecast.total, 'reminder')} for ${plural(overview.candidates, 'candidate')} on file. ${peak}</p>
${dayChart(forecast)}
<details><summary>Every day's counts as a table</summary>
${dayTable(forecast)}
</details>
</section>
<section aria-labelledby="runs-heading">
<h2 id="runs-heading">The last ${OVERVIEW_RUNS} runs</h2>
${runsTable(context, overview.runs.slice(0, OVERVIEW_RUNS), `The last ${OVERVIEW_RUNS} runs, newest first`)}
<p><a href="${linkTo(context, '/runs')}">Every run, with its skipped reminders and why</a></p>
</section>
<section aria-labelledby="suppressions-heading">
<h2 id="suppressions-heading">Suppressions</h2>
<ul class="figures">
<li><strong id="suppressed-count">${suppressions.suppressed}</strong> suppressed addresses</li>
<li><strong id="bounce-count">${suppressions.bounces}</strong> hard bounces</li>
<li><strong id="complaint-count">${suppressions.complaints}</strong> complaints</li>
</ul>
<p class="note">The suppression list keeps a hash of each address, never the address: no reminder goes to it again.</p>
</section>`,
  });
};

/**
 * What a page that needs the Scan shows while it reads a large table: its progress, refreshed
 * every second by the browser itself (no script, so the CSP stays without `script-src`).
 *
 * @example
 * scanProgressPage(context, { items: 1200, estimate: 50000 }, 4, 'Overview');
 */
export const scanProgressPage = (
  context: PageContext,
  progress: ScanProgress,
  segments: number,
  title: string,
) => {
  const estimate = Math.max(progress.estimate, progress.items);
  return page(context, {
    title,
    head: html`<meta http-equiv="refresh" content="1">`,
    body: html`<h1>${title}</h1>
<p>Reading every candidate with a parallel Scan of ${segments} segments; this page reloads every second until it is done.</p>
<p><label for="scan-progress">Items read</label>
<progress id="scan-progress" max="${estimate || 1}" value="${progress.items}">${progress.items} items</progress></p>
<p role="status">${plural(progress.items, 'item')} of about ${estimate} read.</p>`,
  });
};
