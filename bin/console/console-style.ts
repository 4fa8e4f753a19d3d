/**
 * The console's one style sheet, served as `style.css` (the pages' CSP allows styles from the
 * console itself only). Text keeps at least 4.5:1 contrast; focus is always visible; the layout
 * reflows to a phone's width.
 */
export const CONSOLE_CSS = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --line: #c8c8c8; --accent: #0b57a3; --band: #f3f5f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, summary:focus-visible, [tabindex]:focus-visible { outline: 3px solid #b3261e; outline-offset: 2px; }
.skip { position: absolute; left: -10000px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; top: .5rem; }
header.site { background: #10243e; color: #fff; padding: .75rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; }
header.site .brand { font-weight: 700; color: #fff; text-decoration: none; }
header.site nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
header.site nav a { color: #fff; }
header.site nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
header.site .target { margin-left: auto; font-size: .875rem; color: #e8edf3; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
footer.site { border-top: 1px solid var(--line); color: var(--muted); font-size: .875rem; padding: 1rem; max-width: 72rem; margin: 0 auto; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .25rem; }
.note { color: var(--muted); font-size: .9rem; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .75rem; padding: 0; margin: 0; list-style: none; }
.figures li { background: var(--band); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; }
.figures strong { display: block; font-size: 1.5rem; }
figure.chart { margin: 0; }
.chart-scroll { overflow-x: auto; max-width: 100%; }
figure.chart svg[role="img"] { display: block; width: 100%; min-width: 36rem; height: auto; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; margin: .5rem 0; font-size: .9rem; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .925rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: var(--band); }
tr.peak th, tr.peak td { background: #fff4d6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
form.search { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: 0 0 1rem; }
form.search label { display: flex; flex-direction: column; font-weight: 600; }
input { font: inherit; padding: .4rem .5rem; border: 1px solid #6b6b6b; border-radius: 4px; min-width: 12rem; }
button { font: inherit; padding: .45rem 1rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; }
dl.profile { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dl.profile dt { font-weight: 600; }
dl.profile dd { margin: 0; overflow-wrap: anywhere; }
.status { display: inline-block; padding: 0 .5rem; border-radius: 1rem; background: var(--band); border: 1px solid var(--line); font-size: .875rem; }
.preview-frame { width: 100%; height: 36rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.subject { font-size: 1.1rem; font-weight: 700; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--band); padding: .75rem; border-radius: 6px; }
progress { width: 100%; height: 1.25rem; }
.problem { border-left: 4px solid #b3261e; padding: .5rem 1rem; background: #fdf0ef; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  main { padding: .75rem; }
  header.site .target { margin-left: 0; }
  input { min-width: 0; width: 100%; }
  form.search label { width: 100%; }
  dl.profile { grid-template-columns: 1fr; }
  dl.profile dd { margin-bottom: .5rem; }
  .preview-frame { height: 30rem; }
}
`;
