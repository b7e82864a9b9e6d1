// Turns the figures gathered by scripts/bench.sh into Markdown tables, prints them and writes
// BENCHMARKS.md (date, machine, tables, and one line per missed goal on what dominates it).
// usage: node report.mjs ROOT OUTDIR
// OUTDIR holds sizes.json, lighthouse.json, history.txt, scoring.txt, load.json, analyst.json and, for a part that failed,
// <part>.error with the reason.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { goalLine, loadTable, settingsLine } from './load.mjs';
import { analystSection, missLine as analystMiss } from './analyst-report.mjs';

const [root, out] = process.argv.slice(2);
const read = (f) => (existsSync(join(out, f)) ? readFileSync(join(out, f), 'utf8') : null);
const json = (f) => (read(f) == null ? null : JSON.parse(read(f)));
const failure = (part) => read(`${part}.error`)?.trim() || null;

const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
const bytes = (b) => `${b.toLocaleString('en')} B`;
const ms = (x) => `${Math.round(x).toLocaleString('en')} ms`;
const mark = (ok) => (ok == null ? '—' : ok ? 'yes' : '**no**');
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

const misses = []; // one line each: what dominates a figure that misses its goal
const sections = [];

// 1. Sizes
// The issue's goals for the widget's own bytes on the wire until the first question can be answered.
const NPS_GOAL = 60 * 1024;
const SERVQUAL_GOAL = 120 * 1024;
const budgets = readFileSync(join(root, 'scripts', 'sizes.sh'), 'utf8');
const budget = (name, dflt) => Number(budgets.match(new RegExp(`${name}:-(\\d+)`))?.[1] ?? dflt);
const NPS_PAGE_BUDGET = budget('NPS_PAGE_BUDGET', 221000);
const SERVQUAL_PAGE_BUDGET = budget('SERVQUAL_PAGE_BUDGET', 225000);
const PORTAL_BUDGET = budget('PORTAL_BUDGET', 560000);
const sizes = json('sizes.json');
if (sizes) {
  const { widget, portal, surveyjs, pages } = sizes;
  const ratio = (m) => `${(surveyjs.gzip / m.gzip).toFixed(2)}× / ${(surveyjs.brotli / m.brotli).toFixed(2)}×`;
  const cells = (m) => [bytes(m.raw), `${bytes(m.gzip)} (${kib(m.gzip)})`, `${bytes(m.brotli)} (${kib(m.brotli)})`, ratio(m)];
  // Goals on the wire: met when the page is within it both gzip and brotli (the server sends brotli).
  const pageRow = (label, m, goal, testBudget) => [label, ...cells(m),
    `≤ ${kib(goal)} (issue); ≤ ${bytes(testBudget)} as served (test budget)`,
    `${mark(m.brotli <= goal)}; ${mark(m.brotli <= testBudget)}`];
  const portalMet = portal.brotli <= PORTAL_BUDGET;
  const rows = [
    ['widget alone (Wasm + JS glue + loader + CSS)', ...cells(widget), '—', '—'],
  ];
  if (pages) {
    rows.push(pageRow(`host page with one NPS survey (widget + definition: ${bytes(pages.nps.definition.gzip)} gzip, ${bytes(pages.nps.definition.brotli)} brotli)`,
      pages.nps, NPS_GOAL, NPS_PAGE_BUDGET));
    rows.push(pageRow(`host page with one SERVQUAL survey (widget + definition: ${bytes(pages.servqual.definition.gzip)} gzip, ${bytes(pages.servqual.definition.brotli)} brotli)`,
      pages.servqual, SERVQUAL_GOAL, SERVQUAL_PAGE_BUDGET));
  }
  rows.push(['portal first load (Wasm + JS glue + boot.js + CSS)', ...cells(portal), `≤ ${bytes(PORTAL_BUDGET)} as served (test budget)`, mark(portalMet)]);
  rows.push([`SurveyJS, one rating question (survey-core + survey-js-ui ${surveyjs.versions['survey-js-ui']}, esbuild --bundle --minify, JS + CSS)`,
    ...cells(surveyjs).slice(0, 3), '1.00×', '—', '—']);
  sections.push(
    `### 1. Transfer sizes (gzip -9; brotli quality 11)\n\n` +
      table(['bundle', 'raw', 'gzip -9', 'brotli', 'SurveyJS ÷ this (gzip / brotli)', 'goal', 'met?'], rows) +
      '\n\nThe host pages count what a respondent downloads until the first question can be answered: the widget\'s files ' +
      '(precompressed) and the instrument definition as the reference server compresses it. The budgets are bytes as ' +
      'served and are enforced by the test command (`scripts/sizes.sh --check`); this table only reports them.',
  );
  for (const [name, m, goal] of pages ? [['NPS', pages.nps, NPS_GOAL], ['SERVQUAL', pages.servqual, SERVQUAL_GOAL]] : []) {
    if (m.brotli <= goal) continue;
    const wasm = widget.parts.find((p) => p.file.endsWith('.wasm'));
    misses.push(
      `**Widget, ${name} host page** (${kib(m.brotli)} brotli, goal ${kib(goal)}): the Wasm is ${kib(wasm.brotli)} of it ` +
        `(${Math.round((100 * wasm.brotli) / m.brotli)} %), one module for every kind of survey; Leptos' reactive and ` +
        'rendering code and the scoring core dominate it (function sizes: issue 17).',
    );
  }
  if (pages && pages.nps.brotli > NPS_PAGE_BUDGET) misses.push(`**Widget, NPS host page** is over the test budget (${bytes(NPS_PAGE_BUDGET)}): the test command fails.`);
  if (pages && pages.servqual.brotli > SERVQUAL_PAGE_BUDGET) misses.push(`**Widget, SERVQUAL host page** is over the test budget (${bytes(SERVQUAL_PAGE_BUDGET)}): the test command fails.`);
  if (!portalMet) misses.push(`**Portal first load** is over the test budget (${bytes(PORTAL_BUDGET)}): the test command fails.`);
} else {
  sections.push(`### 1. Transfer sizes\n\nnot measured: ${failure('sizes') ?? 'no result'}`);
}

