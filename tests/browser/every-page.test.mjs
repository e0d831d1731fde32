// Every generated page in every language, in one pass: WCAG 2.2 A/AA with axe-core at desktop
// width and again at 320 CSS px, no console error (CSP violations included), no request
// leaving 127.0.0.1, every internal link and fragment resolves, the CSP and referrer policy are
// present, and in right-to-left pages every document symbol, e-mail address and URL is isolated
// left to right.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { SITE_DIR, htmlPages, languageOf, languages, launch, openPage, pool, runAxe, serve } from "./lib.mjs";

const CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'";
/** Two tabs keep both cores busy (the browser and this process take turns). */
const TABS = Number(process.env.BROWSER_TABS ?? 2);
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 320, height: 640 };

let server, browser, langs;
/** path -> what was seen on that page */
const seen = new Map();

/** Reads what the checks need from the loaded page, in one round trip. */
function inspect() {
  const refs = [];
  for (const el of document.querySelectorAll("a[href], link[href], script[src], img[src], form[action]")) {
    const attr = el.getAttribute("href") ?? el.getAttribute("src") ?? el.getAttribute("action");
    refs.push({ attr, url: new URL(attr, document.baseURI).href, tag: el.localName });
  }
  // Text that must stay left to right inside right-to-left text: document symbols
  // (CAT/C/55/2), e-mail addresses and URLs.
  const ltrOnly = /\b[A-Z]{2,}(?:\/[A-Za-z0-9.()-]+){2,}|[\w.+-]+@[\w-]+\.[\w.-]+|https?:\/\/\S+/;
  const unisolated = [];
  if (document.documentElement.dir === "rtl") {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const match = node.data.match(ltrOnly);
      if (!match || node.parentElement.closest("[hidden]")) continue;
      // Any element with a dir attribute isolates its text (HTML's `[dir] { unicode-bidi: isolate }`).
      if (node.parentElement.closest("[dir]")?.dir !== "ltr") unisolated.push(match[0]);
    }
  }
  return {
    refs,
    ids: [...document.querySelectorAll("[id]")].map((e) => e.id),
    csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? null,
    referrer: document.querySelector('meta[name="referrer"]')?.content ?? null,
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    h1: document.querySelectorAll("h1").length,
    unisolated,
  };
}

