// Screen sizes, languages and keyboard helpers shared by the specs that check a page at every width
// and in every language.
import { expect } from '@playwright/test';

export const WIDTHS = {
  360: { name: '360', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
  390: { name: '390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { name: 'desktop', viewport: { width: 1280, height: 800 } },
};

// The browser's language picks the portal's (the switcher is behind the menu on a phone).
export const LOCALES = { en: 'en-GB', nl: 'nl-NL', de: 'de-DE' };

/** Context options for a width and a language (and e.g. a `baseURL`). */
export function screen(width, lang, extra = {}) {
  return {
    locale: LOCALES[lang],
    viewport: width.viewport,
    isMobile: width.isMobile ?? false,
    hasTouch: width.hasTouch ?? false,
    ...extra,
  };
}

/** Fails when the page scrolls sideways. */
export async function expectNoSidewaysScroll(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'no sideways scrolling').toBeLessThanOrEqual(0);
}

/**
 * Presses Tab (at most `max` times) until `target` has the focus, then checks that the focus can be
 * seen: an outline of at least 2 px that is not transparent.
 */
export async function tabTo(page, target, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) {
      const ring = await target.evaluate((el) => {
        const style = getComputedStyle(el);
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor };
      });
      expect(ring.style, 'a visible focus outline').not.toBe('none');
      expect(ring.width).toBeGreaterThanOrEqual(2);
      expect(ring.color).not.toMatch(/rgba\(.*, 0\)$|transparent/);
      return;
    }
  }
  throw new Error(`Tab never reached ${target}`);
}