// 1b. Cold loads per page (route-level code splitting, issue 16).
const loads = json('route-loads.json');
if (loads) {
  // Before splitting (a build of main of 7 Dec 2026, measured the same way), every page loaded the whole
  // bundle: 6 code files, 623.5 KiB as served (831.2 KiB gzip), 11-14 requests.
  sections.push(
    '### 1b. Cold load per page (empty cache, until usable and the network is idle)\n\n' +
      table(
        ['page', 'requests', 'code files (chunks)', 'code as served (brotli 11)', 'code gzip', 'goal (issue 16)', 'met?'],
        loads.rows.map((r) => {
          const goal = r.page.startsWith('sign-in') ? 200 * 1024 : r.page === 'analyst' ? null : 300 * 1024;
          return [r.page, String(r.requests), `${r.code_files} (${r.chunks})`, `${bytes(r.served)} (${kib(r.served)})`,
            `${bytes(r.gzip)} (${kib(r.gzip)})`, goal == null ? '—' : `≤ ${kib(goal)} on the wire`, goal == null ? '—' : mark(r.served <= goal)];
        }),
      ) +
      '\n\nCode is the Wasm, JS and CSS the page fetched; the rest of the requests are API calls, the configuration and the icon. ' +
      'Before route-level splitting every page loaded 6 code files, 623.5 KiB as served (831.2 KiB gzip). ' +
      'The route budget of `scripts/sizes.sh` holds the largest direct load of a customer page group.' +
      (loads.phone_sign_in_median_ms != null
        ? `\n\nSign-in usable under the phone profile (CPU 4× slower, 1.6 Mbit/s down, 150 ms round trip, empty cache): ` +
          `median ${ms(loads.phone_sign_in_median_ms)} of ${loads.phone_sign_in_ms.length} runs (goal ≤ 2.5 s: ${mark(loads.phone_sign_in_median_ms <= 2500)}).`
        : ''),
  );
} else {
  sections.push(`### 1b. Cold load per page\n\nnot measured: ${failure('route-loads') ?? 'no result'}`);
}

