// The embeddable <rapport-survey> on its demo page: a plain host page under a strict CSP with three
// instances of the widget (NPS in English, CSAT in Dutch with a theme, SERVQUAL with the respondent's
// scores). Each instance lives in its own shadow root; the host page hears about it only via events.
import { test, expect, expectAccessible } from './fixtures.js';
import { answerNps, bySegment, countResponses, expectThanks, npsRadio, send, statusOf, uniqueId } from './survey-helpers.js';

const INK = 'rgb(27, 31, 36)'; // --rs-ink
const HOST_RED = 'rgb(204, 0, 0)'; // the demo page's own `label, legend { color: #c00 !important }`
const DEFAULT_ACCENT = 'rgb(31, 78, 121)'; // --rs-accent of the widget
const THEMED_ACCENT = 'rgb(10, 107, 71)'; // --rs-accent set by the host on .themed

/** Records every CSP violation the page reports, from before its first script runs. */
async function watchCsp(page) {
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener(
      'securitypolicyviolation',
      (e) => window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`),
      true,
    );
  });
}

/** Opens the demo page and waits until all three surveys have loaded their instruments. */
async function openDemo(page) {
  const response = await page.goto('/widget/demo.html');
  const nps = page.locator('rapport-survey#nps');
  const csat = page.locator('rapport-survey#csat');
  const servqual = page.locator('rapport-survey#servqual');
  await expect(nps.getByRole('heading', { level: 2, name: 'Recommendation' })).toBeVisible();
  await expect(csat.getByRole('heading', { level: 2, name: 'Tevredenheid' })).toBeVisible();
  // A one-question survey says its title once, not again as the step's heading.
  await expect(nps.getByRole('heading', { name: 'Recommendation' })).toHaveCount(1);
  await expect(csat.getByRole('heading', { name: 'Tevredenheid' })).toHaveCount(1);
  await expect(
    servqual.getByRole('heading', { level: 2, name: 'Service quality: expectations and experience' }),
  ).toBeVisible();
  return { response, nps, csat, servqual };
}

/** Radio `n` of a single-question survey (the names end in the number, or the number and an end label). */
function option(survey, n) {
  return npsRadio(survey, n);
}

/** The status line is empty (and then hidden, so not found by its role). */
async function expectNoStatus(survey) {
  await expect(survey.locator('.rs-form > .rs-status')).toHaveText('');
}

test('the demo page is a plain host page under a strict CSP, and the widget runs there without violations', async ({ page }) => {
  await watchCsp(page);
  const { response, nps, csat, servqual } = await openDemo(page);

  const csp = response.headers()['content-security-policy'];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain("'unsafe-eval'");

  // Nothing inline on the host page: the widget is one module script and one element per survey.
  const inline = await page.evaluate(() => ({
    scripts: document.querySelectorAll('script:not([src])').length,
    styles: document.querySelectorAll('style, [style]').length,
  }));
  expect(inline).toEqual({ scripts: 0, styles: 0 });

  // Each instance renders into its own open shadow root, and the page has exactly the three of them.
  await expect(page.locator('rapport-survey')).toHaveCount(3);
  for (const survey of [nps, csat, servqual]) {
    expect(await survey.evaluate((el) => el.shadowRoot?.mode)).toBe('open');
  }

  // Answering exercises the rest of the widget (saving, events) under the same policy.
  await answerNps(nps, 9);
  await expect(statusOf(nps)).toHaveText('Your answers are saved on this device.');
  expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
});

test('three instances are independent, and the host page hears about answers', async ({ page }) => {
  const { nps, csat, servqual } = await openDemo(page);

  await expect(nps.getByRole('radiogroup', { name: /recommend Example Shop/ })).toBeVisible();
  await expect(csat.getByRole('radiogroup', { name: /tevreden bent u .* over Example Shop/ })).toBeVisible();
  await expect(servqual.getByRole('radiogroup')).toHaveCount(22);

  await answerNps(nps, 9);
  await expect(page.locator('#log')).toHaveText('rapport-answered {"item":"NPS","value":9}');
  await expect(statusOf(nps)).toHaveText('Your answers are saved on this device.');
  await expect(nps.getByRole('progressbar')).toHaveAccessibleName('1 of 1 questions answered');

  // The other two instances are untouched.
  await expect(csat.locator('input[type=radio]:checked')).toHaveCount(0);
  await expect(servqual.locator('input[type=radio]:checked')).toHaveCount(0);
  await expectNoStatus(csat);
  await expectNoStatus(servqual);
  await expect(csat.getByRole('progressbar')).toHaveAccessibleName('0 van 1 vragen beantwoord');
  await expect(servqual.getByRole('progressbar')).toHaveAccessibleName('0 of 45 questions answered');

  // And answering another one leaves the first as it was.
  await option(csat, 4).check();
  await expect(page.locator('#log')).toHaveText('rapport-answered {"item":"CSAT","value":4}');
  await expect(statusOf(csat)).toHaveText('Uw antwoorden zijn op dit apparaat bewaard.');
  await expect(option(nps, 9)).toBeChecked();
  await expect(nps.locator('input[type=radio]:checked')).toHaveCount(1);
  await expect(servqual.locator('input[type=radio]:checked')).toHaveCount(0);
});

test("the host page's styles stay out of the shadow roots, and the theme's accent gets in", async ({ page }) => {
  const { nps, csat } = await openDemo(page);

  // The host page makes every label and legend red; the widget's own labels and legends keep its ink.
  const colour = (locator) => locator.evaluate((el) => getComputedStyle(el).color);
  expect(await colour(nps.locator('label').first())).toBe(INK);
  expect(await colour(nps.locator('legend').first())).toBe(INK);
  expect(await colour(csat.locator('label').first())).not.toBe(HOST_RED);
  expect(await colour(csat.locator('legend').first())).not.toBe(HOST_RED);

  // The themed instance paints a chosen option in the host's accent colour, the other in the default.
  await answerNps(nps, 7);
  await option(csat, 4).check();
  const background = (survey) => survey.locator('input:checked + label').evaluate((el) => getComputedStyle(el).backgroundColor);
  const plain = await background(nps);
  const themed = await background(csat);
  expect(plain).toBe(DEFAULT_ACCENT);
  expect(themed).toBe(THEMED_ACCENT);
  expect(themed).not.toBe(plain);
  // The themed radius (--rs-radius: 2px) reaches the options too.
  expect(await csat.locator('input:checked + label').evaluate((el) => getComputedStyle(el).borderTopLeftRadius)).toBe('2px');
});

test('arrow keys move the choice within a radio group and keep the focus there', async ({ page }) => {
  const { csat } = await openDemo(page);
  await option(csat, 2).focus();
  await page.keyboard.press('ArrowRight');
  await expect(option(csat, 3)).toBeChecked();
  await expect(page.locator('#log')).toHaveText('rapport-answered {"item":"CSAT","value":3}');
  // The focus stays on the chosen radio, so that the next arrow key goes on from there.
  await expect(option(csat, 3)).toBeFocused();

  await page.keyboard.press('ArrowRight');
  await expect(option(csat, 4)).toBeChecked();
  await expect(option(csat, 4)).toBeFocused();

  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(option(csat, 2)).toBeChecked();
  await expect(page.locator('#log')).toHaveText('rapport-answered {"item":"CSAT","value":2}');

  // Down to the first option.
  await page.keyboard.press('ArrowLeft');
  await expect(option(csat, 1)).toBeChecked();
  await expect(option(csat, 1)).toBeFocused();
  await expect(csat.locator('input[type=radio]:checked')).toHaveCount(1);
});

test('reset() forgets the saved answers of that survey only', async ({ page }) => {
  let { nps, csat } = await openDemo(page);
  await answerNps(nps, 9);
  await option(csat, 5).check();
  // Both saves are asynchronous (IndexedDB): reload only once each survey says its answers are kept.
  await expect(statusOf(nps)).toHaveText('Your answers are saved on this device.');
  await expect(statusOf(csat)).toHaveText('Uw antwoorden zijn op dit apparaat bewaard.');

  // The answers are saved on the device: a reload shows them again.
  await page.reload();
  ({ nps, csat } = await openDemo(page));
  await expect(npsRadio(nps, 9)).toBeChecked();
  await expect(option(csat, 5)).toBeChecked();

  // "Start this survey again" calls reset() on the NPS survey; it mounts again (and says so).
  await page.getByRole('button', { name: 'Start this survey again' }).click();
  await expect(page.locator('#log')).toHaveText('rapport-started {"instrument":"nps"}');
  await expect(nps.getByRole('radiogroup', { name: /recommend Example Shop/ })).toBeVisible();
  await expect(nps.locator('input[type=radio]:checked')).toHaveCount(0);
  await expect(nps.getByRole('progressbar')).toHaveAccessibleName('0 of 1 questions answered');
  await expectNoStatus(nps);
  await expect(option(csat, 5)).toBeChecked();

  // The draft is really gone, not just hidden.
  await page.reload();
  ({ nps, csat } = await openDemo(page));
  await expect(nps.locator('input[type=radio]:checked')).toHaveCount(0);
  await expect(option(csat, 5)).toBeChecked();

  // And the survey works as before after a reset.
  await answerNps(nps, 3);
  await expect(page.locator('#log')).toHaveText('rapport-answered {"item":"NPS","value":3}');
});

test('the demo page, shadow roots included, has no axe violations', async ({ page }) => {
  const { nps, csat } = await openDemo(page);
  await expectAccessible(page);
  // Again with chosen options, which have other colours.
  await answerNps(nps, 10);
  await option(csat, 1).check();
  await expect(statusOf(csat)).toHaveText('Uw antwoorden zijn op dit apparaat bewaard.');
  await expectAccessible(page);
});

test('a firm\'s page on another origin embeds the widget under its own strict CSP', async ({ page, baseURL }) => {
  await watchCsp(page);
  // The firm's site: another origin (localhost instead of 127.0.0.1), allowing scripts, styles and
  // connections only from itself and the Rapport server.
  const rapport = new URL(baseURL).origin;
  const firm = rapport.replace('127.0.0.1', 'localhost');
  const segment = uniqueId('cross-origin');
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${rapport} 'wasm-unsafe-eval'`,
    `style-src 'self' ${rapport}`,
    `connect-src 'self' ${rapport}`,
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
  await page.route(`${firm}/shop/thanks.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      headers: { 'content-security-policy': csp },
      body: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script type="module" src="${rapport}/widget/rapport-survey.js"></script></head>
<body><main><h1>Thanks for shopping</h1>
<rapport-survey instrument="nps" firm="Shop" segment="${segment}" context="${segment}"></rapport-survey>
</main></body></html>`,
    }),
  );
  await page.goto(`${firm}/shop/thanks.html`);
  const survey = page.locator('rapport-survey');
  await answerNps(survey, 7);
  await send(survey);
  await expectThanks(survey);
  expect(countResponses(...bySegment(segment))).toBe(1);
  expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
});

