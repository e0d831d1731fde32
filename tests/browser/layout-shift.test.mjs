// The case index does not move when the search enhances it (issue 19 item 5): the table stands
// where it was painted before search.js had its index, and the page records no layout shift.
// Without JavaScript, or when the index cannot load, the form takes no space and nothing in it
// can be reached by keyboard or read by a screen reader.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, runAxe } from "./lib.mjs";
import { useSite } from "./harness.mjs";

const site = useSite();
const VIEWPORTS = [{ width: 1280, height: 900 }, { width: 320, height: 640 }];
const LANGS = { en: "", ar: "ar/" };

/** Every layout shift the page records, from before its first paint (an init script). */
function recordShifts() {
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__shifts.push({ value: e.value, input: e.hadRecentInput });
  }).observe({ type: "layout-shift", buffered: true });
}

/** The static table's box once the page has painted what it has. */
async function tableBox(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.locator("#case-list table.cases").evaluate((t) => {
    const { x, y, width, height } = t.getBoundingClientRect();
    return { x, y, width, height };
  });
}

/** What in the search box a keyboard or a screen reader could reach. */
function reachable() {
  const box = document.getElementById("search");
  if (!box) return { height: 0, focusable: [] };
  const focusable = [...box.querySelectorAll("input, button, summary, [tabindex], a[href]")]
    .filter((e) => e.checkVisibility({ visibilityProperty: true }))
    .map((e) => e.id || e.className || e.localName);
  return { height: box.getBoundingClientRect().height, focusable };
}

for (const [lang, prefix] of Object.entries(LANGS)) {
  for (const viewport of VIEWPORTS) {
    const { width } = viewport;
    test(`${lang} at ${width} px: the table does not move when the search appears`, async () => {
      const tab = await openPage(site.browser, { viewport });
      const { page } = tab;
      await tab.context.addInitScript(recordShifts);
      // Hold the index's manifest until the page has been painted without it (the fetch holds
      // up the load event, so this waits for the document only).
      let release;
      const held = new Promise((r) => { release = r; });
      await page.route("**/search/*/manifest.json", async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(`${site.url}${prefix}cases/`, { waitUntil: "domcontentloaded" });
      const before = await tableBox(page);
      release();
      await page.waitForSelector("#search-q", { state: "visible" });
      const after = await tableBox(page);
      const shifts = await page.evaluate(() => window.__shifts);
      const cls = shifts.filter((e) => !e.input).reduce((sum, e) => sum + e.value, 0);
      assert.deepEqual(after, before, `the table stays where it was painted (layout shift ${cls.toFixed(4)})`);
      assert.ok(cls < 0.001, `cumulative layout shift ${cls.toFixed(4)} (${shifts.length} shifts)`);
      assert.deepEqual(await runAxe(page), [], "the enhanced page passes axe");
      assert.deepEqual(tab.external, []);
      assert.deepEqual(tab.consoleErrors, []);
      await tab.context.close();
    });

    test(`${lang} at ${width} px: without JavaScript the form takes no space and cannot be reached`, async () => {
      const tab = await openPage(site.browser, { viewport, javaScriptEnabled: false });
      const { page } = tab;
      await page.goto(`${site.url}${prefix}cases/`);
      assert.deepEqual(await page.evaluate(reachable), { height: 0, focusable: [] });
      assert.equal(await page.locator("#search-q").isVisible(), false);
      // The accessibility tree: no search landmark, field or filter.
      const tree = await page.locator("main").ariaSnapshot();
      assert.doesNotMatch(tree, /^\s*- (search|searchbox|textbox)\b/m, tree);
      assert.equal(await page.locator("#case-list table.cases").isVisible(), true);
      assert.equal(await page.locator(".browse").isVisible(), true, "the browse lists do the search's job");
      await tab.context.close();
    });
  }
}

test("when the index cannot load, the reserved space goes and nothing of the form is left", async () => {
  for (const prefix of Object.values(LANGS)) {
    const tab = await openPage(site.browser);
    const { page } = tab;
    await page.route("**/search/*/manifest.json", (route) => route.fulfill({ status: 404, body: "" }));
    const answered = page.waitForResponse("**/search/*/manifest.json");
    await page.goto(`${site.url}${prefix}cases/`);
    await answered;
    await page.waitForFunction(() => !document.querySelector(".search-pending"));
    assert.deepEqual(await page.evaluate(reachable), { height: 0, focusable: [] }, prefix);
    assert.equal(await page.locator(".browse").isVisible(), true, "the browse lists stay");
    await tab.context.close();
  }
});
