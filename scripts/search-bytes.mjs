#!/usr/bin/env node
// What a browser fetches for a first search on /cases/, and how fast results follow a key.
//
//   node scripts/search-bytes.mjs [SITE_DIR=public] [LANG=en] [QUERY=detained] [MS_PER_KEY=200]
//
// Opens <lang>/cases/ of a built site in headless Chromium, types QUERY one key at a time
// (MS_PER_KEY apart: slower typing fetches more intermediate prefixes), and lists every file
// fetched with its size raw and gzip-compressed (level 6, as a web server would send it). Then
// it times keystroke -> updated results, with the files already fetched. A benchmark, not a
// test. Needs `npm ci --ignore-scripts` in tests/browser and Debian's /usr/bin/chromium.
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { launch, openPage, serve } from "../tests/browser/lib.mjs";

const [dir = "public", lang = "en", query = "detained", perKey = "200"] = process.argv.slice(2);
const server = await serve(resolve(dir));
const browser = await launch();
const { page, external, consoleErrors } = await openPage(browser);
const fetched = [];
let phase = "page";
page.on("response", (res) => {
  fetched.push(res.body().then((body) => ({ url: new URL(res.url()).pathname, phase, body }), () => null));
});

const prefix = lang === "en" ? "" : `${lang}/`;
await page.goto(`${server.url}${prefix}cases/`);
await page.waitForSelector("#search-q");
await page.waitForLoadState("networkidle");
phase = "query";
await page.locator("#search-q").pressSequentially(query, { delay: Number(perKey) });
await page.waitForFunction(() => document.querySelector(".search-results").getAttribute("aria-busy") === "false");
await page.waitForLoadState("networkidle");
const found = await page.locator(".search-results tbody tr").count();

// Keystroke to results, files cached: delete and retype the last letter a few times.
await page.evaluate(() => {
  const results = document.querySelector(".search-results");
  window.searchTimes = [];
  let start = 0;
  document.addEventListener("input", () => { start = performance.now(); }, true);
  new MutationObserver(() => {
    if (start && results.getAttribute("aria-busy") === "false") {
      window.searchTimes.push(performance.now() - start);
      start = 0;
    }
  }).observe(results, { attributes: true, attributeFilter: ["aria-busy"] });
});
for (let i = 0; i < 5; i++) {
  await page.keyboard.press("Backspace");
  await page.waitForTimeout(300);
  await page.keyboard.type(query.at(-1));
  await page.waitForTimeout(300);
}
const times = (await page.evaluate(() => window.searchTimes)).sort((a, b) => a - b);

const files = (await Promise.all(fetched)).filter(Boolean)
  .map((f) => ({ ...f, raw: f.body.length, gzip: gzipSync(f.body, { level: 6 }).length }));
const kind = (url) =>
  url.endsWith(".html") || url.endsWith("/") ? "page HTML"
    : /\/site\.[0-9a-f]+\.(css|js)$/.test(url) ? "site CSS/JS"
    : /\/search\.[0-9a-f]+\.js$/.test(url) ? "search.js"
    : url.endsWith("manifest.json") ? "manifest"
    : url.includes("/facets/") ? "facet columns"
    : /\/t\d+\.json$/.test(url) ? "term shards"
    : /\/d\d+\.json$/.test(url) ? "result rows" : "other";
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + " KB";
console.log(`First search for "${query}" on /${prefix}cases/, one key every ${perKey} ms; ${found} result rows shown\n`);
console.log("file".padEnd(64), "raw".padStart(10), "gzip".padStart(10));
for (const f of files) console.log(`${f.phase}: ${f.url}`.slice(0, 64).padEnd(64), kb(f.raw), kb(f.gzip));
const totals = {};
for (const f of files) totals[kind(f.url)] = (totals[kind(f.url)] ?? 0) + f.gzip;
console.log("\ngzip by kind:");
for (const [k, n] of Object.entries(totals)) console.log("  " + k.padEnd(16), kb(n));
const search = Object.entries(totals).filter(([k]) => !["page HTML", "site CSS/JS"].includes(k)).reduce((s, [, n]) => s + n, 0);
const all = Object.values(totals).reduce((s, n) => s + n, 0);
console.log(`\nsearch code and data (search.js, manifest, shards, rows, columns): ${kb(search)} gzip`);
console.log(`with the page itself (HTML, CSS, site.js):                        ${kb(all)} gzip`);
console.log(`keystroke to updated results, files cached: median ${times[times.length >> 1]?.toFixed(1)} ms, max ${times.at(-1)?.toFixed(1)} ms (${times.length} runs)`);
if (external.length || consoleErrors.length) console.log("\nWARNING:", { external, consoleErrors });
await browser.close();
await server.close();
