// Whole journeys through the survey kit: SERVQUAL by keyboard alone, the 100-point allocation, the
// zone-of-tolerance layout, the widget in three languages, a survey inside the portal, axe on every kind
// of step, and the events a host page receives. Answers are checked where they end up: the server's
// survey_responses table.
import { test, expect, expectAccessible, signIn, DEMO } from './fixtures.js';
import {
  addSurvey,
  answerNps,
  bySegment,
  countResponses,
  expectThanks,
  npsRadio,
  savedDraft,
  send,
  sendButton,
  statusOf,
  storedResponses,
  uniqueId,
} from './survey-helpers.js';

const FIRM = 'Example Shop';
const DIMENSIONS = ['Tangibles', 'Reliability', 'Responsiveness', 'Assurance', 'Empathy'];
const ASPECTS = [
  'How the premises, equipment, staff and materials look',
  'Delivering what was promised, dependably and accurately',
  'Willingness to help and to serve promptly',
  'Staff knowledge and courtesy, and the trust they inspire',
  'Caring, individual attention to each customer',
];
// The perception wording of SERVQUAL's first dimension (Tangibles), which the zone of tolerance shows.
const TANGIBLES = [
  `${FIRM} works with current, well-kept equipment.`,
  `The premises of ${FIRM} are pleasant to look at.`,
  `Staff at ${FIRM} look tidy and professional.`,
  `Leaflets, statements and other materials from ${FIRM} are clear and attractive.`,
];
const ZONE_COLUMNS = ['The least you would accept', 'What you would like', `What you get from ${FIRM}`];

// ---- helpers of this file ---------------------------------------------------------------------------

/** Opens the demo page (any host page would do) and adds a survey of its own, waiting until it shows. */
async function openSurvey(page, attrs) {
  await page.goto('/widget/demo.html');
  await expect(page.locator('rapport-survey#nps').getByRole('heading', { level: 2 })).toBeVisible();
  const survey = await addSurvey(page, attrs);
  await expect(survey.getByRole('heading', { level: 2 })).toBeVisible();
  return survey;
}

/** A fresh servqual survey with its own segment and draft. */
async function openServqual(page, extra = {}) {
  const segment = uniqueId('sq');
  const survey = await openSurvey(page, { instrument: 'servqual', segment, context: segment, ...extra });
  await expect(survey.getByRole('heading', { level: 2 })).toHaveText('Service quality: expectations and experience');
  return { survey, segment };
}

/** Radio `value` of the item whose group is named by `question` (exact question text). */
function radioOf(survey, question, value) {
  return survey
    .getByRole('radiogroup', { name: question, exact: true })
    .getByRole('radio', { name: new RegExp(`\\s${value}( |$)`) });
}

function nextButton(survey, name = 'Next') {
  return survey.getByRole('button', { name, exact: true });
}

/** Answers every row of the current step with `value` by clicking (used where the keyboard is not the point). */
async function answerAllRows(survey, value) {
  const groups = survey.getByRole('radiogroup');
  const n = await groups.count();
  for (let i = 0; i < n; i++) {
    await groups.nth(i).getByRole('radio', { name: new RegExp(`\\s${value}( |$)`) }).check();
  }
  return n;
}

/** The allocation's five number inputs, in order. */
function pointInputs(survey) {
  return ASPECTS.map((aspect) => survey.getByRole('spinbutton', { name: aspect, exact: true }));
}

async function allocate(survey, points) {
  const inputs = pointInputs(survey);
  for (let i = 0; i < points.length; i++) await inputs[i].fill(String(points[i]));
}

/**
 * What has the focus, looking through shadow roots: the element's tag, type, id, text and value, the
 * id of the <rapport-survey> it is in, and the outline of the element or (for a radio, whose input is
 * transparent) of its label.
 */
function focused(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    let host = null;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) {
      host = el;
      el = el.shadowRoot.activeElement;
    }
    if (!el || el === document.body) return { tag: 'body' };
    const root = el.getRootNode();
    const label = el.id && root.querySelector ? root.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null;
    const shown = el.type === 'radio' && label ? label : el;
    const style = getComputedStyle(shown);
    return {
      host: host?.id ?? null,
      tag: el.tagName.toLowerCase(),
      type: el.type ?? null,
      id: el.id,
      text: (el.textContent ?? '').trim(),
      value: el.value ?? null,
      checked: !!el.checked,
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
    };
  });
}

/** Waits until the focus is on what `match` describes (checked against `focused()`). */
async function expectFocus(page, match, message) {
  await expect.poll(() => focused(page), { message, timeout: 3_000 }).toMatchObject(match);
}

/** Presses `key` until `predicate(focused)` holds; fails after `max` presses. */
async function pressUntil(page, key, predicate, what, max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    if (predicate(f)) return f;
  }
  throw new Error(`${max} × ${key} did not reach ${what}; the focus is on ${JSON.stringify(await focused(page))}`);
}