// 2. Lighthouse
const lh = json('lighthouse.json');
if (lh) {
  const thr = lh.pages[0]?.throttling;
  const rows = lh.pages.map((p) => {
    const met = p.performance >= 95 && p.accessibility === 100 && p.bestPractices === 100 && !p.redirected;
    return [
      `${p.name} (\`${p.path}\`)${p.redirected ? ` — ended on \`${p.finalPath}\`` : ''}`,
      String(p.performance), String(p.accessibility), String(p.bestPractices),
      ms(p.lcp), ms(p.tbt), p.cls.toFixed(3), '≥ 95 / 100 / 100', mark(met),
    ];
  });
  sections.push(
    `### 2. Lighthouse ${lh.pages[0]?.lighthouse ?? ''} (mobile preset, median of ${lh.runs} run${lh.runs === 1 ? '' : 's'} by performance)\n\n` +
      table(['page', 'performance', 'accessibility', 'best practices', 'LCP', 'TBT', 'CLS', 'goal', 'met?'], rows) +
      (thr ? `\n\nSimulated mobile: ${(thr.downloadThroughputKbps / 1024).toFixed(2)} Mbit/s down, ${thr.rttMs} ms round trip, CPU slowed ${thr.cpuSlowdownMultiplier}×. ` : '\n\n') +
      'Performance runs: ' + lh.pages.map((p) => `${p.name} ${p.runs.join('/')}`).join(', ') + '.',
  );
  // Pages whose score is lost mostly to the same metric and the same download share one line.
  const short = (url) => `\`${url.replace(/-[0-9a-f]{16}/, '-…')}\``;
  const compressed = (url) => {
    const name = url.split('/').pop();
    return sizes && [...sizes.widget.parts, ...sizes.portal.parts].find((f) => f.file.endsWith(`/${name}`));
  };
  const groups = new Map();
  for (const p of lh.pages) {
    if (p.redirected) misses.push(`**Lighthouse ${p.name}**: the page ended on \`${p.finalPath}\`, not \`${p.path}\`; the figures are not the page's.`);
    for (const [cat, label, score] of [['accessibility', 'accessibility', p.accessibility], ['bestPractices', 'best practices', p.bestPractices]]) {
      if (score < 100) misses.push(`**Lighthouse ${label}, ${p.name}** (${score}, goal 100): ${p.failing[cat].map((a) => a.title).join('; ') || 'see the report'}.`);
    }
    if (p.performance >= 95) continue;
    const key = `${p.lost[0]?.metric}|${p.requests[0]?.url}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(p);
  }
  const range = (xs, f) => {
    const lo = Math.min(...xs), hi = Math.max(...xs);
    return lo === hi ? f(lo) : `${f(lo)}–${f(hi)}`;
  };
  for (const pages of groups.values()) {
    const first = pages[0];
    const names = pages.map((p) => `${p.name} ${p.performance}`).join(', ');
    const parts = [];
    // Every metric that costs at least one point on one of these pages, largest loss first.
    const metrics = [...new Set(pages.flatMap((p) => p.lost.filter((l) => l.points >= 1).map((l) => l.metric)))];
    const worst = (m) => Math.max(...pages.map((p) => p.lost.find((l) => l.metric === m)?.points ?? 0));
    metrics.sort((a, b) => worst(b) - worst(a));
    for (const m of metrics) {
      const pts = `up to −${worst(m)} points`;
      if (m === 'LCP' || m === 'FCP' || m === 'SI') {
        if (m !== 'LCP' && metrics.includes('LCP')) continue; // same cause as LCP
        const big = first.requests[0];
        const secs = (b) => (thr ? (b * 8) / (thr.downloadThroughputKbps * 1000) : null);
        let why = `${m} ${range(pages.map((p) => p.lcp / 1000), (x) => x.toFixed(1))} s (${pts})`;
        if (big) {
          const plain = big.transfer >= 0.9 * big.resource;
          const br = compressed(big.url);
          why += `: the largest download is ${short(big.url)}, ${kib(big.transfer)}` +
            (plain ? ', sent uncompressed (the reference server does not gzip or brotli its files)' : '') +
            (secs(big.transfer) ? `, ≈ ${secs(big.transfer).toFixed(1)} s at the simulated bandwidth` : '') +
            (plain && br ? ` (brotli: ${kib(br.brotli)}, ≈ ${secs(br.brotli).toFixed(1)} s)` : '');
          // The largest paint comes after that download: what is painted is drawn by the app's Wasm.
          if (secs(big.transfer) && pages.every((p) => p.lcp >= secs(big.transfer) * 1000)) {
            why += '; the LCP element is drawn by the Wasm app, so it waits for that download and its start-up';
          }
        }
        parts.push(why);
      } else if (m === 'CLS') {
        const c = pages.flatMap((p) =>
          p.clsCulprits.slice(0, 2).map((x) => `${pages.length > 1 ? `${p.name} ` : ''}\`${x.selector}\` ${x.score.toFixed(3)}`));
        parts.push(`CLS ${range(pages.map((p) => p.cls), (x) => x.toFixed(3))} (${pts})` +
          (c.length ? `: shifts at ${c.join(', ')}; content that appears after start-up pushes what follows down, with no space reserved for it` : ''));
      } else if (m === 'TBT') {
        const b = first.bootup.find((x) => x.url !== 'Unattributable');
        parts.push(`TBT ${range(pages.map((p) => p.tbt), (x) => `${Math.round(x)}`)} ms (${pts})` +
          (b ? `: the script with the most main-thread time is ${short(b.url)} (${ms(b.total)} on ${first.name}), the glue through which the Wasm app starts and renders once it has arrived` : ''));
      } else parts.push(`${m} (${pts})`);
    }
    const opp = first.failing.performance.filter((a) => a.display).slice(0, 3).map((a) => `${a.title} (${a.display})`);
    misses.push(`**Lighthouse performance** (${names}; goal 95): ${parts.join('; ')}.` +
      (opp.length ? ` The report's next opportunities${pages.length > 1 ? ` (${first.name})` : ''}: ${opp.join(', ')}.` : ''));
  }
} else {
  sections.push(`### 2. Lighthouse\n\nnot measured: ${failure('lighthouse') ?? 'no result'}`);
}

