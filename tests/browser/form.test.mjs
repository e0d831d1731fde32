// The submission form (/how-to-submit/form/): with JavaScript it composes the answers into a
// text to copy or save, and sends, stores and changes nothing (no request, no storage or cookie
// write, no change of address, query or fragment); without JavaScript it is a blank text
// template with the same headings that prints. "Clear everything" and the exit control wipe it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { languages, launch, openPage, runAxe, serve } from "./lib.mjs";

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

/**
 * Counts every write to web storage, cookies and IndexedDB, from before the page's own scripts
 * run (an init script is not governed by the page's CSP).
 */
function spyOnStorage() {
  window.__writes = [];
  const note = (what) => window.__writes.push(what);
  for (const method of ["setItem", "removeItem", "clear"]) {
    const original = Storage.prototype[method];
    Storage.prototype[method] = function (...args) {
      note(`storage.${method}`);
      return original.apply(this, args);
    };
  }
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  Object.defineProperty(Document.prototype, "cookie", {
    get() { return cookie.get.call(this); },
    set(v) { note("cookie"); cookie.set.call(this, v); },
  });
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (...args) {
    note("indexedDB.open");
    return open.apply(this, args);
  };
  if (window.caches) {
    const cacheOpen = CacheStorage.prototype.open;
    CacheStorage.prototype.open = function (...args) {
      note("caches.open");
      return cacheOpen.apply(this, args);
    };
  }
}

/** A tab on the form that records every request made after the page loaded. */
async function formTab(prefix = "", options = {}) {
  const tab = await openPage(browser, { acceptDownloads: true, ...options });
  await tab.context.addInitScript(spyOnStorage);
  await tab.page.goto(`${server.url}${prefix}how-to-submit/form/`);
  await tab.page.waitForSelector("#intake-form:not([hidden])");
  const requests = [];
  tab.page.on("request", (r) => requests.push(r.url()));
  const address = tab.page.url();
  const historyLength = await tab.page.evaluate(() => history.length);
  return { ...tab, requests, address, historyLength };
}

async function assertNothingLeft(tab) {
  assert.deepEqual(tab.requests.filter((u) => !u.startsWith("blob:")), [], "no request after load");
  assert.deepEqual(tab.external, []);
  assert.deepEqual(await tab.page.evaluate(() => window.__writes), [], "no storage or cookie write");
  assert.equal(tab.page.url(), tab.address, "the address did not change");
  const where = await tab.page.evaluate(() => ({ search: location.search, hash: location.hash, n: history.length }));
  assert.deepEqual(where, { search: "", hash: "", n: tab.historyLength }, "no query, fragment or history entry");
  assert.deepEqual(await tab.page.evaluate(() => document.cookie), "");
  assert.deepEqual(tab.consoleErrors, []);
}

const ANSWERS = {
  "#f-name": "Sentinel Person Name",
  "#f-count": "2",
  "#f-what_happened": "Officers came to the office twice.\nThey took the laptop\nand said: stop [talking]: or else.",
  "#f-place": "Northern region",
  "#f-from": "2026-03",
  "#f-to": "2026-05",
  "#f-cooperation": "Shadow report for the review in February.",
  "#f-steps_taken": "A complaint to the prosecutor.",
  "#f-risks": "The family could be targeted.",
  "#f-contact_how": "Secure messenger only, evenings.",
  "#f-contact_language": "Español",
};
const CHOICES = [
  "#f-reporter-organization",
  "#f-anonymous-no",
  "#f-victim_kind-group",
  "#f-reprisal_types-threats",
  "#f-committees-CAT",
  "#f-danger_now-unsure",
  "#f-contact_state-yes",
  "#f-publish-yes",
  "#f-scopes-gender",
  "#f-share_asg-yes",
  "#f-acknowledge-no",
];

test("with JavaScript: missing answers are listed, each links to its field, the address stays", async () => {
  const tab = await formTab();
  const { page } = tab;
  await page.fill("#f-to", "March 2026");
  await page.click("#intake-compose");
  assert.equal(await page.evaluate(() => document.activeElement.id), "error-summary");
  const links = await page.$$eval("#error-summary a", (as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(links, ["#f-what_happened", "#f-from", "#f-to"]);
  assert.equal(await page.getAttribute("#f-from", "aria-invalid"), "true");
  assert.match(await page.getAttribute("#f-from", "aria-describedby"), /f-from-error/);
  assert.ok(await page.isHidden("#intake-output"));
  // Keyboard: Enter on a link of the summary moves focus to the field, not the fragment.
  await page.focus("#error-summary a[href='#f-from']");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "f-from");
  await assertNothingLeft(tab);
  await tab.context.close();
});

test("with JavaScript: the answers compose into a text to copy or save, and nothing leaves", async () => {
  const tab = await formTab();
  const { page } = tab;
  for (const [selector, value] of Object.entries(ANSWERS)) await page.fill(selector, value);
  for (const selector of CHOICES) await page.check(selector);
  await page.selectOption("#f-country", "MEX");
  await page.click("#intake-compose");
  assert.equal(await page.evaluate(() => document.activeElement.id), "output-heading");
  const text = await page.inputValue("#intake-text");
  for (const value of Object.values(ANSWERS)) {
    for (const line of value.split("\n")) assert.ok(text.includes(line), `the text holds ${JSON.stringify(line)}`);
  }
  for (const id of ["(organization)", "(no)", "(group)", "(threats)", "(CAT)", "(unsure)", "(yes)", "(gender)", "(MEX)"]) {
    assert.ok(text.includes(id), `the text holds the choice ${id}`);
  }
  // Free text is indented so that its own lines cannot pass for fields.
  assert.ok(text.includes("\n  and said: stop [talking]: or else.\n"));
  for (const section of ["who", "what", "when", "committee", "risk", "consent", "contact"]) {
    assert.match(text, new RegExp(`^== .+ \\[${section}\\] ==$`, "m"));
  }
  await page.waitForFunction(() => document.getElementById("intake-status").textContent.length > 0);

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#intake-save")]);
  assert.equal(download.suggestedFilename(), "submission.txt");
  assert.ok(download.url().startsWith("blob:"), "saved from a Blob made in the page");
  const saved = await readFile(await download.path(), "utf8");
  assert.equal(saved, text);
  if (process.env.SUBMISSION_OUT) await writeFile(process.env.SUBMISSION_OUT, saved);

  await tab.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  await page.click("#intake-copy");
  await page.waitForFunction(() => document.getElementById("intake-status").textContent.length > 0);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);
  await assertNothingLeft(tab);

  await page.click("#intake-clear");
  assert.equal(await page.inputValue("#intake-text"), "");
  assert.ok(await page.isHidden("#intake-output"));
  for (const selector of Object.keys(ANSWERS)) assert.equal(await page.inputValue(selector), "", selector);
  assert.equal(await page.inputValue("#f-country"), "");
  assert.ok(await page.isChecked("#f-anonymous-yes"), "back to 'do not name anyone'");
  assert.ok(await page.isChecked("#f-publish-no"), "back to 'do not publish'");
  assert.ok(!(await page.isChecked("#f-reprisal_types-threats")));
  await assertNothingLeft(tab);
  await tab.context.close();
});

