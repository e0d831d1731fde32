// Arabic pages read right to left and the layout mirrors: the navigation starts at the right
// edge, the exit control sits at the left (the inline end), text starts at the right.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, serve } from "./lib.mjs";

let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Edges of the pieces that should mirror, and the page's own width. */
function layout() {
  const box = (selector) => document.querySelector(selector)?.getBoundingClientRect().toJSON();
  return {
    dir: document.documentElement.dir,
    direction: getComputedStyle(document.body).direction,
    width: document.documentElement.clientWidth,
    nav: box(".main-nav li:first-child a"),
    exit: box(".exit-link"),
    h1: box("main h1"),
    title: box(".site-title a"),
    // The first header cell shown: with JavaScript the search may hide the static table.
    th: [...document.querySelectorAll("main th")]
      .map((th) => th.getBoundingClientRect().toJSON())
      .find((r) => r.width > 0),
  };
}

for (const width of [1280, 390]) {
  test(`Arabic mirrors English at ${width} px`, async () => {
    const { page, context } = await openPage(browser, { viewport: { width, height: 900 } });
    for (const path of ["", "cases/", "committees/cat/"]) {
      await page.goto(server.url + path);
      const en = await page.evaluate(layout);
      await page.goto(server.url + "ar/" + path);
      const ar = await page.evaluate(layout);
      assert.equal(en.dir, "ltr");
      assert.equal(ar.dir, "rtl");
      assert.equal(ar.direction, "rtl");
      const gutter = en.nav.left; // the English nav starts here from the left edge ...
      // ... so the Arabic one ends about as far from the right edge.
      assert.ok(Math.abs(ar.width - ar.nav.right - gutter) < 16, `/ar/${path}: first nav item at ${JSON.stringify(ar.nav)}`);
      assert.ok(ar.nav.left > ar.width / 2 || width < 500, `/ar/${path}: first nav item is not on the right half`);
      assert.ok(Math.abs(ar.width - ar.h1.right - en.h1.left) < 16, `/ar/${path}: h1 does not start at the right`);
      assert.ok(Math.abs(ar.width - ar.title.right - en.title.left) < 16, `/ar/${path}: site title not at the right`);
      if (width >= 640) {
        assert.ok(en.exit.left > en.width / 2, "English exit control at the right");
        assert.ok(ar.exit.right < ar.width / 2, "Arabic exit control at the left");
      }
      if (en.th) assert.ok(ar.th.right > ar.width - en.th.left - 40, `/ar/${path}: first column not at the right`);
    }
    await context.close();
  });
}

test("the language bar lists the languages in UN order, each in its own script and direction", async () => {
  const { page, context } = await openPage(browser);
  await page.goto(server.url + "ar/cases/");
  const links = await page.$$eval(".language-bar a", (as) =>
    as.map((a) => ({ lang: a.lang, hreflang: a.hreflang, dir: a.dir, text: a.textContent, current: a.getAttribute("aria-current") })),
  );
  assert.deepEqual(links.map((l) => l.lang), ["ar", "zh", "en", "fr", "ru", "es"]);
  assert.deepEqual(links.map((l) => l.text), ["عربي", "中文", "English", "Français", "Русский", "Español"]);
  assert.ok(links.every((l) => l.lang === l.hreflang));
  assert.equal(links[0].dir, "rtl");
  assert.equal(links[2].dir, "ltr");
  assert.deepEqual(links.filter((l) => l.current).map((l) => l.lang), ["ar"]);
  await context.close();
});

test("text missing in Arabic is shown in English, marked as English and left to right", async () => {
  const { page, context } = await openPage(browser);
  // Every guidance page is translated; this sample case has its title and summary in English only.
  await page.goto(server.url + "ar/cases/2019-002/");
  const article = await page.$eval("main h1 [lang]", (a) => ({ lang: a.lang, dir: a.dir, direction: getComputedStyle(a).direction }));
  assert.deepEqual(article, { lang: "en", dir: "ltr", direction: "ltr" });
  const notice = await page.locator(".translation-notice").count();
  assert.equal(notice, 1, "a notice says the page is not yet translated");
  await context.close();
});