/** Radio ids are `<prefix>-<item>-<value>`. */
const radioId = (item, value) => new RegExp(`-${item}-${value}$`);

/**
 * Answers one rating row by keyboard: the focus is on the row's first radio (nothing chosen yet);
 * Space chooses 1, then ArrowRight moves the choice up to `value`.
 */
async function answerRowByKeyboard(page, host, item, value) {
  await expectFocus(page, { host, type: 'radio', id: radioId(item, 1) }, `focus on the first radio of ${item}`);
  await page.keyboard.press('Space');
  await expectFocus(page, { host, id: radioId(item, 1), checked: true }, `${item}: Space chose 1 and kept the focus`);
  for (let v = 2; v <= value; v++) {
    await page.keyboard.press('ArrowRight');
    await expectFocus(page, { host, id: radioId(item, v), checked: true }, `${item}: ArrowRight moved to ${v}`);
  }
}

// ---- a. SERVQUAL by keyboard alone -----------------------------------------------------------------

test('a full SERVQUAL survey can be answered and sent with the keyboard alone', async ({ page }) => {
  test.setTimeout(180_000);
  const id = 'keyboard-servqual';
  const { survey, segment } = await openServqual(page, { id, 'show-scores': true });
  const expectation = 3;
  const perception = 2;
  let focusSeen = false;

  // From the top of the page, Tab through the other surveys to this one's first question.
  const first = await pressUntil(page, 'Tab', (f) => f.host === id, 'the new survey');
  expect(first).toMatchObject({ type: 'radio', id: radioId('E1', 1) });

  // Step 1: the 22 expectations.
  await expect(survey.getByText('Step 1 of 4')).toBeVisible();
  for (let n = 1; n <= 22; n++) {
    if (n > 1) await page.keyboard.press('Tab');
    await answerRowByKeyboard(page, id, `E${n}`, expectation);
    if (!focusSeen) {
      // The focused option is visibly marked (the transparent radio's label carries the outline).
      expect((await focused(page)).outline).toBe('solid 3px');
      focusSeen = true;
    }
  }
  await expect(survey.getByRole('progressbar')).toHaveAccessibleName('22 of 45 questions answered');
  await page.keyboard.press('Tab');
  await expectFocus(page, { host: id, tag: 'button', text: 'Next' }, 'Tab from the last row reaches Next');
  expect((await focused(page)).outline).toBe('solid 3px');
  await page.keyboard.press('Enter');

  // Step 2: the 22 perceptions; the focus starts at the step's heading.
  await expect(survey.getByText('Step 2 of 4')).toBeVisible();
  await expectFocus(page, { host: id, tag: 'h3', text: `Your experience with ${FIRM}` }, 'focus on the new step heading');
  for (let n = 1; n <= 22; n++) {
    await page.keyboard.press('Tab');
    await answerRowByKeyboard(page, id, `P${n}`, perception);
  }
  await pressUntil(page, 'Tab', (f) => f.host === id && f.text === 'Next', 'Next', 3);
  await page.keyboard.press('Enter');

  // Step 3: 20 points for each aspect, typed as digits.
  await expect(survey.getByText('Step 3 of 4')).toBeVisible();
  await expectFocus(page, { host: id, tag: 'h3' }, 'focus on the allocation heading');
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    await expectFocus(page, { host: id, tag: 'input', type: 'number', id: new RegExp(`-W_${['TAN', 'REL', 'RES', 'ASS', 'EMP'][i]}$`) });
    await page.keyboard.type('20');
    await expectFocus(page, { host: id, type: 'number', value: '20' }, `aspect ${i + 1}: both digits typed into the same field`);
    if (i === 0) expect((await focused(page)).outline).toBe('solid 3px');
  }
  await expect(survey.getByText('All points are given.')).toBeVisible();
  await pressUntil(page, 'Tab', (f) => f.host === id && f.text === 'Check my answers', 'Check my answers', 3);
  await page.keyboard.press('Enter');

  // Step 4: the review, then send (Shift+Tab and Tab around the send button on the way).
  await expect(survey.getByText('Step 4 of 4')).toBeVisible();
  await expectFocus(page, { host: id, tag: 'h3', text: 'Check your answers' });
  await expect(survey.locator('.rs-review dd')).toHaveCount(49);
  await expect(survey.locator('.rs-review dd').filter({ hasText: 'not answered' })).toHaveCount(0);
  await pressUntil(page, 'Tab', (f) => f.host === id && f.text === 'Send my answers', 'Send my answers', 10);
  await page.keyboard.press('Shift+Tab');
  await expectFocus(page, { host: id, tag: 'button', text: 'Back' });
  await page.keyboard.press('Tab');
  await expectFocus(page, { host: id, tag: 'button', text: 'Send my answers' });
  await page.keyboard.press('Enter');

  await expectThanks(survey);
  await expectFocus(page, { host: id, tag: 'h3', text: 'Thank you!' }, 'focus on the thank-you heading');
  const table = survey.getByRole('table');
  await expect(table.locator('caption')).toHaveText(/^Your scores per aspect/);
  for (const name of [...DIMENSIONS, 'Overall']) {
    await expect(table.getByRole('row', { name: new RegExp(`^${name}`) }).getByRole('cell')).toHaveText('-1.00');
  }

  // Stored exactly once, with every answer.
  expect(countResponses(...bySegment(segment))).toBe(1);
  const [row] = storedResponses(...bySegment(segment));
  expect(row.instrument_id).toBe('servqual');
  expect(Object.keys(row.answers)).toHaveLength(49);
  for (let n = 1; n <= 22; n++) {
    expect(row.answers[`E${n}`]).toBe(expectation);
    expect(row.answers[`P${n}`]).toBe(perception);
  }
  for (const w of ['W_TAN', 'W_REL', 'W_RES', 'W_ASS', 'W_EMP']) expect(row.answers[w]).toBe(20);
});

