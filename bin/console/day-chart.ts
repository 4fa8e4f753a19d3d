import { REMINDER_KINDS, type ReminderKind } from '../../functions/domain/reminder-rules';
import { type Html, html, trusted } from './html';
import type { DailyForecast } from './overview-model';

/** How each kind is named and drawn; colours keep 3:1 against white and apart from each other. */
export const KIND_STYLE: Readonly<Record<ReminderKind, { label: string; colour: string }>> = {
  retake_available: { label: 'Retake available', colour: '#1f5fa8' },
  renewal_window_open: { label: 'Renewal window open', colour: '#2e7d32' },
  expiring_soon: { label: 'Expiring soon', colour: '#b35900' },
  expired: { label: 'Expired', colour: '#b3261e' },
};

const BAR = 8;
const GAP = 2;
const HEIGHT = 160;
const LEFT = 36;
const BOTTOM = 28;
const TOP = 12;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * The overview's chart: one stacked bar per day (`<g class="day">`, a `<title>` each), by kind,
 * with the peak day marked, as server-rendered SVG. The same figures are in
 * {@link dayTable}, for screen readers and for reading exact numbers.
 *
 * @example
 * dayChart(dailyForecast(entries, '2027-01-01', 90));
 */
export const dayChart = (forecast: DailyForecast): Html => {
  const max = Math.max(1, ...forecast.days.map((day) => day.total));
  const width = LEFT + forecast.days.length * (BAR + GAP) + GAP;
  const height = TOP + HEIGHT + BOTTOM;
  const scale = (count: number) => (count / max) * HEIGHT;
  const bars = forecast.days.map((day, index) => {
    const x = LEFT + GAP + index * (BAR + GAP);
    let y = TOP + HEIGHT;
    const segments = REMINDER_KINDS.filter((kind) => day.counts[kind] > 0).map((kind) => {
      const h = scale(day.counts[kind]);
      y -= h;
      return html`<rect x="${x}" y="${y.toFixed(2)}" width="${BAR}" height="${h.toFixed(2)}" fill="${KIND_STYLE[kind].colour}"></rect>`;
    });
    const label = `${day.date}: ${plural(day.total, 'reminder')}${REMINDER_KINDS.filter(
      (kind) => day.counts[kind] > 0,
    )
      .map((kind) => `, ${day.counts[kind]} ${KIND_STYLE[kind].label.toLowerCase()}`)
      .join('')}`;
    const isPeak = forecast.peak?.date === day.date;
    const tick = day.date.endsWith('-01') || index === 0;
    return html`<g class="day${isPeak ? ' peak' : ''}" data-date="${day.date}" data-total="${day.total}"><title>${label}</title><rect x="${x}" y="${TOP}" width="${BAR}" height="${HEIGHT}" fill="transparent"></rect>${segments}${
      isPeak
        ? html`<path d="M${x - 2} ${TOP + HEIGHT - scale(day.total) - 9} h${BAR + 4} l-${(BAR + 4) / 2} 6 z" fill="#1b1b1b"></path>`
        : ''
    }${
      tick
        ? html`<line x1="${x + BAR / 2}" x2="${x + BAR / 2}" y1="${TOP + HEIGHT}" y2="${TOP + HEIGHT + 4}" stroke="#595959"></line><text x="${x}" y="${TOP + HEIGHT + 18}" font-size="11" fill="#1b1b1b">${day.date.slice(5)}</text>`
        : ''
    }</g>`;
  });
  const summary = forecast.peak
    ? `${plural(forecast.total, 'reminder')} due in ${forecast.days.length} days; the peak is ${forecast.peak.date} with ${forecast.peak.total}.`
    : `No reminder due in the ${forecast.days.length} days.`;
  return html`<figure class="chart">
<div class="chart-scroll" role="region" aria-label="Chart of reminders per day" tabindex="0">
<svg role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMinYMin meet">
<title id="chart-title">Reminders due per day, by kind</title>
<desc id="chart-desc">${summary} The table below gives every day's counts.</desc>
<line x1="${LEFT}" x2="${width}" y1="${TOP + HEIGHT}" y2="${TOP + HEIGHT}" stroke="#595959"></line>
<text x="${LEFT - 6}" y="${TOP + 4}" font-size="11" text-anchor="end" fill="#1b1b1b">${max}</text>
<text x="${LEFT - 6}" y="${TOP + HEIGHT}" font-size="11" text-anchor="end" fill="#1b1b1b">0</text>
${bars}
</svg>
</div>
<figcaption>${legend()}</figcaption>
</figure>`;
};

const legend = (): Html =>
  html`<ul class="legend">${REMINDER_KINDS.map(
    (kind) =>
      html`<li><svg width="12" height="12" aria-hidden="true" focusable="false"><rect width="12" height="12" fill="${KIND_STYLE[kind].colour}"></rect></svg> ${KIND_STYLE[kind].label} (<code>${kind}</code>)</li>`,
  )}<li><svg width="12" height="12" aria-hidden="true" focusable="false"><path d="M0 3 h12 l-6 7 z" fill="#1b1b1b"></path></svg> peak day</li></ul>`;

/**
 * The chart as a table: one row per day, a column per kind and the total.
 *
 * @example
 * dayTable(dailyForecast(entries, '2027-01-01', 90));
 */
export const dayTable = (forecast: DailyForecast): Html =>
  html`<div class="table-wrap" role="region" aria-labelledby="day-table-caption" tabindex="0"><table class="day-table">
<caption id="day-table-caption">Reminders due per day (local due dates), by kind</caption>
<thead><tr><th scope="col">Day</th>${REMINDER_KINDS.map((kind) => html`<th scope="col">${KIND_STYLE[kind].label}</th>`)}<th scope="col">Total</th></tr></thead>
<tbody>${forecast.days.map(
    (day) =>
      html`<tr data-date="${day.date}"${forecast.peak?.date === day.date ? trusted(' class="peak"') : ''}><th scope="row">${day.date}${forecast.peak?.date === day.date ? ' (peak)' : ''}</th>${REMINDER_KINDS.map((kind) => html`<td>${day.counts[kind]}</td>`)}<td>${day.total}</td></tr>`,
  )}</tbody>
</table></div>`;