before(async () => {
  langs = await languages();
  server = await serve();
  browser = await launch();
  const paths = await allPages();
  const tabs = await Promise.all(
    Array.from({ length: TABS }, () => openPage(browser, { viewport: WIDE })),
  );
  const idle = [...tabs];
  await pool(paths, TABS, async (path) => {
    const tab = idle.pop();
    const errorsBefore = tab.consoleErrors.length;
    const externalBefore = tab.external.length;
    const response = await tab.page.goto(server.url + path);
    const facts = await tab.page.evaluate(inspect);
    const violations = await runAxe(tab.page);
    // The same page reflowed at 320 CSS px (WCAG 1.4.10), where hidden menus, wrapped tables
    // and stacked controls can break what was fine at desktop width.
    await tab.page.setViewportSize(NARROW);
    const narrowViolations = await runAxe(tab.page);
    await tab.page.setViewportSize(WIDE);
    seen.set(path, {
      ...facts,
      status: response.status(),
      violations,
      narrowViolations,
      consoleErrors: tab.consoleErrors.slice(errorsBefore),
      external: tab.external.slice(externalBefore),
    });
    idle.push(tab);
  });
  await Promise.all(tabs.map((t) => t.context.close()));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Lists `problem(path, page)` results per page, for one language. */
function problemsIn(lang, problem) {
  const out = [];
  for (const [path, page] of seen) {
    if (languageOf(path, langs).code !== lang.code) continue;
    const found = problem(path, page);
    if (found && found.length) out.push(`/${path}: ${typeof found === "string" ? found : JSON.stringify(found, null, 1)}`);
  }
  return out;
}

/** Every page: the folders' index.html files, and the not-found page a host serves for the rest. */
async function allPages() {
  const paths = await htmlPages();
  if (await exists("/404.html")) paths.push("404.html");
  return paths;
}

const fileExists = new Map();
async function exists(urlPath) {
  let rel = decodeURIComponent(urlPath);
  if (rel.endsWith("/")) rel += "index.html";
  if (!fileExists.has(rel)) {
    fileExists.set(rel, stat(join(SITE_DIR, rel)).then((s) => s.isFile(), () => false));
  }
  return fileExists.get(rel);
}

test("the crawl saw every page of every language", async () => {
  const paths = await allPages();
  assert.ok(paths.includes("404.html"), "the not-found page is crawled too");
  assert.equal(seen.size, paths.length);
  assert.ok(seen.size > 100, `only ${seen.size} pages`);
  for (const lang of langs) {
    assert.ok(seen.has(lang.prefix), `no home page for ${lang.code}`);
  }
});

describe("every page, every language", () => {
  for (const code of ["en", "fr", "es", "ar", "zh", "ru"]) {
    describe(code, () => {
      const lang = () => langs.find((l) => l.code === code);
      const skipIfAbsent = (t) => {
        if (!lang()) t.skip(`${code} is not configured`);
        return !lang();
      };

      test("axe-core: zero violations (WCAG 2.2 A/AA, heading order, landmarks)", (t) => {
        if (skipIfAbsent(t)) return;
        const problems = problemsIn(lang(), (_, p) => p.violations);
        assert.deepEqual(problems, []);
      });

      test("axe-core at 320 CSS px: zero violations", (t) => {
        if (skipIfAbsent(t)) return;
        assert.deepEqual(problemsIn(lang(), (_, p) => p.narrowViolations), []);
      });

      test("no console error and no request leaving 127.0.0.1", (t) => {
        if (skipIfAbsent(t)) return;
        assert.deepEqual(problemsIn(lang(), (_, p) => p.consoleErrors), []);
        assert.deepEqual(problemsIn(lang(), (_, p) => p.external), []);
      });

      test("lang, dir, one h1, CSP and referrer policy on every page", (t) => {
        if (skipIfAbsent(t)) return;
        const expectedDir = code === "ar" ? "rtl" : "ltr";
        const problems = problemsIn(lang(), (path, p) => {
          const wrong = [];
          if (p.status !== 200 && path !== "404.html") wrong.push(`status ${p.status}`);
          if (p.lang !== code) wrong.push(`lang=${p.lang}`);
          if (p.dir !== expectedDir) wrong.push(`dir=${p.dir}`);
          if (p.h1 !== 1) wrong.push(`${p.h1} h1`);
          if (p.csp !== CSP) wrong.push(`CSP ${p.csp}`);
          if (p.referrer !== "no-referrer") wrong.push(`referrer ${p.referrer}`);
          return wrong;
        });
        assert.deepEqual(problems, []);
      });

      test("every internal link, asset and fragment resolves", async (t) => {
        if (skipIfAbsent(t)) return;
        const broken = [];
        for (const [path, page] of seen) {
          if (languageOf(path, langs).code !== code) continue;
          for (const ref of page.refs) {
            const url = new URL(ref.url);
            if (url.origin !== new URL(server.url).origin) continue;
            if (!(await exists(url.pathname))) {
              broken.push(`/${path}: ${ref.tag} ${ref.attr}`);
              continue;
            }
            if (url.hash && url.pathname.endsWith("/")) {
              const target = seen.get(url.pathname.slice(1));
              const id = decodeURIComponent(url.hash.slice(1));
              if (target && !target.ids.includes(id)) broken.push(`/${path}: ${ref.attr} (no #${id})`);
            }
          }
        }
        assert.deepEqual(broken, []);
      });

      if (code === "ar") {
        test("document symbols, e-mail addresses and URLs are isolated left to right", (t) => {
          if (skipIfAbsent(t)) return;
          assert.deepEqual(problemsIn(lang(), (_, p) => p.unisolated), []);
        });
      }
    });
  }
});
