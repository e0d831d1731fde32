// Screenshots for the README: the home page in English and Arabic at desktop (1280 px) and
// phone (390 px) width. Run by hand after a build, not in CI:
//   cargo run -- build --build-date 2026-11-29 && node tests/browser/screenshots.mjs
// Other pages: pass their paths (`node tests/browser/screenshots.mjs cases/ ar/cases/`).
// SITE_DIR picks the build (default public/), OUT_DIR the folder (default docs/screenshots/),
// FULL_PAGE=1 takes the whole page instead of the first screen. The language bar's 中文 needs
// a CJK font (Debian: fonts-wqy-microhei or fonts-noto-cjk), or it shows as boxes.
import { mkdir } from "node:fs/promises";
import { launch, openPage, serve } from "./lib.mjs";

const OUT_DIR = process.env.OUT_DIR ?? new URL("../../docs/screenshots/", import.meta.url).pathname;
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const paths = process.argv.length > 2 ? process.argv.slice(2) : ["", "ar/"];

/** `""` is the English home page, `ar/` the Arabic one, `ar/cases/` becomes `ar-cases`. */
function nameOf(path) {
  const trimmed = path.replace(/\/$/, "");
  if (trimmed === "") return "home-en";
  if (/^[a-z]{2}$/.test(trimmed)) return `home-${trimmed}`;
  return trimmed.replaceAll("/", "-");
}

await mkdir(OUT_DIR, { recursive: true });
const server = await serve();
const browser = await launch();
try {
  for (const path of paths) {
    for (const [kind, viewport] of Object.entries(VIEWPORTS)) {
      // Reduced motion: no smooth scrolling half-way through a screenshot.
      const { page, context } = await openPage(browser, { viewport, reducedMotion: "reduce" });
      await page.goto(server.url + path);
      const file = `${OUT_DIR.replace(/\/$/, "")}/${nameOf(path)}-${kind}.png`;
      await page.screenshot({ path: file, fullPage: process.env.FULL_PAGE === "1" });
      console.log(file);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
