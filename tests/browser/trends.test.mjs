// The trends and report pages in a real browser: no accessibility violation (axe-core), the
// charts named for assistive technology, and bars that grow from the inline start in Arabic.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { serve, launch, openPage } from "./lib.mjs";

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

let server;
let browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    // The page's own content: the shared layout has its own tests.
    const result = await window.axe.run({ include: ["main"] }, { resultTypes: ["violations"] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`);
  });
}

for (const path of ["trends/", "ar/trends/", "zh/trends/", "fr/trends/", "es/trends/", "ru/trends/", "reports/cat/2024/", "reports/crpd/2024/", "ar/reports/crpd/2024/", "ar/reports/", "data/", "ru/data/"]) {
  test(`${path} has no axe violations and makes no outside request`, async () => {
    const { page, context, external } = await openPage(browser, { bypassCSP: true });
    await page.goto(server.url + path);
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(external, []);
    await context.close();
  });
}

test("every chart is an image with a name and a description, followed by its table", async () => {
  const { page, context } = await openPage(browser);
  await page.goto(server.url + "trends/");
  const charts = await page.$$eval("svg.chart", (svgs) =>
    svgs.map((svg) => ({
      role: svg.getAttribute("role"),
      ids: svg.getAttribute("aria-labelledby").split(" "),
      named: svg
        .getAttribute("aria-labelledby")
        .split(" ")
        .every((id) => document.getElementById(id)?.textContent.trim().length > 0),
      tableFollows: !!svg.closest("section").querySelector("table caption"),
    })),
  );
  assert.ok(charts.length >= 12, `${charts.length} charts`);
  for (const c of charts) {
    assert.equal(c.role, "img");
    assert.ok(c.named && c.tableFollows, JSON.stringify(c));
  }
  await context.close();
});

test("bars start at the inline start: left in English, right in Arabic", async () => {
  const edges = async (path) => {
    const { page, context } = await openPage(browser);
    await page.goto(server.url + path);
    const result = await page.$eval("#year svg.chart", (svg) => {
      const box = svg.getBoundingClientRect();
      const bars = [...svg.querySelectorAll("rect.chart-bar")].map((r) => r.getBoundingClientRect());
      return {
        width: box.width,
        left: Math.min(...bars.map((b) => b.left)) - box.left,
        right: box.right - Math.max(...bars.map((b) => b.right)),
        starts: new Set(bars.map((b) => Math.round(b.left))).size,
        ends: new Set(bars.map((b) => Math.round(b.right))).size,
      };
    });
    await context.close();
    return result;
  };
  const en = await edges("trends/");
  const ar = await edges("ar/trends/");
  assert.equal(en.starts, 1, "English bars share their left edge");
  assert.ok(en.left < en.width / 2, JSON.stringify(en));
  assert.equal(ar.ends, 1, "Arabic bars share their right edge");
  assert.ok(ar.right < ar.width / 2, JSON.stringify(ar));
});