// 3. History rendering and scoring
const history = read('history.txt');
const histRows = [];
if (history && !failure('history')) {
  const grab = (label) => history.split('\n').find((l) => l.startsWith(`| ${label}`))?.split('|').map((c) => c.trim());
  const median = grab('data arrival → interactive list, median');
  const spread = grab('data arrival → interactive list, min / max');
  const top = grab('rows in the DOM at the top');
  const end = grab('rows in the DOM at the end');
  const medianMs = parseFloat(median[2]);
  const rowsTop = parseInt(top[2], 10);
  const rowsEnd = parseInt(end[2], 10);
  const noJs = 'not measured: no plain-JS reference yet';
  histRows.push(
    ['history, 10,000 entries: data arrival → interactive list, median', `${median[2]} (min / max ${spread[2]})`, noJs, '—', '≤ 200 ms', mark(medianMs <= 200)],
    ['history: rows in the DOM at the top / at the end', `${rowsTop} / ${end[2]}`, noJs, '—', '≤ 100', mark(rowsTop <= 100 && rowsEnd <= 100)],
  );
  if (medianMs > 200) misses.push(`**History, time to an interactive list** (${median[2]}, goal 200 ms): see \`scripts/bench-history.sh\`.`);
  if (rowsTop > 100 || rowsEnd > 100) misses.push(`**History, rows in the DOM** (${rowsTop} / ${rowsEnd}, goal 100): the list window is not limiting the rows.`);
} else {
  histRows.push(['history rendering', `not measured: ${failure('history') ?? 'no result'}`, '', '', '≤ 200 ms', '—']);
}
const scoring = read('scoring.txt');
if (scoring && !failure('scoring')) {
  const line = (label) => scoring.split('\n').find((l) => l.startsWith(`| ${label}`))?.split('|').map((c) => c.trim());
  const js = line('plain JavaScript in node');
  const heading = scoring.split('\n').find((l) => l.startsWith('alpha')) ?? 'scoring';
  for (const [label, name] of [['Wasm in node, simd128', 'Wasm simd128'], ['Wasm in node, baseline', 'Wasm baseline'], ['native Rust', 'native Rust']]) {
    const r = line(label);
    if (r) histRows.push([`scoring (${heading.replace(/^alpha.*?, /, '')}): ${name}`, `${r[2]} ms`, `${js[2]} ms`, r[3], '— (printed only)', '—']);
  }
} else {
  histRows.push(['scoring, 1M SERVQUAL responses', `not measured: ${failure('scoring') ?? 'no result'}`, '', '', '— (printed only)', '—']);
}
sections.push(
  '### 3. History rendering and scoring (Wasm vs plain JavaScript)\n\n' +
    table(['measure', 'Wasm', 'plain JS', 'JS ÷ Wasm', 'goal', 'met?'], histRows),
);

