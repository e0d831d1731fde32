// Print: the how-to-submit page is a one-page A4 factsheet in every language; printed pages
// hide the navigation and controls and spell out where external links go.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { languages, launch, openPage, serve } from "./lib.mjs";

let server, browser, langs;
before(async () => {
  langs = await languages();
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Page objects in a PDF: `/Type /Page` not followed by `s` (that one is the page tree). */
function pdfPageCount(pdf) {
  return pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-z])/g)?.length ?? 0;
}

test("how-to-submit prints on exactly one A4 page in every language", async () => {
  const { page, context } = await openPage(browser);
  const counts = {};
  for (const lang of langs) {
    await page.goto(`${server.url}${lang.prefix}how-to-submit/`);
    const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true });
    counts[lang.code] = pdfPageCount(pdf);
  }
  const expected = Object.fromEntries(langs.map((l) => [l.code, 1]));
  assert.deepEqual(counts, expected);
  await context.close();
});

test("the In danger now block is left off the printed how-to-submit, not off where-else", async () => {
  // The factsheets print it (factsheet.test.mjs); how-to-submit keeps to its one page.
  const { page, context } = await openPage(browser);
  await page.emulateMedia({ media: "print" });
  const printed = async (path) => {
    await page.goto(server.url + path);
    return page.evaluate(() => [...document.querySelectorAll(".in-danger")].map((e) => e.getClientRects().length > 0));
  };
  for (const lang of langs) {
    assert.deepEqual(await printed(`${lang.prefix}how-to-submit/`), [false], lang.code);
    assert.deepEqual(await printed(`${lang.prefix}where-else/`), [true], lang.code);
  }
  await context.close();
});

test("the page counter counts pages", async () => {
  // A long page must count as several pages, or the test above proves nothing.
  const { page, context } = await openPage(browser);
  await page.goto(`${server.url}cases/`);
  assert.ok(pdfPageCount(await page.pdf({ format: "A4" })) > 2);
  await context.close();
});

test("printed pages hide navigation and controls, and show link targets", async () => {
  const { page, context } = await openPage(browser);
  await page.emulateMedia({ media: "print" });
  await page.goto(`${server.url}committees/cat/`);
  const printed = await page.evaluate(() => {
    const shown = (s) => [...document.querySelectorAll(s)].some((e) => e.getClientRects().length > 0);
    const external = document.querySelector('main a[href^="http"]:not(.contacts a)');
    return {
      hidden: [".skip-link", ".safety-bar", ".exit-link", ".language-bar", ".main-nav"].filter((s) => shown(s)),
      main: shown("main"),
      href: external?.getAttribute("href"),
      after: external && getComputedStyle(external, "::after").content,
    };
  });
  assert.deepEqual(printed.hidden, [], "these are still printed");
  assert.ok(printed.main);
  assert.ok(printed.href, "the page has an external link to check");
  assert.ok(printed.after.includes(printed.href), `link target not printed: ${printed.after}`);
  await context.close();
});