// ---- b. the allocation ------------------------------------------------------------------------------

test('the allocation lets the respondent go on only when the points add up to 100', async ({ page }) => {
  const { survey } = await openServqual(page);
  // The rating questions are optional: straight on to the allocation.
  await nextButton(survey).click();
  await expect(survey.getByText('Step 2 of 4')).toBeVisible();
  await nextButton(survey).click();
  await expect(survey.getByText('Step 3 of 4')).toBeVisible();

  const forward = nextButton(survey, 'Check my answers');
  const remaining = survey.locator('.rs-remaining');
  await expect(remaining).toHaveAttribute('aria-live', 'polite');
  await expect(remaining).toHaveText('100 points left to give');
  for (const input of pointInputs(survey)) await expect(input).toHaveValue('');

  await allocate(survey, [20, 20, 20, 20, 10]);
  await expect(remaining).toHaveText('10 points left to give');
  await expect(forward).toBeDisabled();

  await pointInputs(survey)[4].fill('30');
  await expect(remaining).toHaveText('10 points too many');
  await expect(forward).toBeDisabled();

  await pointInputs(survey)[4].fill('20');
  await expect(remaining).toHaveText('All points are given.');
  await expect(forward).toBeEnabled();
  await expect(survey.getByRole('progressbar')).toHaveAccessibleName('1 of 45 questions answered');
  for (const input of pointInputs(survey)) await expect(input).toHaveValue('20');

  await forward.click();
  await expect(survey.getByRole('heading', { name: 'Check your answers' })).toBeVisible();
  const weights = survey.locator('.rs-review').filter({ hasText: ASPECTS[0] });
  for (const aspect of ASPECTS) {
    await expect(weights.locator('.rs-review-line').filter({ hasText: aspect }).locator('dd')).toHaveText('20');
  }
});

// ---- c. zone of tolerance ---------------------------------------------------------------------------

test('the zone of tolerance asks three levels per statement, each radio named by statement and column', async ({ page }) => {
  const segment = uniqueId('zot');
  const survey = await openSurvey(page, { instrument: 'servqual-zot', segment, context: segment });
  await expect(survey.getByRole('heading', { level: 2 })).toHaveText('Service quality: zone of tolerance');
  await expect(survey.getByText('Step 1 of 6')).toBeVisible();
  await expect(survey.getByRole('heading', { level: 3 })).toHaveText('Tangibles');

  // One group per statement, three radio groups of 1–9 in each.
  const statements = survey.locator('.rs-zone');
  await expect(statements).toHaveCount(TANGIBLES.length);
  const levels = [4, 8, 6]; // least acceptable, desired, perceived
  for (const statement of TANGIBLES) {
    const group = survey.getByRole('group', { name: statement, exact: true });
    await expect(group).toBeVisible();
    const columns = group.getByRole('radiogroup');
    await expect(columns).toHaveCount(3);
    for (let k = 0; k < 3; k++) {
      await expect(columns.nth(k)).toHaveAccessibleName(ZONE_COLUMNS[k]);
      await expect(columns.nth(k).getByRole('radio')).toHaveCount(9);
      // The ends carry their labels; every radio names both the statement and the column.
      await expect(columns.nth(k).getByRole('radio').first()).toHaveAccessibleName(`${statement} ${ZONE_COLUMNS[k]} 1 Low`);
      await expect(columns.nth(k).getByRole('radio').last()).toHaveAccessibleName(`${statement} ${ZONE_COLUMNS[k]} 9 High`);
      const radio = survey.getByRole('radio', { name: `${statement} ${ZONE_COLUMNS[k]} ${levels[k]}`, exact: true });
      await expect(radio).toHaveCount(1);
      await radio.check();
      await expect(radio).toBeChecked();
    }
  }
  await expect(survey.getByRole('progressbar')).toHaveAccessibleName('12 of 66 questions answered');

  // The next dimension; the answers stay when coming back.
  await nextButton(survey).click();
  await expect(survey.getByText('Step 2 of 6')).toBeVisible();
  await expect(survey.getByRole('heading', { level: 3 })).toHaveText('Reliability');
  await survey.getByRole('button', { name: 'Back' }).click();
  await expect(survey.getByRole('heading', { level: 3 })).toHaveText('Tangibles');
  for (const statement of TANGIBLES) {
    for (let k = 0; k < 3; k++) {
      await expect(survey.getByRole('radio', { name: `${statement} ${ZONE_COLUMNS[k]} ${levels[k]}`, exact: true })).toBeChecked();
    }
  }
});

