// "Exit this page": a plain link that works without JavaScript; with JavaScript, three presses
// of Shift leave too, and the page is replaced in the history so Back does not return to it.
// The exit site is answered locally, so nothing leaves 127.0.0.1.
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

/** A tab where the exit site answers with a stub page instead of the real one. */
async function tabWithExitStub(options) {
  const tab = await openPage(browser, options);
  await tab.page.goto(server.url);
  const exitUrl = await tab.page.getAttribute("#exit-this-page", "href");
  const exitHost = new URL(exitUrl).host;
  assert.notEqual(exitHost, new URL(server.url).host, "the exit goes to another site");
  // Registered after openPage's catch-all, so it takes precedence for the exit host only.
  await tab.page.route(`https://${exitHost}/**`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<title>elsewhere</title>" }),
  );
  return { ...tab, exitUrl };
}

test("without JavaScript the exit control is a plain link that leaves", async () => {
  const { page, context, exitUrl, external } = await tabWithExitStub({ javaScriptEnabled: false });
  await page.goto(server.url + "cases/");
  await page.click("#exit-this-page");
  await page.waitForURL(exitUrl);
  assert.equal(await page.title(), "elsewhere");
  assert.deepEqual(external, []);
  await context.close();
});

test("a click leaves and Back does not return to the page", async () => {
  const { page, context, exitUrl } = await tabWithExitStub();
  await page.goto(server.url + "cases/");
  const before = await page.evaluate(() => history.length);
  await page.click("#exit-this-page");
  await page.waitForURL(exitUrl);
  assert.equal(await page.evaluate(() => history.length), before, "the page was replaced, not pushed");
  await page.goBack();
  assert.equal(page.url(), server.url, "Back skips the page that was left");
  await context.close();
});

test("three presses of Shift leave, from anywhere on the page", async () => {
  const { page, context, exitUrl, external } = await tabWithExitStub();
  await page.goto(server.url + "ar/safety/");
  const before = await page.evaluate(() => history.length);
  await page.locator("main").focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press("Shift");
  await page.waitForURL(exitUrl);
  assert.equal(await page.evaluate(() => history.length), before);
  await page.goBack();
  assert.equal(page.url(), server.url, "Back skips the page that was left");
  assert.deepEqual(external, []);
  await context.close();
});

test("two presses of Shift, or three slow ones, do not leave", async () => {
  const { page, context } = await tabWithExitStub();
  const here = server.url + "cases/";
  await page.goto(here);
  await page.keyboard.press("Shift");
  await page.keyboard.press("Shift");
  await page.waitForTimeout(1200);
  await page.keyboard.press("Shift");
  await page.waitForTimeout(300);
  assert.equal(page.url(), here);
  await context.close();
});