test("the exit control wipes the form before it leaves", async () => {
  const tab = await formTab("ar/");
  const { page } = tab;
  const exitHost = new URL(await page.getAttribute("#exit-this-page", "href")).host;
  await page.route(`https://${exitHost}/**`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<title>elsewhere</title>" }),
  );
  // What the page holds at the moment it leaves, reported by a listener that runs after the
  // form's own (it was added later).
  let seen;
  await page.exposeFunction("__reportExit", (state) => (seen = state));
  await page.evaluate(() =>
    document.addEventListener("exit-this-page", () =>
      window.__reportExit({
        typed: document.getElementById("f-what_happened").value,
        publishNo: document.getElementById("f-publish-no").checked,
      }),
    ),
  );
  await page.fill("#f-what_happened", "Something typed");
  await page.check("#f-publish-yes");
  await page.click("#f-from");
  for (let i = 0; i < 3; i++) await page.keyboard.press("Shift");
  await page.waitForURL((u) => u.host === exitHost);
  await page.waitForTimeout(200);
  assert.deepEqual(seen, { typed: "", publishNo: true });
  await tab.context.close();
});

test("keyboard only: Tab reaches every control in order and Space chooses", async () => {
  const tab = await formTab();
  const { page } = tab;
  await page.focus("#f-reporter-self");
  await page.keyboard.press("ArrowDown");
  assert.ok(await page.isChecked("#f-reporter-relative"), "arrow keys move within a radio group");
  await page.focus("#f-reprisal_types-threats");
  await page.keyboard.press("Space");
  assert.ok(await page.isChecked("#f-reprisal_types-threats"));
  await page.focus("#f-contact_language");
  await page.keyboard.press("Tab");
  const next = await page.evaluate(() => document.activeElement.id);
  assert.match(next, /^f-acknowledge-/);
  await tab.context.close();
});

test("without JavaScript: a blank template with the same headings, that prints", async () => {
  for (const lang of langs) {
    // The page as a browser without JavaScript shows it: form.js never runs. (axe itself needs
    // JavaScript, so the rest of the page keeps it.)
    const { page, context, external } = await openPage(browser);
    await page.route("**/assets/form.*.js", (route) => route.abort());
    await page.goto(`${server.url}${lang.prefix}how-to-submit/form/`);
    assert.ok(await page.isVisible("#intake-template pre"), lang.code);
    assert.ok(await page.isHidden("#intake-form"), `${lang.code}: the controls need JavaScript`);
    const template = await page.textContent("#intake-template pre");
    const legends = await page.$$eval("#intake-form [data-section]", (fs) => fs.map((f) => [f.dataset.legend, f.dataset.section]));
    assert.equal(legends.length, 7);
    for (const [legend, key] of legends) assert.ok(template.includes(`== ${legend} [${key}] ==`), `${lang.code}: ${legend}`);
    const keys = await page.$$eval("#intake-form [data-key]", (fs) => fs.map((f) => [f.dataset.label, f.dataset.key]));
    for (const [label, key] of keys) assert.ok(template.includes(`${label} [${key}]:`), `${lang.code}: ${key}`);
    assert.ok(await page.isVisible(".roster-table"), "the contacts are listed");
    const pdf = await page.pdf({ format: "A4" });
    assert.ok(pdf.length > 1000);
    await page.emulateMedia({ media: "print" });
    assert.ok(await page.isVisible("#intake-template pre"), "the template prints");
    assert.ok(await page.isHidden(".safety-bar"));
    const violations = await runAxe(page);
    assert.deepEqual(violations, [], `${lang.code} without JavaScript`);
    assert.deepEqual(external, []);
    await context.close();
  }
});

test("how-to-submit links to the form in every language", async () => {
  const { page, context } = await openPage(browser);
  for (const lang of langs) {
    await page.goto(`${server.url}${lang.prefix}how-to-submit/`);
    await page.click(".form-callout a");
    assert.equal(page.url(), `${server.url}${lang.prefix}how-to-submit/form/`);
  }
  await context.close();
});
