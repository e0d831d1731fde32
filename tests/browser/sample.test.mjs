// Sample data no one can mistake for real: with `sample = true` every page, in every language,
// shows a visible "Sample data: fictional" banner and every data file and feed is marked; with
// `sample = false` (a second build of the same data) none of it appears.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SITE_DIR, htmlPages, languages, launch, openPage, serve } from "./lib.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
const BIN = process.env.REPRISALS_SITE ?? join(ROOT, "target/release/reprisals-site");
/** Minified HTML may drop the quotes. */
const BANNER = /class="?sample-banner[" >]/;

let server, browser, langs, realDir, tmp;
before(async () => {
  langs = await languages();
  server = await serve();
  browser = await launch();
  // The same data built as a real site: site.toml with `sample = false`, everything else linked.
  tmp = await mkdtemp(join(tmpdir(), "sample-off-"));
  const root = join(tmp, "root");
  execFileSync("mkdir", ["-p", root]);
  for (const dir of ["content", "public-data", "themes"]) await symlink(join(ROOT, dir), join(root, dir));
  const toml = await readFile(join(ROOT, "site.toml"), "utf8");
  assert.match(toml, /^sample = true$/m, "the sample site says it is a sample");
  await writeFile(join(root, "site.toml"), toml.replace(/^sample = true$/m, "sample = false"));
  realDir = join(tmp, "site");
  execFileSync(BIN, ["build", "--root", root, "--output", realDir, "--build-date", "2026-11-29"], { stdio: "ignore" });
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test("with sample = true every page carries the banner; with sample = false none does", async () => {
  const pages = await htmlPages(SITE_DIR);
  assert.ok(pages.length > 100);
  const without = [];
  for (const p of [...pages, "404.html"]) {
    const html = await readFile(join(SITE_DIR, p.endsWith(".html") ? p : p + "index.html"), "utf8");
    if (!BANNER.test(html)) without.push(p);
  }
  assert.deepEqual(without, [], "pages without the banner");
  const withBanner = [];
  for (const p of await htmlPages(realDir)) {
    if (BANNER.test(await readFile(join(realDir, p, "index.html"), "utf8"))) withBanner.push(p);
  }
  assert.deepEqual(withBanner, [], "a real site shows no sample banner");
});

test("the banner is visible, in the page's language, inside the banner landmark, in every language", async () => {
  const { page, context, external, consoleErrors } = await openPage(browser);
  const texts = new Set();
  for (const lang of langs) {
    for (const path of ["", "cases/", "committees/cat/factsheet/", "how-to-submit/"]) {
      await page.goto(`${server.url}${lang.prefix}${path}`);
      const banner = page.locator(".sample-banner");
      assert.equal(await banner.count(), 1, `${lang.code} ${path}`);
      assert.equal(await banner.isVisible(), true, `${lang.code} ${path}`);
      assert.equal(await page.evaluate(() => !!document.querySelector("header.site-header .sample-banner")), true);
      assert.equal(await banner.getAttribute("lang"), lang.code);
      texts.add(`${lang.code}:${await banner.textContent()}`);
    }
  }
  // One wording per language, and a different one in each.
  assert.equal(texts.size, langs.length);
  assert.deepEqual(external, []);
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test("data files and feeds say sample only on the sample site", async () => {
  for (const [dir, sample] of [[SITE_DIR, true], [realDir, false]]) {
    for (const file of ["data/cases.json", "data/focal-points.json", "data/withdrawn.json"]) {
      const json = JSON.parse(await readFile(join(dir, file), "utf8"));
      assert.equal(json.sample, sample, file);
    }
    for (const file of ["data/cases.csv", "data/focal-points.ar.csv"]) {
      const [header, ...rows] = (await readFile(join(dir, file), "utf8")).trim().split("\r\n");
      assert.equal(header.endsWith(",sample"), sample, file);
      if (sample) assert.ok(rows.every((r) => r.endsWith(",fictional")), file);
    }
    for (const file of ["feed.xml", "fr/committees/cat/feed.xml"]) {
      const xml = await readFile(join(dir, file), "utf8");
      assert.equal(xml.includes('<category term="sample"'), sample, file);
    }
  }
});
