import type { Timeline } from '../../../functions/use-cases/timeline';
import type { CandidateLookup } from '../console-data';
import type { EmailPreview } from '../email-preview';
import { type Html, html } from '../html';
import { linkTo, type PageContext, page } from '../layout';

/** A settled reminder of the timeline; `why` where the timeline gives one. */
type Settled = Timeline['reminders']['emailed'][number] & { readonly why?: string };

const searchForm = (context: PageContext, id: string) =>
  html`<form class="search" method="get" action="${linkTo(context, '/candidate')}" role="search" aria-label="Candidate">
<label for="candidate-id">Candidate id<input id="candidate-id" name="id" type="search" value="${id}" required maxlength="128" autocomplete="off" spellcheck="false"></label>
<button type="submit">Search</button>
</form>`;

const profileOf = (timeline: Timeline, requestedId: string) => {
  const { profile } = timeline;
  return html`<section aria-labelledby="profile-heading">
<h2 id="profile-heading">${profile.name ?? timeline.candidateId}</h2>
${requestedId !== timeline.candidateId ? html`<p>${requestedId} was merged into <strong>${timeline.candidateId}</strong>; this is the surviving account.</p>` : ''}
<dl class="profile">
<dt>Candidate id</dt><dd>${timeline.candidateId}</dd>
<dt>Name</dt><dd id="candidate-name">${profile.name ?? '(none)'}</dd>
<dt>Email</dt><dd>${profile.email ?? '(none)'}</dd>
<dt>Time zone</dt><dd>${timeline.timeZone}</dd>
<dt>Locale</dt><dd>${profile.locale ?? '(default)'}</dd>
${profile.guardianEmail ? html`<dt>Guardian (copied)</dt><dd>${profile.guardianEmail}</dd>` : ''}
<dt>Unsubscribed</dt><dd>${timeline.unsubscribed ? 'yes: no reminder is sent to them' : 'no'}</dd>
<dt>Today, their time</dt><dd>${timeline.today}</dd>
</dl>
</section>`;
};

const credentialsOf = (timeline: Timeline) =>
  html`<section aria-labelledby="credentials-heading">
<h2 id="credentials-heading">Credentials</h2>
${timeline.credentials.length === 0 ? html`<p>No attempt on file.</p>` : ''}
${timeline.credentials.map(
  (credential) => html`<article class="credential" data-credential="${credential.credentialId}">
<h3>${credential.name} <span class="note">(${credential.credentialId})</span> <span class="status">${credential.status.replace('_', ' ')}</span></h3>
<p>${[
    credential.passedOn && `passed ${credential.passedOn}`,
    credential.renewalOpensOn && `renewal opens ${credential.renewalOpensOn}`,
    credential.expiresOn && `expires ${credential.expiresOn}`,
    credential.nextAttemptFrom && `next attempt from ${credential.nextAttemptFrom}`,
  ]
    .filter(Boolean)
    .join(', ')}</p>
<div class="table-wrap" role="region" aria-label="Attempts at ${credential.name}" tabindex="0"><table>
<caption>Attempts at ${credential.name}</caption>
<thead><tr><th scope="col">Taken on (local)</th><th scope="col">Outcome</th><th scope="col">Attempt</th><th scope="col">Taken at</th></tr></thead>
<tbody>${credential.attempts.map((attempt) => html`<tr><td>${attempt.takenOn}</td><td>${attempt.outcome}</td><td>${attempt.attemptId}</td><td>${attempt.takenAt}</td></tr>`)}</tbody>
</table></div>
${
  credential.upcoming.length === 0
    ? html`<p>No reminder to come.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Reminders to come for ${credential.name}" tabindex="0"><table>
<caption>Reminders to come (or due and not yet sent) for ${credential.name}</caption>
<thead><tr><th scope="col">Due on</th><th scope="col">Kind</th><th scope="col">Why</th></tr></thead>
<tbody>${credential.upcoming.map((reminder) => html`<tr><td>${reminder.dueOn}</td><td><code>${reminder.kind}</code></td><td>${reminder.why}</td></tr>`)}</tbody>
</table></div>`
}
</article>`,
)}
</section>`;