// ---- d. languages -----------------------------------------------------------------------------------

test('the widget speaks Dutch and German from its lang attribute', async ({ page }) => {
  const nl = await openSurvey(page, { instrument: 'servqual', lang: 'nl', context: uniqueId('nl') });
  await expect(nl.locator('.rs-survey')).toHaveAttribute('lang', 'nl');
  await expect(nl.getByRole('heading', { level: 2 })).toHaveText('Servicekwaliteit: verwachtingen en ervaring');
  await expect(nl.getByText('Stap 1 van 4')).toBeVisible();
  await expect(nl.getByRole('heading', { level: 3 })).toHaveText('Uw verwachtingen');
  await expect(nl.getByRole('progressbar')).toHaveAccessibleName('0 van 45 vragen beantwoord');
  const nlFirst = 'Uitstekende bedrijven van dit soort werken met actuele, goed onderhouden apparatuur.';
  await expect(radioOf(nl, nlFirst, 1)).toHaveAccessibleName(`${nlFirst} 1 Helemaal mee oneens`);
  await expect(nextButton(nl, 'Volgende')).toBeVisible();
  await expect(nl.getByRole('button', { name: 'Terug' })).toBeDisabled();
  await radioOf(nl, nlFirst, 5).check();
  await expect(statusOf(nl)).toHaveText('Uw antwoorden zijn op dit apparaat bewaard.');

  const npsNl = await addSurvey(page, { instrument: 'nps', lang: 'nl', segment: uniqueId('nps-nl'), context: uniqueId('nl') });
  await expect(npsNl.getByText('Stap 1 van 1')).toBeVisible();
  await expect(npsNl.getByRole('radiogroup', { name: `Hoe waarschijnlijk is het dat u ${FIRM} aanraadt bij een vriend of collega?` })).toBeVisible();
  await expect(npsRadio(npsNl, 0)).toHaveAccessibleName(/0 Zeer onwaarschijnlijk$/);
  await answerNps(npsNl, 8);
  await expect(npsNl.getByRole('button', { name: 'Mijn antwoorden versturen' })).toBeVisible();
  await npsNl.getByRole('button', { name: 'Mijn antwoorden versturen' }).click();
  await expect(npsNl.getByRole('heading', { name: 'Hartelijk dank!' })).toBeVisible();
  await expect(npsNl.getByText('Uw antwoorden zijn ontvangen.')).toBeVisible();

  const de = await addSurvey(page, { instrument: 'nps', lang: 'de', context: uniqueId('de') });
  await expect(de.locator('.rs-survey')).toHaveAttribute('lang', 'de');
  await expect(de.getByRole('heading', { level: 2 })).toHaveText('Weiterempfehlung');
  await expect(de.getByText('Schritt 1 von 1')).toBeVisible();
  await expect(de.getByRole('progressbar')).toHaveAccessibleName('0 von 1 Fragen beantwortet');
  await expect(de.getByRole('radiogroup', { name: `Wie wahrscheinlich ist es, dass Sie ${FIRM} Freunden oder Kollegen empfehlen?` })).toBeVisible();
  await expect(npsRadio(de, 10)).toHaveAccessibleName(/10 Sehr wahrscheinlich$/);
  await expect(de.getByRole('button', { name: 'Antworten senden' })).toBeVisible();
  await expect(de.getByRole('button', { name: 'Zurück' })).toBeDisabled();

  // Changing the attribute on a live element switches its language.
  await nl.evaluate((el) => el.setAttribute('lang', 'de'));
  await expect(nl.getByText('Schritt 1 von 4')).toBeVisible();
  await expect(nl.getByRole('heading', { level: 3 })).toHaveText('Ihre Erwartungen');
  await expect(nextButton(nl, 'Weiter')).toBeVisible();
});

test("without a lang attribute the widget follows the page's <html lang>", async ({ page }) => {
  await page.goto('/widget/demo.html');
  await expect(page.locator('rapport-survey#nps').getByRole('heading', { level: 2 })).toBeVisible();
  await page.evaluate(() => {
    document.documentElement.lang = 'de';
  });
  const de = await addSurvey(page, { instrument: 'csat', lang: null, context: uniqueId('html-de') });
  await expect(de).not.toHaveAttribute('lang');
  await expect(de.getByRole('heading', { level: 2 })).toHaveText('Zufriedenheit');
  await expect(de.getByText('Schritt 1 von 1')).toBeVisible();
  await expect(de.getByRole('radiogroup', { name: `Wie zufrieden sind Sie insgesamt mit ${FIRM}?` })).toBeVisible();
  await expect(de.getByRole('button', { name: 'Antworten senden' })).toBeVisible();

  await page.evaluate(() => {
    document.documentElement.lang = 'nl-BE';
  });
  const nl = await addSurvey(page, { instrument: 'csat', lang: null, context: uniqueId('html-nl') });
  await expect(nl.getByRole('heading', { level: 2 })).toHaveText('Tevredenheid');
  await expect(nl.getByText('Stap 1 van 1')).toBeVisible();
  await expect(nl.getByRole('button', { name: 'Mijn antwoorden versturen' })).toBeVisible();
});