/** A firm's page with the given CSS and one NPS survey, served under the Rapport server's origin. */
async function hostPage(page, baseURL, name, css) {
  const url = `${baseURL}/widget/${name}.html`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<style>${css}</style><script type="module" src="rapport-survey.js"></script></head>
<body><main><h1>Thanks for shopping</h1><p>Some text of the shop.</p>
<rapport-survey instrument="nps" firm="Shop" context="${name}"></rapport-survey>
<button type="button">The shop's own button</button></main></body></html>`,
    }),
  );
  await page.goto(url);
  const survey = page.locator('rapport-survey');
  await expect(survey.getByRole('heading', { level: 2, name: 'Recommendation' })).toBeVisible();
  return survey;
}

const STYLE_PROPS = [
  'fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'lineHeight', 'letterSpacing', 'textTransform', 'color',
  'backgroundColor', 'paddingLeft', 'marginBottom', 'minWidth',
];
const STYLED_PARTS = ['.rs-title', 'legend', '.rs-option label', '.rs-ends span', '.rs-nav .rs-button', '.rs-nav .rs-secondary'];

/** The computed styles of the widget's parts that a host page would most likely disturb. */
async function widgetStyles(survey) {
  const styles = {};
  for (const selector of STYLED_PARTS) {
    styles[selector] = await survey.locator(selector).first().evaluate((el, props) => {
      const s = getComputedStyle(el);
      return Object.fromEntries(props.map((p) => [p, s[p]]));
    }, STYLE_PROPS);
  }
  return styles;
}

