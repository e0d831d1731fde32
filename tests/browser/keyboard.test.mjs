// Keyboard use: the first Tab stops are the skip link, the exit control, then the language bar;
// the skip link shows when focused and moves focus to the main content; focus is always
// visible, also in forced-colours (Windows high contrast) mode.
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

/** What has focus now, described well enough to assert on. */
function focused() {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    tag: el.localName,
    id: el.id,
    className: el.className,
    inLanguageBar: !!el.closest(".language-bar"),
    firstLanguage: el === document.querySelector(".language-bar a"),
    visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
    width: box.width,
    height: box.height,
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    background: style.backgroundColor,
    boxShadow: style.boxShadow,
  };
}

const PAGES = ["", "ar/", "cases/", "zh/committees/cat/", "fr/how-to-submit/", "ru/cases/2024-001/", "404.html"];

for (const path of PAGES) {
  test(`Tab order on /${path}: skip link, exit control, first language`, async () => {
    const { page, context } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto(server.url + path);
    await page.keyboard.press("Tab");
    const skip = await page.evaluate(focused);
    assert.equal(skip.className, "skip-link");
    assert.ok(skip.visible, "the skip link is visible when focused");
    assert.ok(skip.width >= 24 && skip.height >= 24, "the skip link is at least 24x24");

    await page.keyboard.press("Tab");
    const exit = await page.evaluate(focused);
    assert.equal(exit.id, "exit-this-page");
    assert.ok(exit.visible);

    await page.keyboard.press("Tab");
    const language = await page.evaluate(focused);
    assert.ok(language.firstLanguage, `third stop is the first language link, got ${JSON.stringify(language)}`);
    await context.close();
  });
}

test("the skip link moves focus to the main content", async () => {
  const { page, context } = await openPage(browser);
  await page.goto(server.url + "cases/");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "main");
  await page.keyboard.press("Tab");
  assert.ok(await page.evaluate(() => !!document.activeElement.closest("main")), "next Tab stays in main");
  await context.close();
});

test("the skip link is off screen until focused", async () => {
  const { page, context } = await openPage(browser);
  await page.goto(server.url);
  const box = await page.locator(".skip-link").boundingBox();
  assert.ok(box.y + box.height <= 0, `skip link visible before focus: ${JSON.stringify(box)}`);
  await context.close();
});

test("focus is visible on every kind of control", async () => {
  const { page, context } = await openPage(browser);
  await page.goto(server.url + "cases/");
  for (const selector of [".exit-link", ".language-bar a", ".site-title a", ".main-nav a", "main a", ".table-wrap", ".pagination a"]) {
    await page.locator(selector).first().focus();
    // Focus from script is :focus-visible only after a key press (not Shift: that is the exit key).
    await page.keyboard.press("Control");
    const f = await page.evaluate(focused);
    const indicated = f.background === "rgb(255, 221, 0)" || (f.outlineStyle !== "none" && f.outlineWidth >= 2 && f.outlineColor !== "rgba(0, 0, 0, 0)");
    assert.ok(indicated, `${selector}: no visible focus indicator ${JSON.stringify(f)}`);
  }
  await context.close();
});

test("focus is visible in forced-colours mode", async () => {
  const { page, context } = await openPage(browser);
  await page.emulateMedia({ forcedColors: "active" });
  await page.goto(server.url);
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(focused);
    assert.notEqual(f.outlineStyle, "none", `stop ${i + 1} (${f.tag}.${f.className}) has no outline`);
    assert.ok(f.outlineWidth >= 2, `stop ${i + 1} outline is ${f.outlineWidth}px`);
  }
  await context.close();
});

test("smooth scrolling is off for readers who ask for reduced motion", async () => {
  const { page, context } = await openPage(browser);
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.goto(server.url);
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior), "auto");
  await page.emulateMedia({ reducedMotion: "no-preference" });
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior), "smooth");
  await context.close();
});
