// At 320 CSS px (WCAG 1.4.10 reflow) on one page of each kind per language, the largest of its
// kind: axe-core finds nothing, the page never scrolls sideways (tables scroll inside their own
// focusable region), and with the WCAG 1.4.12 text-spacing override nothing is cut off.
// every-page.test.mjs runs axe on every page at 320 px too; the layout checks here are slower,
// so they run on this set: pages of one kind share their template.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { SITE_DIR, htmlPages, languageOf, languages, launch, openPage, pool, runAxe, serve } from "./lib.mjs";

const TABS = Number(process.env.BROWSER_TABS ?? 2);

/** `cases/2024-001/` and `cases/2024-002/` are one kind: the path without its last folder. */
export function kindOf(path, lang) {
  const parts = path.slice(lang.prefix.length).split("/").filter(Boolean);
  return parts.length < 2 ? parts.join("/") : `${parts.slice(0, -1).join("/")}/*`;
}

/** One page per kind and language: the largest file, as the likeliest to overflow. */
async function representatives(langs) {
  const best = new Map();
  for (const path of await htmlPages()) {
    const lang = languageOf(path, langs);
    const key = `${lang.code} ${kindOf(path, lang)}`;
    const { size } = await stat(join(SITE_DIR, path, "index.html"));
    if (!best.has(key) || best.get(key).size < size) best.set(key, { path, size, lang: lang.code });
  }
  return [...best.values()];
}

/** The text-spacing override of WCAG 1.4.12, as a constructed style sheet (CSP allows CSSOM). */
function overrideTextSpacing() {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`* { line-height: 1.5 !important; letter-spacing: .12em !important;
    word-spacing: .16em !important; } p { margin-block-end: 2em !important; }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** Sideways scrolling of the page, and boxes that cut off their content. */
function overflow() {
  const root = document.documentElement;
  const clipped = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest(".visually-hidden, .skip-link")) continue;
    const style = getComputedStyle(el);
    const hides = (v) => v === "hidden" || v === "clip";
    if ((hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1) || (hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1)) {
      clipped.push(`${el.localName}.${el.className}`);
    }
  }
  // A table wider than the screen must scroll in a region a keyboard user can focus and scroll.
  for (const table of document.querySelectorAll("table")) {
    if (table.offsetWidth > root.clientWidth && !table.closest('.table-wrap[tabindex="0"][role="region"]:is([aria-label], [aria-labelledby])')) {
      clipped.push(`table.${table.className} (wider than the screen, not in a focusable region)`);
    }
  }
  return { pageWidth: root.scrollWidth, viewport: root.clientWidth, clipped };
}

let server, browser, pages;
const results = new Map();

before(async () => {
  const langs = await languages();
  pages = await representatives(langs);
  server = await serve();
  browser = await launch();
  const tabs = await Promise.all(Array.from({ length: TABS }, () => openPage(browser, { viewport: { width: 320, height: 640 } })));
  const idle = [...tabs];
  await pool(pages, TABS, async ({ path }) => {
    const tab = idle.pop();
    await tab.page.goto(server.url + path);
    const violations = await runAxe(tab.page);
    const plain = await tab.page.evaluate(overflow);
    await tab.page.evaluate(overrideTextSpacing);
    const spaced = await tab.page.evaluate(overflow);
    results.set(path, { violations, plain, spaced });
    idle.push(tab);
  });
  await Promise.all(tabs.map((t) => t.context.close()));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe("at 320 CSS px, one page of each kind per language", () => {
  test("the set covers every kind of page in every language", async () => {
    const langs = await languages();
    assert.ok(pages.length >= langs.length * 10, `only ${pages.length} pages`);
    for (const lang of langs) assert.ok(pages.some((p) => p.lang === lang.code && p.path === lang.prefix));
  });

  test("axe-core: zero violations (WCAG 2.2 A/AA, heading order, landmarks)", () => {
    const problems = [...results].filter(([, r]) => r.violations.length).map(([p, r]) => `/${p}: ${JSON.stringify(r.violations)}`);
    assert.deepEqual(problems, []);
  });

  test("the page reflows without scrolling sideways; wide tables scroll in their own region", () => {
    const wide = [...results]
      .filter(([, r]) => r.plain.pageWidth > r.plain.viewport || r.plain.clipped.length)
      .map(([p, r]) => `/${p}: ${r.plain.pageWidth}px ${r.plain.clipped.join(" ")}`);
    assert.deepEqual(wide, []);
  });

  test("with the text-spacing override nothing is cut off or scrolls sideways", () => {
    const bad = [...results]
      .filter(([, r]) => r.spaced.pageWidth > r.spaced.viewport || r.spaced.clipped.length)
      .map(([p, r]) => `/${p}: ${r.spaced.pageWidth}px ${r.spaced.clipped.join(" ")}`);
    assert.deepEqual(bad, []);
  });
});