// ---- e. in the portal -------------------------------------------------------------------------------

test('a signed-in customer answers the NPS survey in the portal, and it shows in the history', async ({ page }) => {
  await signIn(page);
  const card = page.getByRole('region', { name: 'Surveys for you' });
  await expect(card).toBeVisible();
  const link = card.getByRole('link', { name: 'One question: would you recommend us?' });
  await expect(link).toHaveAttribute('href', '/surveys/nps');
  const before = countResponses("instrument_id = 'nps' AND customer_id IS NOT NULL");

  await link.click();
  await expect(page).toHaveURL(/\/surveys\/nps$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Survey');
  const survey = page.locator('.rs-survey');
  await expect(survey.getByRole('radiogroup', { name: 'How likely are you to recommend Rapport to a friend or colleague?' })).toBeVisible();
  await expectAccessible(page);

  await answerNps(survey, 8);
  await expect(statusOf(survey)).toHaveText('Your answers are saved on this device.');
  await send(survey);
  await expectThanks(survey);
  await expect(survey.getByRole('table').getByRole('row', { name: /Your answer/ }).getByRole('cell')).toHaveText('8');
  await expectAccessible(page);
  await expect.poll(() => countResponses("instrument_id = 'nps' AND customer_id IS NOT NULL")).toBeGreaterThan(before);

  await page.goto('/history?kind=survey_answer');
  const rows = page.locator('.history-row.kind-survey_answer');
  await expect(rows.first()).toBeVisible();
  await expect(rows.first().locator('.h-kind')).toHaveText('Survey answer');
  await expect(rows.filter({ hasText: 'Recommendation' }).first()).toBeVisible();
});

test.describe('an answer sent after the session ended', () => {
  test.use({ expectedLoadFailures: [401] });

  test('asks for the password over the page, then sends the answer for the customer by itself', async ({ page, context }) => {
    await signIn(page);
    await page.goto('/surveys/nps');
    const survey = page.locator('.rs-survey');
    await answerNps(survey, 6);
    // Other tests store answers at the same time: counts only grow here, the server tests count exactly.
    const mine = "instrument_id = 'nps' AND customer_id IS NOT NULL";
    const before = countResponses(mine);

    // The cookie still goes with the request, but names no session (as after the idle timeout).
    const [cookie] = (await context.cookies()).filter((c) => c.name.includes('rapport_session'));
    expect(cookie, 'the session cookie').toBeTruthy();
    await context.addCookies([{ ...cookie, value: 'ended'.padEnd(cookie.value.length, '0') }]);
    await send(survey);

    const dialog = page.getByRole('dialog', { name: 'Please sign in again' });
    await expect(dialog).toBeVisible();
    await expect(statusOf(survey)).toContainText('Your session has ended');
    await dialog.getByLabel('Password').fill(DEMO.password);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect(dialog).toBeHidden();

    // Sent by itself once signed in again, for the customer.
    await expectThanks(survey);
    await expect.poll(() => countResponses(mine)).toBeGreaterThan(before);
  });
});

test("the portal's language switch changes the survey's language and keeps the answer", async ({ page }) => {
  await signIn(page);
  await page.goto('/surveys/nps');
  const survey = page.locator('.rs-survey');
  await expect(survey.getByRole('button', { name: 'Send my answers' })).toBeVisible();
  await answerNps(survey, 6);

  await page.getByLabel('Language').selectOption('nl');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vragenlijst');
  await expect(survey.getByRole('radiogroup', { name: 'Hoe waarschijnlijk is het dat u Rapport aanraadt bij een vriend of collega?' })).toBeVisible();
  await expect(survey.getByRole('button', { name: 'Mijn antwoorden versturen' })).toBeVisible();
  await expect(survey.getByText('Stap 1 van 1')).toBeVisible();
  await expect(survey).toHaveAttribute('lang', 'nl');
  await expect(npsRadio(survey, 6)).toBeChecked();

  await page.getByLabel('Taal').selectOption('de');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Umfrage');
  await expect(survey.getByRole('button', { name: 'Antworten senden' })).toBeVisible();
  await expect(npsRadio(survey, 6)).toBeChecked();
  await expectAccessible(page);
});

// ---- f. axe on every kind of step -------------------------------------------------------------------

test('every kind of SERVQUAL step passes axe: ratings, allocation, review, thank-you', async ({ page }) => {
  test.setTimeout(90_000);
  const id = 'axe-servqual';
  const { survey, segment } = await openServqual(page, { id, 'show-scores': true });
  const scope = `rapport-survey#${id}`;

  await expectAccessible(page, scope); // ratings, nothing chosen
  expect(await answerAllRows(survey, 6)).toBe(22);
  await expectAccessible(page, scope); // ratings, all chosen
  await nextButton(survey).click();
  await expect(survey.getByText('Step 2 of 4')).toBeVisible();
  await answerAllRows(survey, 5);
  await nextButton(survey).click();

  await expect(survey.getByText('Step 3 of 4')).toBeVisible();
  await expectAccessible(page, scope); // allocation, empty
  await allocate(survey, [30, 30, 30, 30, 10]);
  await expect(survey.getByText('30 points too many')).toBeVisible();
  await expectAccessible(page, scope); // allocation, over the total
  await pointInputs(survey)[1].fill('10');
  await pointInputs(survey)[2].fill('10');
  await pointInputs(survey)[3].fill('40');
  await expect(survey.getByText('All points are given.')).toBeVisible();
  await nextButton(survey, 'Check my answers').click();

  await expect(survey.getByRole('heading', { name: 'Check your answers' })).toBeVisible();
  await expectAccessible(page, scope); // review
  await send(survey);
  await expectThanks(survey);
  await expect(survey.getByRole('table')).toBeVisible();
  await expectAccessible(page, scope); // thank-you with scores
  expect(countResponses(...bySegment(segment))).toBe(1);
});

// ---- f2. code loaded on demand -----------------------------------------------------------------------

test.describe('the allocation and review code, loaded only by surveys that have them', () => {
  // The blocked download, and the chunk loader's report of it.
  test.use({ expectedLoadFailures: ['net::ERR_FAILED', 'contains: Failed to fetch'] });

  test('a failed download says so in the respondent\'s language, and trying again recovers the step', async ({ page }) => {
    test.setTimeout(90_000);
    let blocked = true;
    const requested = [];
    await page.route('**/widget/split_more_steps-*.wasm', (route) => {
      requested.push(route.request().url());
      return blocked ? route.abort() : route.continue();
    });
    const id = 'chunk-servqual';
    const { survey, segment } = await openServqual(page, { id });
    const events = await recordEvents(page);
    expect(await answerAllRows(survey, 6)).toBe(22);
    await nextButton(survey).click();
    await expect(survey.getByText('Step 2 of 4')).toBeVisible();
    await answerAllRows(survey, 5);
    await nextButton(survey).click();

    await expect(survey.getByText('Step 3 of 4')).toBeVisible();
    const alert = survey.getByRole('alert');
    await expect(alert).toContainText('This part of the survey could not be loaded. Your answers are kept');
    expect(requested.length).toBeGreaterThan(0);
    expect((await events(id)).map((e) => e.detail.code)).toContain('part_failed');

    blocked = false;
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect(pointInputs(survey)[0]).toBeVisible();
    await expect(survey.getByRole('alert')).toHaveCount(0);
    await allocate(survey, [20, 20, 20, 20, 20]);
    await expect(survey.getByText('All points are given.')).toBeVisible();
    await nextButton(survey, 'Check my answers').click();
    await expect(survey.getByRole('heading', { name: 'Check your answers' })).toBeVisible();
    await send(survey);
    await expectThanks(survey);
    const [row] = storedResponses(...bySegment(segment));
    expect(row.answers).toMatchObject({ E1: 6, P22: 5, W_TAN: 20, W_EMP: 20 });
    expect(countResponses(...bySegment(segment))).toBe(1);
  });

  test('in Dutch and German the message and its button are translated', async ({ page }) => {
    await page.route('**/widget/split_more_steps-*.wasm', (route) => route.abort());
    for (const [lang, message, retry] of [
      ['nl', 'Dit deel van de vragenlijst kon niet worden geladen.', 'Opnieuw proberen'],
      ['de', 'Dieser Teil der Umfrage konnte nicht geladen werden.', 'Erneut versuchen'],
    ]) {
      // The review step of the zone of tolerance comes from the same pack; "Next" goes there at once.
      const survey = await openSurvey(page, { instrument: 'servqual', lang, context: uniqueId(lang) });
      await survey.locator('.rs-nav button').last().click();
      await survey.locator('.rs-nav button').last().click();
      await expect(survey.getByRole('alert')).toContainText(message);
      await expect(survey.getByRole('alert').getByRole('button', { name: retry })).toBeVisible();
    }
  });

  test('a page with only an NPS survey never downloads it, only the sending code once its question shows', async ({ page }) => {
    const requested = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    // A firm's page with one NPS survey (served beside the widget, so its relative script URL works).
    await page.route('**/widget/nps-only.html', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!DOCTYPE html><html lang="en"><head><title>Shop</title>
          <script type="module" src="rapport-survey.js"></script></head>
          <body><main><rapport-survey id="only" instrument="nps" context="${uniqueId('nps')}"></rapport-survey></main></body></html>`,
      }),
    );
    await page.goto('/widget/nps-only.html');
    const survey = page.locator('rapport-survey#only');
    await answerNps(survey, 9);
    await send(survey);
    await expectThanks(survey);
    expect(requested.some((p) => /\/split_(more_steps|scores)-/.test(p))).toBe(false);
    expect(requested.filter((p) => /\/split_send-[0-9a-f]+\.wasm$/.test(p))).toHaveLength(1);
    expect(requested.some((p) => /\/rapport_survey_kit-[0-9a-f]+_bg\.wasm$/.test(p))).toBe(true);
  });
});

// ---- f3. the sending code, after the first question -------------------------------------------------

test.describe('the sending code, downloaded once the first question is on the screen', () => {
  // The blocked download, and the chunk loader's report of it.
  test.use({ expectedLoadFailures: ['net::ERR_FAILED', 'contains: Failed to fetch'] });

  /** Holds back every download of the sending code: `block` fails it, `hold` delays it until `release()`. */
  async function gateSendingCode(page) {
    const gate = { mode: 'block', requested: 0 };
    let release;
    const held = new Promise((resolve) => (release = resolve));
    gate.release = release;
    await page.route('**/widget/split_send-*.wasm', async (route) => {
      gate.requested++;
      if (gate.mode === 'block') return route.abort();
      if (gate.mode === 'hold') await held;
      return route.continue();
    });
    return gate;
  }

  test('a send before it has arrived waits for it, then the answer is stored once', async ({ page }) => {
    const gate = await gateSendingCode(page);
    gate.mode = 'hold';
    const segment = uniqueId('send-slow');
    const survey = await openSurvey(page, { instrument: 'nps', segment, context: segment });
    await answerNps(survey, 8);
    await expect.poll(async () => (await savedDraft(page, 'nps', segment))?.answers).toEqual({ NPS: 8 });
    await send(survey);
    await expect(statusOf(survey)).toHaveText('Sending your answers…');
    await expect(sendButton(survey)).toBeDisabled();
    await expect(npsRadio(survey, 8)).toBeDisabled();
    expect(gate.requested).toBeGreaterThan(0);
    expect(countResponses(...bySegment(segment))).toBe(0);

    gate.release();
    await expectThanks(survey);
    await expect.poll(() => countResponses(...bySegment(segment))).toBe(1);
    expect(storedResponses(...bySegment(segment))[0].answers).toEqual({ NPS: 8 });
  });

  test('an answer given before it arrives survives a reload; a failed download says so, and coming back online sends the answer once', async ({ page, context }) => {
    test.setTimeout(60_000);
    const gate = await gateSendingCode(page);
    const segment = uniqueId('send-fail');
    const attrs = { id: 'send-fail', instrument: 'nps', segment, context: segment };
    let survey = await openSurvey(page, attrs);
    await answerNps(survey, 3);
    await expect.poll(async () => (await savedDraft(page, 'nps', segment))?.answers).toEqual({ NPS: 3 });
    // The download after the first question failed, unnoticed until the answers are to be sent.
    await expect.poll(() => gate.requested).toBeGreaterThan(0);
    await expect(survey.getByRole('alert')).toHaveCount(0);

    await page.reload();
    survey = await addSurvey(page, attrs);
    await expect(npsRadio(survey, 3)).toBeChecked();
    await answerNps(survey, 9);
    await expect.poll(async () => (await savedDraft(page, 'nps', segment))?.answers).toEqual({ NPS: 9 });
    const events = await recordEvents(page);
    await send(survey);
    const alert = survey.getByRole('alert');
    await expect(alert).toContainText('This part of the survey could not be loaded. Your answers are kept');
    expect((await events(attrs.id)).map((e) => e.detail.code)).toContain('part_failed');
    await expect(npsRadio(survey, 9)).toBeChecked();
    await expectAccessible(page, `rapport-survey#${attrs.id}`);
    expect(countResponses(...bySegment(segment))).toBe(0);

    // Still failing: the message stays, nothing is sent.
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect(survey.getByRole('alert')).toContainText('This part of the survey could not be loaded.');
    expect(countResponses(...bySegment(segment))).toBe(0);

    // Back online (the connection was the trouble): it downloads again by itself and sends.
    gate.mode = 'pass';
    await context.setOffline(true);
    await context.setOffline(false);
    await expectThanks(survey);
    await expect(survey.getByRole('alert')).toHaveCount(0);
    await expect.poll(() => countResponses(...bySegment(segment))).toBe(1);
    expect(storedResponses(...bySegment(segment))[0].answers).toEqual({ NPS: 9 });
  });
});

// ---- g. events --------------------------------------------------------------------------------------

/** Starts recording the widget's events as the host document sees them. */
async function recordEvents(page) {
  await page.evaluate(() => {
    window.__events = [];
    for (const type of ['rapport-started', 'rapport-answered', 'rapport-submitted', 'rapport-error']) {
      document.addEventListener(type, (e) =>
        window.__events.push({
          type,
          target: e.target?.id ?? null,
          detail: JSON.parse(JSON.stringify(e.detail)),
          bubbles: e.bubbles,
          composed: e.composed,
        }),
      );
    }
  });
  return (target) => page.evaluate((t) => window.__events.filter((e) => e.target === t), target);
}

test('started, answered and submitted events reach the host document with their details', async ({ page }) => {
  await page.goto('/widget/demo.html');
  await expect(page.locator('rapport-survey#servqual').getByRole('heading', { level: 2 })).toBeVisible();
  const events = await recordEvents(page);
  const id = 'events-nps';
  const segment = uniqueId('ev');
  const survey = await addSurvey(page, { id, instrument: 'nps', segment, context: segment });

  await expect.poll(() => events(id)).toEqual([
    { type: 'rapport-started', target: id, detail: { instrument: 'nps' }, bubbles: true, composed: true },
  ]);

  await answerNps(survey, 7);
  await answerNps(survey, 10);
  await send(survey);
  await expectThanks(survey);
  const [row] = storedResponses(...bySegment(segment));
  expect(row.answers).toEqual({ NPS: 10 });
  await expect.poll(() => events(id)).toEqual([
    { type: 'rapport-started', target: id, detail: { instrument: 'nps' }, bubbles: true, composed: true },
    { type: 'rapport-answered', target: id, detail: { item: 'NPS', value: 7 }, bubbles: true, composed: true },
    { type: 'rapport-answered', target: id, detail: { item: 'NPS', value: 10 }, bubbles: true, composed: true },
    { type: 'rapport-submitted', target: id, detail: { id: row.id }, bubbles: true, composed: true },
  ]);
  expect(row.id).toMatch(/^sr_/);
});

test('clearing a point field reports the answer as null', async ({ page }) => {
  await page.goto('/widget/demo.html');
  await expect(page.locator('rapport-survey#servqual').getByRole('heading', { level: 2 })).toBeVisible();
  const events = await recordEvents(page);
  const id = 'events-points';
  const survey = await addSurvey(page, { id, instrument: 'servqual', context: uniqueId('ev') });
  await nextButton(survey).click();
  await nextButton(survey).click();
  await pointInputs(survey)[0].fill('25');
  await pointInputs(survey)[0].fill('');
  await expect.poll(async () => (await events(id)).filter((e) => e.type === 'rapport-answered').map((e) => e.detail)).toEqual([
    { item: 'W_TAN', value: 25 },
    { item: 'W_TAN', value: null },
  ]);
  await expect(survey.getByText('100 points left to give')).toBeVisible();
});

test.describe('a survey that cannot be loaded', () => {
  test.use({ expectedLoadFailures: [404] });

  test('reports rapport-error to the host document and offers to try again', async ({ page }) => {
    await page.goto('/widget/demo.html');
    await expect(page.locator('rapport-survey#nps').getByRole('heading', { level: 2 })).toBeVisible();
    const events = await recordEvents(page);
    const id = 'events-missing';
    const survey = await addSurvey(page, { id, instrument: 'no-such-survey', context: uniqueId('ev') });
    await expect(survey.getByRole('alert')).toContainText('The survey could not be loaded.');
    await expect(survey.getByRole('button', { name: 'Try again' })).toBeVisible();
    const [error] = await events(id);
    expect(error).toMatchObject({ type: 'rapport-error', detail: { code: 'load_failed' }, bubbles: true, composed: true });
    expect(error.detail.message).toContain('could not be loaded');
  });
});

// ---- h. numbers in the respondent's language --------------------------------------------------------

for (const [lang, send, thanks] of [
  ['nl', 'Mijn antwoorden versturen', 'Hartelijk dank!'],
  ['de', 'Antworten senden', 'Vielen Dank!'],
]) {
  test(`in ${lang}, the respondent's own scores print with a decimal comma`, async ({ page }) => {
    const segment = uniqueId(`perf-${lang}`);
    const survey = await openSurvey(page, { instrument: 'servperf', lang, segment, context: segment, 'show-scores': true });
    // Alternating 5 and 6, so that the means have decimals.
    const groups = survey.getByRole('radiogroup');
    const n = await groups.count();
    expect(n).toBe(22);
    for (let i = 0; i < n; i++) {
      await groups.nth(i).getByRole('radio', { name: new RegExp(`\\s${i % 2 ? 6 : 5}( |$)`) }).check();
    }
    await survey.getByRole('button', { name: send, exact: true }).click();
    await expect(survey.getByRole('heading', { name: thanks })).toBeVisible();
    const values = await survey.locator('.rs-scores td').allTextContents();
    expect(values.length).toBeGreaterThan(1);
    for (const v of values) expect(v).toMatch(/^\d+,\d\d$/);
    expect(values.some((v) => !v.endsWith(',00'))).toBe(true);
  });
}
