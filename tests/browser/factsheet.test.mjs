// Accessible print: every committee's factsheet, in every language, prints on one or two A4
// pages with its text at 12 pt or more, opens with the "In danger now" block (printed too, unlike
// on how-to-submit), and says what it promises to say.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { SITE_DIR, languages, launch, openPage, serve } from "./lib.mjs";

let server, browser, langs, codes;
before(async () => {
  langs = await languages();
  codes = (await readdir(join(SITE_DIR, "committees"), { withFileTypes: true }))
    .filter((e) => e.isDirectory()).map((e) => e.name).sort();
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

test("every factsheet prints on one or two A4 pages with no text under 12 pt", async () => {
  assert.ok(codes.length >= 5, "the sample has committees");
  const { page, context, external, consoleErrors } = await openPage(browser);
  const problems = [];
  for (const lang of langs) {
    for (const code of codes) {
      const path = `${lang.prefix}committees/${code}/factsheet/`;
      await page.goto(server.url + path);
      await page.emulateMedia({ media: "print" });
      // The smallest computed size of any printed text in the factsheet, in pt (1 px = 0.75 pt).
      const smallest = await page.evaluate(() => {
        let min = Infinity;
        const walker = document.createTreeWalker(document.querySelector(".factsheet"), NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          const el = walker.currentNode.parentElement;
          if (!walker.currentNode.textContent.trim() || !el.getClientRects().length) continue;
          min = Math.min(min, parseFloat(getComputedStyle(el).fontSize) * 0.75);
        }
        return min;
      });
      const pages = pdfPageCount(await page.pdf({ format: "A4", preferCSSPageSize: true }));
      await page.emulateMedia({ media: "screen" });
      if (smallest < 12) problems.push(`${path}: text at ${smallest} pt`);
      if (pages < 1 || pages > 2) problems.push(`${path}: ${pages} pages`);
    }
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(external, [], "no request leaves 127.0.0.1");
  assert.deepEqual(consoleErrors, [], "no console error");
  await context.close();
});

test("every printed factsheet opens with the In danger now block", async () => {
  const { page, context } = await openPage(browser);
  await page.emulateMedia({ media: "print" });
  const problems = [];
  for (const lang of langs) {
    for (const code of codes) {
      const path = `${lang.prefix}committees/${code}/factsheet/`;
      await page.goto(server.url + path);
      const block = await page.evaluate(() => {
        const aside = document.querySelector(".factsheet .in-danger");
        if (!aside) return null;
        const box = aside.getBoundingClientRect();
        const first = document.querySelector(".factsheet section");
        return {
          display: getComputedStyle(aside).display,
          height: box.height,
          entries: [...aside.querySelectorAll(".in-danger-list > li")].filter((li) => li.getBoundingClientRect().height > 0).length,
          first: !!first && box.bottom <= first.getBoundingClientRect().top,
          label: document.getElementById(aside.getAttribute("aria-labelledby"))?.textContent ?? "",
          ids: document.querySelectorAll("#in-danger-heading").length,
        };
      });
      if (!block) {
        problems.push(`${path}: no block`);
        continue;
      }
      if (block.display === "none" || block.height <= 0) problems.push(`${path}: not printed (${block.display}, ${block.height}px)`);
      if (block.entries < 1) problems.push(`${path}: no urgent entry printed`);
      if (!block.first) problems.push(`${path}: not before the first section`);
      if (!block.label.trim() || block.ids !== 1) problems.push(`${path}: heading ${JSON.stringify(block.label)}, ${block.ids} ids`);
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("a factsheet names the focal points in office or says the post is vacant, and covers the four topics", async () => {
  const { page, context } = await openPage(browser);
  for (const code of codes) {
    await page.goto(`${server.url}committees/${code}/factsheet/`);
    const sheet = await page.evaluate(() => ({
      headings: [...document.querySelectorAll(".factsheet h2")].map((h) => h.textContent),
      people: document.querySelectorAll(".factsheet .focal-point").length,
      vacant: document.querySelectorAll(".factsheet .vacant").length,
      contacts: document.querySelectorAll(".factsheet .contacts li").length,
    }));
    assert.deepEqual(sheet.headings, ["In danger now", "What reprisals are", "How to reach the committee", "What happens next", "Staying safe"], code);
    assert.ok(sheet.people > 0 !== sheet.vacant > 0, `${code}: either focal points or vacant`);
    assert.ok(sheet.contacts > 0, `${code}: some way to reach someone`);
    // The same people as the committee page shows as in office.
    await page.goto(`${server.url}committees/${code}/`);
    assert.equal(await page.locator("section[aria-labelledby=current-heading] .focal-point").count(), sheet.people, code);
    assert.equal(await page.locator(`a[href$="committees/${code}/factsheet/"]`).count(), 1, `${code}: the committee page links to it`);
  }
  await context.close();
});
