// The case search on /cases/, in headless Chromium, on the built sample site. Expected results
// are worked out from the case pages themselves (titles, summaries, the facet links in their
// facts), never from the search index under test.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, serve } from "./lib.mjs";

let server, browser;
/** Every published case as its page shows it, per language: id, title, text, date, facets. */
const cases = {};

before(async () => {
  server = await serve();
  browser = await launch();
  const { page, context } = await openPage(browser);
  await page.goto(server.url + "404.html");
  for (const lang of ["en", "ar", "zh"]) {
    cases[lang] = await page.evaluate(async (prefix) => {
      const index = new DOMParser().parseFromString(await (await fetch(prefix + "cases/")).text(), "text/html");
      const total = Number(index.querySelector(".total").textContent.match(/\d+/)[0]);
      const ids = [];
      // Every page of the newest-first index, so the list is the site's own.
      for (let n = 1; ids.length < total; n++) {
        const url = n === 1 ? prefix + "cases/" : `${prefix}cases/page/${n}/`;
        const doc = new DOMParser().parseFromString(await (await fetch(url)).text(), "text/html");
        for (const a of doc.querySelectorAll("table.cases tbody td:first-child a")) ids.push(a.getAttribute("href").split("/").at(-2));
      }
      const out = [];
      for (const id of ids) {
        const doc = new DOMParser().parseFromString(await (await fetch(`${prefix}cases/${id}/`)).text(), "text/html");
        const facets = {};
        for (const a of doc.querySelectorAll("dl.facts a")) {
          const href = a.getAttribute("href");
          const m = href.match(/cases\/(committee|country|region|year|type|status)\/([^/]+)\/$/);
          if (m) (facets[m[1]] ??= []).push(m[2]);
          // The State links to its country page, whose old browse address is the country facet.
          const country = href.match(/countries\/([^/]+)\/$/);
          if (country) (facets.country ??= []).push(country[1]);
        }
        out.push({
          id,
          title: doc.querySelector("h1").textContent,
          summary: doc.querySelector(".summary > div").textContent,
          date: doc.querySelector("dl.facts time").getAttribute("datetime"),
          facets,
        });
      }
      return out;
    }, lang === "en" ? "/" : `/${lang}/`);
  }
  await context.close();
  assert.ok(cases.en.length >= 40, "the sample has many published cases");
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Cases whose title or summary has a word starting with `stem`, per the language's words. */
function matching(list, stem, words) {
  const has = (text) => words(text).some((w) => w.startsWith(stem));
  return list
    .filter((c) => has(c.title) || has(c.summary))
    .map((c) => ({ ...c, inTitle: has(c.title) }));
}
const englishWords = (text) => text.toLowerCase().split(/[^a-z0-9]+/);
const arabicWords = (text) =>
  text.replace(/[\u064B-\u065F\u0670\u0640]/g, "").replace(/[أإآ]/g, "ا").split(/[^\u0621-\u064A0-9]+/)
    .map((w) => w.replace(/^[وبكف]?ال(?=..)/, ""));

/** The order the search promises: title matches first, then newest first (date, then id). */
function ranked(list) {
  return [...list].sort((a, b) => (b.inTitle - a.inTitle) || b.date.localeCompare(a.date) || b.id.localeCompare(a.id))
    .map((c) => c.id);
}

function countBy(list, facet) {
  const counts = {};
  for (const c of list) for (const v of c.facets[facet] ?? []) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

async function open(path) {
  const opened = await openPage(browser);
  await opened.page.goto(server.url + path);
  await opened.page.waitForSelector("#search-q");
  return opened;
}

/** Runs `action` and waits until the search it starts has finished and been announced. */
async function settle(page, action) {
  await page.evaluate(() => { document.querySelector(".search-status").textContent = ""; });
  await action();
  await page.waitForFunction(() =>
    document.querySelector(".search-results").getAttribute("aria-busy") === "false" &&
    document.querySelector(".search-status").textContent !== "");
}

/** All result ids, pressing "Show more" until every row is there. */
async function resultIds(page) {
  while (await page.isVisible(".search-more")) {
    const before = await page.locator(".search-results tbody tr").count();
    await page.click(".search-more");
    await page.waitForFunction((n) => document.querySelectorAll(".search-results tbody tr").length > n, before);
  }
  return page.$$eval(".search-results tbody tr td:first-child a", (as) => as.map((a) => a.getAttribute("href").replace("/", "")));
}

const FACETS = ["committee", "country", "region", "year", "type", "status"];

/** A facet's counts as its checkboxes show them, opening it first if need be. */
async function facetCounts(page, facet) {
  if (!(await page.locator(`input[name=${facet}]`).count())) {
    await settle(page, () => page.locator(".search-facet summary").nth(FACETS.indexOf(facet)).click());
  }
  return page.$$eval(`input[name=${facet}]`, (inputs) =>
    Object.fromEntries(inputs.map((i) => [i.value, Number(i.labels[0].querySelector(".count").textContent.replace(/\D/g, ""))])));
}

function clean({ external, consoleErrors }) {
  assert.deepEqual(external, [], "no request leaves 127.0.0.1");
  assert.deepEqual(consoleErrors, [], "no console error");
}

const plural = (n) => `${n} ${n === 1 ? "case" : "cases"} found`;

/** The CLDR Arabic plural categories, written out: 0, 1, 2, 3-10, 11-99, the rest (mod 100). */
function arabicFound(n) {
  const r = n % 100;
  if (n === 0) return "لم يُعثر على أي حالة";
  if (n === 1) return "عُثر على حالة واحدة";
  if (n === 2) return "عُثر على حالتين";
  if (r >= 3 && r <= 10) return `عُثر على ${n} حالات`;
  return `عُثر على ${n} حالة`;
}

describe("search with JavaScript", () => {
  test("typing a word finds the cases that have it, title matches first, newest first", async () => {
    const opened = await open("cases/");
    const { page } = opened;
    assert.equal(await page.isVisible("form[role=search]"), true);
    assert.equal(await page.getAttribute("#search-q", "type"), "search");
    assert.equal(await page.locator("label[for=search-q]").count(), 1);
    await settle(page, () => page.fill("#search-q", "Detained"));
    const expected = matching(cases.en, "detained", englishWords);
    assert.ok(expected.length > 3 && expected.some((c) => !c.inTitle), "a word with title and summary hits");
    assert.equal(await page.textContent(".search-status"), plural(expected.length));
    assert.deepEqual(await resultIds(page), ranked(expected));
    assert.equal(await page.isHidden("#case-list"), true, "the static table gives way to the results");
    assert.equal(page.url(), server.url + "cases/", "nothing typed reaches the address");
    clean(opened);
    await opened.context.close();
  });

  test("the last word matches by prefix, the words before it as whole words", async () => {
    const opened = await open("cases/");
    const { page } = opened;
    const words = (c) => englishWords(c.title + " " + c.summary);
    await settle(page, () => page.locator("#search-q").pressSequentially("detain", { delay: 40 }));
    const detain = matching(cases.en, "detain", englishWords);
    assert.ok(detain.some((c) => !words(c).includes("detained")), "the prefix reaches other words");
    assert.deepEqual(await resultIds(page), ranked(detain));
    await settle(page, () => page.locator("#search-q").pressSequentially("ed lawy", { delay: 40 }));
    const both = matching(cases.en, "lawy", englishWords).filter((c) => words(c).includes("detained"));
    assert.ok(both.length >= 1 && both.length < detain.length);
    assert.deepEqual((await resultIds(page)).sort(), both.map((c) => c.id).sort());
    assert.equal(await page.textContent(".search-status"), plural(both.length));
    assert.equal(page.url(), server.url + "cases/", "nothing typed reaches the address");
    clean(opened);
    await opened.context.close();
  });

  test("facets filter with counts that follow the words and the other facets", async () => {
    const opened = await open("cases/");
    const { page } = opened;
    await settle(page, () => page.fill("#search-q", "detained"));
    const words = matching(cases.en, "detained", englishWords);
    const committeeCounts = await facetCounts(page, "committee");
    const expectedCounts = countBy(words, "committee");
    for (const [key, n] of Object.entries(committeeCounts)) assert.equal(n, expectedCounts[key] ?? 0, `committee ${key}`);

    // Tick the committee with most hits: results narrow, its facet's counts stay, others follow.
    const top = Object.entries(expectedCounts).sort((a, b) => b[1] - a[1])[0][0];
    await settle(page, () => page.check(`#search-committee-${top}`));
    const narrowed = words.filter((c) => c.facets.committee.includes(top));
    assert.equal(await page.textContent(".search-status"), plural(narrowed.length));
    assert.deepEqual(await resultIds(page), ranked(narrowed));
    assert.deepEqual(await facetCounts(page, "committee"), committeeCounts, "a facet's counts ignore its own ticks");
    const typeCounts = await facetCounts(page, "type");
    const expectedTypes = countBy(narrowed, "type");
    for (const [key, n] of Object.entries(typeCounts)) assert.equal(n, expectedTypes[key] ?? 0, `type ${key}`);
    assert.equal(page.url(), server.url + "cases/", "ticks stay out of the address");

    // Two values of one facet widen (or), a value of another facet narrows (and).
    const second = Object.entries(expectedCounts).sort((a, b) => b[1] - a[1])[1][0];
    await settle(page, () => page.check(`#search-committee-${second}`));
    const either = words.filter((c) => c.facets.committee.some((k) => k === top || k === second));
    assert.equal(await page.textContent(".search-status"), plural(either.length));
    const year = Object.keys(countBy(either, "year")).sort().at(-1);
    await facetCounts(page, "year");
    await settle(page, () => page.check(`#search-year-${year}`));
    const andYear = either.filter((c) => c.facets.year.includes(year));
    assert.deepEqual(await resultIds(page), ranked(andYear));
    clean(opened);
    await opened.context.close();
  });

  test("an old ?q= link opens its results, then the address is cleaned; clear empties the form", async () => {
    const opened = await open("cases/?q=detained&committee=cat");
    const { page } = opened;
    await page.waitForFunction(() => document.querySelector(".search-status")?.textContent);
    assert.equal(await page.inputValue("#search-q"), "detained");
    assert.equal(await page.isChecked("#search-committee-cat"), true);
    const withCat = matching(cases.en, "detained", englishWords).filter((c) => c.facets.committee.includes("cat"));
    assert.deepEqual(await resultIds(page), ranked(withCat));
    assert.equal(page.url(), server.url + "cases/", "the words leave the address at once");

    await settle(page, () => page.click(".search-clear"));
    assert.equal(await page.inputValue("#search-q"), "");
    assert.equal(await page.isVisible("#case-list"), true, "the full table is back");
    assert.equal(await page.isHidden(".search-results"), true);
    assert.equal(await page.textContent(".search-status"), plural(cases.en.length));
    assert.equal(await page.evaluate(() => document.activeElement.id), "search-q");
    clean(opened);
    await opened.context.close();
  });

  test("Arabic readers search Arabic text, and untranslated cases are marked", async () => {
    const opened = await open("ar/cases/");
    const { page } = opened;
    assert.equal(await page.getAttribute("html", "dir"), "rtl");
    await settle(page, () => page.fill("#search-q", "الاحتجاز"));
    const expected = matching(cases.ar, "احتجاز", arabicWords);
    assert.ok(expected.length >= 2, "the sample has Arabic summaries about detention");
    assert.deepEqual(await resultIds(page), ranked(expected));
    assert.equal(await page.textContent(".search-status"), arabicFound(expected.length));
    assert.equal(await page.locator(".search-results .untranslated").count(), 0);

    // An English word reaches the English text shown for untranslated cases, marked as such.
    await settle(page, () => page.fill("#search-q", "journalist"));
    const english = matching(cases.ar, "journalist", englishWords);
    assert.ok(english.length > 0);
    assert.deepEqual(await resultIds(page), ranked(english));
    const marked = await page.$$eval(".search-results tbody tr", (rows) =>
      rows.map((r) => [r.querySelector("a").getAttribute("lang"), r.querySelector(".untranslated")?.textContent]));
    assert.ok(marked.every(([lang, note]) => lang === "en" && note === "(غير مترجم)"), JSON.stringify(marked));
    clean(opened);
    await opened.context.close();
  });

  test("Chinese is searched by character pairs, and a single character by prefix", async () => {
    const opened = await open("zh/cases/");
    const { page } = opened;
    const having = (s) => cases.zh.filter((c) => (c.title + c.summary).includes(s));
    for (const query of ["委员会", "资料", "权"]) {
      await settle(page, () => page.fill("#search-q", query));
      const expected = having(query);
      assert.ok(expected.length > 0, query);
      assert.deepEqual((await resultIds(page)).sort(), expected.map((c) => c.id).sort(), query);
      assert.equal(await page.textContent(".search-status"), `找到${expected.length}起案件`);
    }
    clean(opened);
    await opened.context.close();
  });
});

describe("without JavaScript", () => {
  test("no form shows, and each browse page reaches the cases its facet filter finds", async () => {
    const facets = ["committee", "country", "region", "year", "type", "status"];
    const noJs = await openPage(browser, { javaScriptEnabled: false });
    await noJs.page.goto(server.url + "cases/");
    // The form is in the page from the start (no layout shift when it appears), but hidden.
    assert.equal(await noJs.page.locator("form[role=search]").isVisible(), false);
    assert.equal(await noJs.page.isVisible("#case-list table.cases"), true);
    const opened = await open("cases/");
    for (const facet of facets) {
      // The value with most cases, so that its browse page and results paginate where they can.
      const counts = countBy(cases.en, facet);
      const value = Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
      const browsed = [];
      let url = `${server.url}cases/${facet}/${value}/`;
      while (url) {
        await noJs.page.goto(url);
        browsed.push(...(await noJs.page.$$eval("table.cases tbody td:first-child a", (as) => as.map((a) => a.getAttribute("href").split("/").at(-2)))));
        const next = await noJs.page.$("a[rel=next]");
        url = next ? new URL(await next.getAttribute("href"), noJs.page.url()).href : null;
      }
      await opened.page.goto(`${server.url}cases/?${facet}=${value}`);
      await opened.page.waitForFunction(() => document.querySelector(".search-status")?.textContent);
      const filtered = await resultIds(opened.page);
      assert.deepEqual(browsed, filtered, `${facet}=${value}`);
      assert.equal(browsed.length, counts[value], `${facet}=${value} count from the case pages`);
    }
    clean(noJs);
    clean(opened);
    await noJs.context.close();
    await opened.context.close();
  });
});
