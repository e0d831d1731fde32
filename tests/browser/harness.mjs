// The setup test files share: the built site served on 127.0.0.1 and one Chromium for all the
// tests of a file; the PDF page counter of the print tests; the search page helpers.
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { languages, launch, openPage, serve } from "./lib.mjs";

/**
 * Serves the site and launches the browser before the file's tests, and closes both after.
 * The returned object is filled in by then: `url` (the site's root), `browser`, `langs`.
 * A file's own `before` hooks, registered after this call, run after it and can use them.
 */
export function useSite() {
  const site = {};
  let server;
  before(async () => {
    site.langs = await languages();
    server = await serve();
    site.url = server.url;
    site.browser = await launch();
  });
  after(async () => {
    await site.browser?.close();
    await server?.close();
  });
  return site;
}

/** Page objects in a PDF: `/Type /Page` not followed by `s` (that one is the page tree). */
export function pdfPageCount(pdf) {
  return pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-z])/g)?.length ?? 0;
}

/**
 * A tab on a page with the search (`cases/`, `ar/cases/`, ...), once its form is there. It
 * keeps every request the page makes in `requests`, so a test can say which carried words.
 */
export async function openSearch(site, path) {
  const opened = await openPage(site.browser);
  opened.requests = [];
  opened.page.on("request", (r) => opened.requests.push(r.url()));
  await opened.page.goto(site.url + path);
  await opened.page.waitForSelector("#search-q");
  return opened;
}

/** Runs `action` and waits until the search it starts has finished and been announced. */
export async function settle(page, action) {
  await page.evaluate(() => { document.querySelector(".search-status").textContent = ""; });
  await action();
  await page.waitForFunction(() =>
    document.querySelector(".search-results").getAttribute("aria-busy") === "false" &&
    document.querySelector(".search-status").textContent !== "");
}

/** Nothing left 127.0.0.1 and nothing went wrong in the page's console. */
export function assertClean({ external, consoleErrors }) {
  assert.deepEqual(external, [], "no request leaves 127.0.0.1");
  assert.deepEqual(consoleErrors, [], "no console error");
}
