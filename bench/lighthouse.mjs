// Lighthouse (mobile preset, Debian's Chromium) on the portal's pages and the widget demo page.
// Runs each page RUNS times (default 3) and keeps the median run by performance score. Writes one
// summary JSON and the kept reports under OUTDIR. Run by scripts/bench.sh.
// usage: node lighthouse.mjs BASE_URL COOKIE ORDER_ID OUT.json OUTDIR
//   LIGHTHOUSE_PAGES  optional comma-separated page names to run only those (e.g. "preferences");
//                     default every page
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [base, cookie, orderId, outPath, outDir] = process.argv.slice(2);
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, 'node_modules', '.bin', 'lighthouse');
mkdirSync(outDir, { recursive: true });

const allPages = [
  { name: 'sign-in', path: '/sign-in', signedIn: false },
  { name: 'overview', path: '/', signedIn: true },
  { name: 'history', path: '/history', signedIn: true },
  { name: 'order', path: `/orders/${orderId}`, signedIn: true },
  { name: 'preferences', path: '/preferences', signedIn: true },
  { name: 'widget demo', path: '/widget/demo.html', signedIn: false },
];
const only = (process.env.LIGHTHOUSE_PAGES ?? '').split(',').map((n) => n.trim()).filter(Boolean);
const pages = only.length ? allPages.filter((p) => only.includes(p.name)) : allPages;
if (!pages.length) throw new Error(`LIGHTHOUSE_PAGES names no page (pages: ${allPages.map((p) => p.name).join(', ')})`);

function run(page, i) {
  const file = join(outDir, `${page.name.replace(/\W+/g, '-')}-${i}.json`);
  const args = [
    `${base}${page.path}`,
    '--output=json',
    `--output-path=${file}`,
    '--only-categories=performance,accessibility,best-practices',
    '--chrome-flags=--headless --no-sandbox --disable-gpu --disable-dev-shm-usage',
    '--quiet',
  ];
  if (page.signedIn) args.push(`--extra-headers=${JSON.stringify({ Cookie: cookie })}`);
  execFileSync(bin, args, { stdio: ['ignore', 'ignore', 'inherit'], env: process.env });
  return JSON.parse(readFileSync(file, 'utf8'));
}

const round = (x) => (x == null ? null : Math.round(x));

function summarise(page, lhr) {
  const score = (id) => (lhr.categories[id]?.score == null ? null : Math.round(lhr.categories[id].score * 100));
  const num = (id) => lhr.audits[id]?.numericValue;
  // What the report says costs the most: failing audits of each category, with their estimated savings.
  const failing = (category) =>
    lhr.categories[category].auditRefs
      .map((ref) => lhr.audits[ref.id])
      .filter((a) => a && a.score !== null && a.score < 1 && !['informative', 'notApplicable', 'manual'].includes(a.scoreDisplayMode))
      .filter((a) => category !== 'performance' || a.scoreDisplayMode !== 'numeric' || a.id.endsWith('-insight'))
      .map((a) => ({
        id: a.id,
        title: a.title,
        display: a.displayValue ?? '',
        savings: a.metricSavings ?? {},
      }))
      .sort((a, b) => (b.savings.LCP ?? 0) + (b.savings.FCP ?? 0) + (b.savings.TBT ?? 0) - ((a.savings.LCP ?? 0) + (a.savings.FCP ?? 0) + (a.savings.TBT ?? 0)));
  const requests = (lhr.audits['network-requests']?.details?.items ?? [])
    .map((r) => ({ url: r.url.replace(base, ''), transfer: r.transferSize ?? 0, resource: r.resourceSize ?? 0, type: r.resourceType }))
    .sort((a, b) => b.transfer - a.transfer)
    .slice(0, 3);
  const bootup = (lhr.audits['bootup-time']?.details?.items ?? [])
    .map((r) => ({ url: String(r.url).replace(base, ''), total: round(r.total), scripting: round(r.scripting), compile: round(r.scriptParseCompile) }))
    .slice(0, 3);
  const mainThread = (lhr.audits['mainthread-work-breakdown']?.details?.items ?? [])
    .map((r) => ({ group: r.groupLabel ?? r.group, ms: round(r.duration) }))
    .slice(0, 3);
  const lcpNode = (lhr.audits['lcp-breakdown-insight']?.details?.items ?? []).find((i) => i.type === 'node');
  const lcpElement = lcpNode ? { selector: lcpNode.selector, text: lcpNode.nodeLabel } : null;
  const clsCulprits = (lhr.audits['cls-culprits-insight']?.details?.items?.[0]?.items ?? [])
    .filter((i) => i.node?.type === 'node')
    .map((i) => ({ selector: i.node.selector, score: i.score }));
  // Points of the performance score each metric lost (weight × (1 − its score)), largest first.
  const lost = lhr.categories.performance.auditRefs
    .filter((ref) => ref.weight > 0 && lhr.audits[ref.id]?.score != null)
    .map((ref) => ({ metric: ref.acronym ?? ref.id, points: Math.round(ref.weight * (1 - lhr.audits[ref.id].score) * 10) / 10 }))
    .filter((l) => l.points > 0)
    .sort((a, b) => b.points - a.points);
  const finalPath = new URL(lhr.finalDisplayedUrl).pathname;
  return {
    name: page.name,
    path: page.path,
    finalPath,
    redirected: finalPath !== page.path,
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    fcp: round(num('first-contentful-paint')),
    lcp: round(num('largest-contentful-paint')),
    tbt: round(num('total-blocking-time')),
    cls: num('cumulative-layout-shift'),
    totalBytes: num('total-byte-weight'),
    lost,
    lcpElement,
    clsCulprits,
    failing: {
      performance: failing('performance').slice(0, 5),
      accessibility: failing('accessibility'),
      bestPractices: failing('best-practices'),
    },
    requests,
    bootup,
    mainThread,
    runWarnings: lhr.runWarnings ?? [],
    lighthouse: lhr.lighthouseVersion,
    userAgent: lhr.environment?.hostUserAgent,
    throttling: lhr.configSettings?.throttling,
  };
}

const results = [];
for (const page of pages) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(run(page, i));
  const perf = (r) => r.categories.performance.score ?? 0;
  runs.sort((a, b) => perf(a) - perf(b) || a.audits['largest-contentful-paint'].numericValue - b.audits['largest-contentful-paint'].numericValue);
  const median = runs[Math.floor(runs.length / 2)];
  const s = summarise(page, median);
  s.runs = runs.map((r) => Math.round(perf(r) * 100));
  results.push(s);
  console.log(
    `${page.name.padEnd(12)} perf ${s.performance} a11y ${s.accessibility} bp ${s.bestPractices} ` +
      `LCP ${s.lcp} ms TBT ${s.tbt} ms CLS ${s.cls.toFixed(3)} (runs: ${s.runs.join(', ')})` +
      (s.redirected ? ` REDIRECTED to ${s.finalPath}` : ''),
  );
}
writeFileSync(outPath, JSON.stringify({ runs: RUNS, pages: results }, null, 2));