const settledOf = (timeline: Timeline) => {
  const rows: Array<{ reminder: Settled; outcome: string }> = [
    ...timeline.reminders.emailed.map((reminder) => ({
      reminder,
      outcome: `emailed${reminder.messageId ? ` (message ${reminder.messageId})` : ''}`,
    })),
    ...timeline.reminders.skipped.map((reminder) => ({
      reminder,
      outcome: `skipped: ${reminder.reason ?? ''}`,
    })),
    ...timeline.reminders.failed.map((reminder) => ({ reminder, outcome: 'failed' })),
  ].sort((a, b) => a.reminder.dueOn.localeCompare(b.reminder.dueOn));
  // The timeline's why for reminders already dealt with, where it gives one.
  const withWhy = rows.some(({ reminder }) => reminder.why !== undefined);
  return html`<section aria-labelledby="settled-heading">
<h2 id="settled-heading">Reminders emailed, skipped and failed</h2>
${
  rows.length === 0
    ? html`<p>No reminder dealt with yet.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Reminders runs have dealt with" tabindex="0"><table>
<caption>Reminders runs have dealt with</caption>
<thead><tr><th scope="col">Due on</th><th scope="col">Credential</th><th scope="col">Kind</th><th scope="col">Outcome</th><th scope="col">Run</th>${withWhy ? html`<th scope="col">Why</th>` : ''}</tr></thead>
<tbody>${rows.map(({ reminder, outcome }) => html`<tr><td>${reminder.dueOn}</td><td>${reminder.credentialId}</td><td><code>${reminder.kind}</code></td><td>${outcome}</td><td>${reminder.at ?? ''}</td>${withWhy ? html`<td>${reminder.why ?? ''}</td>` : ''}</tr>`)}</tbody>
</table></div>`
}
</section>`;
};

const previewOf = (
  context: PageContext,
  timeline: Timeline,
  date: string,
  preview: EmailPreview,
): Html => {
  const src = `${linkTo(context, '/preview')}?id=${encodeURIComponent(timeline.candidateId)}&date=${encodeURIComponent(date)}`;
  const { message } = preview;
  return html`<section aria-labelledby="preview-heading">
<h2 id="preview-heading">Preview of the email a run would send</h2>
<form class="search" method="get" action="${linkTo(context, '/candidate')}" aria-label="Preview date">
<input type="hidden" name="id" value="${timeline.candidateId}">
<label for="preview-date">Run date (13:00 UTC)<input id="preview-date" name="date" type="date" value="${date}" required></label>
<button type="submit">Preview</button>
</form>
<p class="note">What <code>reminders run --now ${date}</code> would send them, decided and rendered by the sender's own code in a dry run: nothing is sent or recorded. The unsubscribe link is a placeholder.</p>
${
  message
    ? html`<p>Subject: <span class="subject" id="preview-subject">${message.subject}</span></p>
<p>To ${message.to.join(', ')}${message.cc && message.cc.length > 0 ? ` · Cc ${message.cc.join(', ')}` : ''}</p>
<iframe class="preview-frame" title="The email's HTML part" src="${src}" sandbox></iframe>
<details><summary>The text part</summary><pre>${message.text}</pre></details>`
    : html`<p id="preview-nothing">A run on ${date} at 13:00 UTC would send them nothing.</p>`
}
${
  preview.skipped.length > 0
    ? html`<p>That run would skip: ${preview.skipped.map((skip) => `${skip.kind} of ${skip.credentialId} due ${skip.dueOn} (${skip.reason})`).join('; ')}.</p>`
    : ''
}
</section>`;
};

/**
 * The candidate page (SPEC §10): the search form, then the candidate's timeline and the preview
 * of the email a run on `date` would send them.
 *
 * @example
 * candidatePage(context, { id: 'demo-ana', date: '2027-11-29', lookup, preview });
 */
export const candidatePage = (
  context: PageContext,
  options: {
    readonly id: string;
    readonly date: string;
    readonly lookup?: CandidateLookup;
    readonly preview?: EmailPreview;
    readonly problem?: string;
  },
) => {
  const { lookup } = options;
  const result =
    options.problem !== undefined
      ? html`<p class="problem" role="alert">${options.problem}</p>`
      : lookup === undefined
        ? html`<p>Search by candidate id to see their timeline: credentials, attempts, the reminders emailed, skipped and to come with why, and the email a run would send them.</p>`
        : lookup.found === 'no'
          ? html`<p class="problem" role="alert">No candidate ${options.id} in the store.</p>`
          : lookup.found === 'erased'
            ? html`<p class="problem" role="alert">Candidate ${options.id} was erased: nothing of them is kept and nothing is sent to them.</p>`
            : html`${profileOf(lookup.timeline, lookup.requestedId)}
${credentialsOf(lookup.timeline)}
${settledOf(lookup.timeline)}
${options.preview ? previewOf(context, lookup.timeline, options.date, options.preview) : ''}`;
  return page(context, {
    page: 'candidate',
    title: lookup?.found === 'yes' ? `Candidate ${lookup.timeline.candidateId}` : 'Candidate',
    body: html`<h1>Candidate</h1>
${searchForm(context, options.id)}
${result}`,
  });
};