test("a host page's hostile CSS changes none of the widget's styles; --rs-font-family and --rs-font-size do", async ({ page, baseURL }) => {
  const plain = await widgetStyles(await hostPage(page, baseURL, 'plain-host', ''));
  // What a shop's stylesheet may hold: a 62.5 % root size (rem = 10px), fonts and colours on `*` and on
  // the element itself, important rules on buttons.
  const hostile = `
    html { font-size: 62.5%; line-height: 3; }
    * { font-family: "Comic Sans MS", cursive !important; line-height: 2.5 !important; letter-spacing: 3px;
        text-transform: uppercase; color: #f0f !important; font-style: italic; word-spacing: 9px; }
    body { font-size: 22px; font-weight: 700; }
    button { background: yellow !important; color: purple !important; border: 5px dotted red; font-size: 30px; padding: 20px; }
    label, legend, h2, p, span { font-size: 40px !important; margin: 30px !important; }
    rapport-survey { font: italic 900 31px/4 serif; color: lime; text-align: center; }`;
  const disturbed = await widgetStyles(await hostPage(page, baseURL, 'hostile-host', hostile));
  expect(disturbed).toEqual(plain);
  // The page's own button did take the hostile styles: the rules were live.
  expect(await page.locator('main > button').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 255, 0)');

  // The documented properties do theme it.
  const themedSurvey = await hostPage(page, baseURL, 'themed-host', `${hostile}
    rapport-survey { --rs-font-family: Georgia, serif; --rs-font-size: 20px; }`);
  const themed = await widgetStyles(themedSurvey);
  for (const selector of STYLED_PARTS) {
    expect(themed[selector].fontFamily, selector).toBe('Georgia, serif');
    expect(themed[selector].fontFamily).not.toBe(plain[selector].fontFamily);
  }
  expect(themed['legend'].fontSize).toBe('20px');
  expect(plain['legend'].fontSize).toBe('16px');
  // Sizes follow the theme's font size (em, not the page's rem).
  expect(parseFloat(themed['.rs-title'].fontSize)).toBeCloseTo(25, 1);
  expect(themed['.rs-nav .rs-button'].color).toBe(plain['.rs-nav .rs-button'].color);
});

