import { html } from '../html';
import { linkTo, type PageContext, page } from '../layout';
import type { RunSummary } from '../overview-model';
import { runAnchor, runsTable, scanNote } from './overview-page';

/** Runs listed in full on the runs page. */
export const RUNS_PAGE_LIMIT = 100;

/**
 * The runs page (SPEC §10): each run's summary, then its skipped reminders with their reasons.
 *
 * @example
 * runsPage(context, runs, snapshot, 60);
 */
export const runsPage = (
  context: PageContext,
  runs: readonly RunSummary[],
  snapshot: Parameters<typeof scanNote>[0],
  cacheSeconds: number,
) => {
  const shown = runs.slice(0, RUNS_PAGE_LIMIT);
  return page(context, {
    page: 'runs',
    title: 'Runs',
    body: html`<h1>Runs</h1>
${scanNote(snapshot, cacheSeconds)}
<p>What each real run did, from its run record and the candidates' ledgers (dry runs record nothing). ${runs.length > shown.length ? `The latest ${shown.length} of ${runs.length} runs.` : ''}</p>
${runsTable(context, shown, 'Runs, newest first')}
${shown.map(
  (run) => html`<section aria-labelledby="${runAnchor(run.runAt)}">
<h2 id="${runAnchor(run.runAt)}" tabindex="-1">Run at ${run.runAt}</h2>
<p>${run.emails} email${run.emails === 1 ? '' : 's'} sent (${run.remindersSent} reminders), ${run.skippedReminders.length} reminder${run.skippedReminders.length === 1 ? '' : 's'} skipped, ${run.failedEmails} failed${run.candidatesDue === undefined ? '' : `; the planner found ${run.candidatesDue} candidate${run.candidatesDue === 1 ? '' : 's'} due`}${run.plannerMs === undefined ? '' : ` in ${run.plannerMs} ms`}.</p>
${
  run.skippedReminders.length === 0
    ? html`<p>Nothing skipped.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Skipped at ${run.runAt}" tabindex="0"><table>
<caption>Skipped by the run at ${run.runAt}</caption>
<thead><tr><th scope="col">Candidate</th><th scope="col">Credential</th><th scope="col">Kind</th><th scope="col">Due on</th><th scope="col">Reason</th></tr></thead>
<tbody>${run.skippedReminders.map(
        (skip) =>
          html`<tr><td><a href="${linkTo(context, '/candidate')}?id=${encodeURIComponent(skip.candidateId)}">${skip.candidateId}</a></td><td>${skip.credentialId}</td><td><code>${skip.kind}</code></td><td>${skip.dueOn}</td><td>${skip.reason}</td></tr>`,
      )}</tbody>
</table></div>`
}
</section>`,
)}`,
  });
};