// 4. Server load (scripts/bench-load.sh)
const load = failure('load') ? null : json('load.json');
if (load) {
  sections.push(
    '### 4. Server load: the order list (wrk, beside json-server on the same orders)\n\n' +
      `${loadTable(load)}\n\n${goalLine(load)}\n\n${settingsLine(load.settings)}`,
  );
  if (!load.met) {
    misses.push(
      `**Server load** (${load.ratio.toFixed(2)}× json-server's requests/s, p99 ${load.rapport.p99Ms.toFixed(1)} ms; ` +
        `goal ≥ ${load.goal.ratio}× with p99 ≤ ${load.goal.p99Ms} ms): ${load.whereTimeGoes ?? 'see scripts/bench-load.sh'}`,
    );
  }
} else {
  sections.push(`### 4. Server load\n\nnot measured: ${failure('load') ?? 'no result'}`);
}

// 5. Analyst view (scripts/bench-analyst.sh)
const analyst = json('analyst.json');
if (analyst && !analyst.error) {
  sections.push(analystSection(analyst, { withMiss: false }));
  const miss = analystMiss(analyst);
  if (miss) misses.push(miss);
} else {
  sections.push(analystSection({ error: analyst?.error ?? failure('analyst') ?? 'no result' }));
}

// Machine
const sh = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
};
const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
const osName = (existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] : null) ?? os.type();
const machine = [
  `- CPU: ${cpu}, ${os.cpus().length} cores`,
  `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  `- OS: ${osName} (Linux ${os.release()})`,
  `- browser: ${sh(process.env.CHROME_PATH || 'chromium', ['--version']).split('\n').pop()}`,
  `- ${sh('rustc', ['--version'])}; node ${process.version}`,
];
const date = sh('date', ['-u']);

const tables = sections.join('\n\n');
const whatDominates = misses.length ? misses.map((m) => `- ${m}`).join('\n') : 'Every figure with a goal meets it.';
const doc = `# Benchmarks

Written by \`scripts/bench.sh\`; run it again to refresh this file. Timings depend on the machine and on
what else runs on it; only the bundle budgets are enforced (by the test command).

Date: ${date}

Machine:

${machine.join('\n')}

## Results

${tables}

## What dominates the misses

${whatDominates}
`;
writeFileSync(join(root, 'BENCHMARKS.md'), doc);
console.log(`${tables}\n\n### What dominates the misses\n\n${whatDominates}\n\nWritten to BENCHMARKS.md`);