test('rapport-survey.js is the one stable, revalidated URL; the files it loads are content-hashed, immutable and precompressed', async ({ request }) => {
  const loader = await request.get('/widget/rapport-survey.js');
  expect(loader.status()).toBe(200);
  expect(loader.headers()['cache-control']).toBe('no-cache');
  const lastModified = loader.headers()['last-modified'];
  expect(lastModified).toBeTruthy();
  // The validator: an unchanged loader costs a 304 and no body.
  const again = await request.get('/widget/rapport-survey.js', { headers: { 'if-modified-since': lastModified } });
  expect(again.status()).toBe(304);

  const source = await loader.text();
  const names = [...source.matchAll(/'\.\/([^']+)'/g)].map((m) => m[1]);
  expect(names).toEqual([
    expect.stringMatching(/^rapport_survey_kit-[0-9a-f]{16,}\.js$/),
    expect.stringMatching(/^rapport_survey_kit-[0-9a-f]{16,}_bg\.wasm$/),
    expect.stringMatching(/^rapport-survey-[0-9a-f]{16,}\.css$/),
  ]);
  for (const name of names) {
    for (const encoding of ['br', 'gzip']) {
      const file = await request.get(`/widget/${name}`, { headers: { 'accept-encoding': encoding } });
      expect(file.status(), name).toBe(200);
      expect(file.headers()['cache-control'], name).toBe('public, max-age=31536000, immutable');
      expect(file.headers()['content-encoding'], `${name} ${encoding}`).toBe(encoding);
    }
  }
});
