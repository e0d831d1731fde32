// Shared helpers for the browser tests: a static server on 127.0.0.1 for the built site, and
// Debian's Chromium driven by playwright-core (no browser download).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

/** The built sample site: `run.sh` builds it and sets SITE_DIR. */
export const SITE_DIR = process.env.SITE_DIR ?? new URL("../../public", import.meta.url).pathname;

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
};

/** Serves `dir` like a static host: index.html for folders, 404.html for what is missing. */
export async function serve(dir = SITE_DIR) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    let path = normalize(join(dir, decodeURIComponent(url.pathname)));
    if (!path.startsWith(normalize(dir))) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(path)).isDirectory()) path = join(path, "index.html");
      const body = await readFile(path);
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      const body = await readFile(join(dir, "404.html")).catch(() => "not found");
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(body);
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** Headless Debian Chromium with nothing that talks to the network on its own. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A page that refuses every request leaving 127.0.0.1 and records it, and records console
 * errors: tests assert both lists stay empty.
 */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const external = [];
  const consoleErrors = [];
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.protocol === "data:") return route.continue();
    external.push(url.href);
    return route.abort();
  });
  page.on("console", (msg) => {
    if (msg.type() === "error") consoleErrors.push(msg.text());
  });
  page.on("pageerror", (err) => consoleErrors.push(String(err)));
  return { page, context, external, consoleErrors };
}

/** Every HTML file of the built site, as URL paths (`cases/2024-001/`). */
export async function htmlPages(dir = SITE_DIR) {
  const { readdir } = await import("node:fs/promises");
  const out = [];
  async function walk(rel) {
    for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.name === "index.html") out.push(rel ? `${rel}/` : "");
    }
  }
  await walk("");
  return out.sort();
}

/** The WCAG 2.0, 2.1 and 2.2 A and AA rules of axe-core. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
/**
 * axe-core files these under "best-practice", but issue 5 asks for them by name: heading order,
 * one h1, landmarks that hold all content, a working skip link.
 */
export const AXE_EXTRA_RULES = [
  "heading-order",
  "empty-heading",
  "page-has-heading-one",
  "landmark-one-main",
  "region",
  "landmark-unique",
  "landmark-banner-is-top-level",
  "landmark-contentinfo-is-top-level",
  "landmark-main-is-top-level",
  "landmark-no-duplicate-banner",
  "landmark-no-duplicate-contentinfo",
  "landmark-no-duplicate-main",
  "skip-link",
];
let axeSource;

/**
 * Runs axe-core in the page and returns its violations. The script is evaluated through the
 * DevTools protocol, which the page's Content-Security-Policy does not govern, so the CSP stays
 * on for everything the page itself loads.
 */
export async function runAxe(page) {
  axeSource ??= await readFile(new URL("node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
  if (!(await page.evaluate("typeof window.axe"))?.startsWith("object")) await page.evaluate(axeSource);
  const result = await page.evaluate(
    ([tags, extra]) => {
      const rules = [...window.axe.getRules(tags).map((r) => r.ruleId), ...extra];
      return window.axe.run(document, { runOnly: { type: "rule", values: rules }, resultTypes: ["violations"] });
    },
    [AXE_TAGS, AXE_EXTRA_RULES],
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n")[1] ?? ""}`),
  }));
}

/** The site's languages in site.toml order, default first: `[{ code, prefix }]`. */
export async function languages(root = new URL("../../", import.meta.url).pathname) {
  const toml = await readFile(join(root, "site.toml"), "utf8");
  const codes = [...toml.match(/^languages\s*=\s*\[([^\]]*)\]/m)[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  return codes.map((code, i) => ({ code, prefix: i === 0 ? "" : `${code}/` }));
}

/** The language of a page path: the default unless it starts with another code's folder. */
export function languageOf(path, langs) {
  return langs.find((l) => l.prefix && path.startsWith(l.prefix)) ?? langs[0];
}

/** Runs `work` over `items` with at most `limit` at a time; results keep the input order. */
export async function pool(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
