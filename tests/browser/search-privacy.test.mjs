// Searches leave no trace: typing and ticking change neither the address nor the history;
// "Link to this search" makes, on request, a link with the state after the "#", which restores
// the same results and is then cleaned from the address; an old ?q= link still works.
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

/** Every request the page makes, so a test can say which carried the words typed. */
async function open(path) {
  const opened = await openPage(browser);
  opened.requests = [];
  opened.page.on("request", (r) => opened.requests.push(r.url()));
  await opened.page.goto(server.url + path);
  await opened.page.waitForSelector("#search-q");
  return opened;
}

async function settle(page, action) {
  await page.evaluate(() => { document.querySelector(".search-status").textContent = ""; });
  await action();
  await page.waitForFunction(() =>
    document.querySelector(".search-results").getAttribute("aria-busy") === "false" &&
    document.querySelector(".search-status").textContent !== "");
}

const rows = (page) => page.$$eval(".search-results tbody tr td:first-child a", (as) => as.map((a) => a.getAttribute("href")));

function clean({ external, consoleErrors }) {
  assert.deepEqual(external, [], "no request leaves 127.0.0.1");
  assert.deepEqual(consoleErrors, [], "no console error");
}

test("typing and filtering change neither the address nor the history", async () => {
  const opened = await open("cases/");
  const { page } = opened;
  const before = await page.evaluate(() => [location.href, history.length]);
  await settle(page, () => page.locator("#search-q").pressSequentially("detained law", { delay: 30 }));
  await page.locator(".search-facet summary").first().click();
  await page.waitForSelector("input[name=committee]");
  await settle(page, () => page.locator("input[name=committee]").first().check());
  await settle(page, () => page.click(".search-clear"));
  await settle(page, () => page.fill("#search-q", "journalist"));
  assert.deepEqual(await page.evaluate(() => [location.href, history.length]), before);
  // Nothing typed went out in a request either (the index files have fixed names).
  assert.deepEqual(opened.requests.filter((u) => /journalist|detained/i.test(decodeURIComponent(u))), []);
  clean(opened);
  await opened.context.close();
});

test("the link control makes a fragment link that restores the same results, then leaves the address clean", async () => {
  const opened = await open("cases/");
  const { page } = opened;
  await settle(page, () => page.fill("#search-q", "detained"));
  await page.locator(".search-facet summary").first().click();
  await page.waitForSelector("#search-committee-cat");
  await settle(page, () => page.check("#search-committee-cat"));
  const expected = await rows(page);
  assert.ok(expected.length > 0);
  assert.equal(await page.isHidden(".search-link"), true, "no link until asked for");
  await page.click(".search-link-make");
  const link = await page.inputValue("#search-link-url");
  assert.equal(link, `${server.url}cases/#q=detained&committee=cat`);
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-link-url");
  assert.equal(page.url(), server.url + "cases/", "making the link does not touch the address");
  // A change makes the link stale: it is hidden rather than offered with the old state.
  await settle(page, () => page.fill("#search-q", "detained lawyer"));
  assert.equal(await page.isHidden(".search-link"), true);
  clean(opened);
  await opened.context.close();

  const shared = await openPage(browser);
  const served = [];
  shared.page.on("request", (r) => served.push(r.url()));
  await shared.page.goto(link);
  await shared.page.waitForFunction(() => document.querySelector(".search-status")?.textContent);
  assert.equal(await shared.page.inputValue("#search-q"), "detained");
  assert.equal(await shared.page.isChecked("#search-committee-cat"), true);
  assert.deepEqual(await rows(shared.page), expected);
  assert.equal(shared.page.url(), server.url + "cases/", "the fragment is cleaned once read");
  assert.deepEqual(served.filter((u) => u.includes("detained")), [], "the fragment never reaches the host");
  clean(shared);
  await shared.context.close();
});

test("an old ?q= link still opens its results and is cleaned with one replaceState", async () => {
  // A fresh tab that opens a plain address has this many entries (about:blank counts in Chromium).
  const control = await openPage(browser);
  await control.page.goto(server.url + "cases/");
  const entries = await control.page.evaluate(() => history.length);
  await control.context.close();
  const opened = await openPage(browser);
  const { page } = opened;
  await page.goto(server.url + "cases/?q=detained&committee=cat");
  await page.waitForFunction(() => document.querySelector(".search-status")?.textContent);
  assert.equal(await page.inputValue("#search-q"), "detained");
  assert.equal(await page.isChecked("#search-committee-cat"), true);
  assert.ok((await rows(page)).length > 0);
  assert.equal(page.url(), server.url + "cases/");
  assert.equal(await page.evaluate(() => history.length), entries, "replaced, not pushed");
  clean(opened);
  await opened.context.close();
});
