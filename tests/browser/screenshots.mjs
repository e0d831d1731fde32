// Screenshots of the home page in English and Arabic, desktop and phone width, for docs/.
// Run by hand after a build (not in CI): `node tests/browser/screenshots.mjs [page ...]`.
// Pages default to the two home pages; SITE_DIR picks the build (default: public/), OUT_DIR
// where the PNGs go (default: docs/).
import { mkdir } from "node:fs/promises";
import { launch, openPage, serve } from "./lib.mjs";

const OUT_DIR = process.env.OUT_DIR ?? new URL("../../docs/", import.meta.url).pathname;
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const pages = process.argv.slice(2);
const targets = pages.length ? pages : ["", "ar/"];

await mkdir(OUT_DIR, { recursive: true });
const server = await serve();
const browser = await launch();
try {
  for (const path of targets) {
    const name = path === "" ? "home-en" : `${path.replace(/\/$/, "").replaceAll("/", "-")}`;
    const label = path === "ar/" ? "home-ar" : name;
    for (const [kind, viewport] of Object.entries(WIDTHS)) {
      const { page, context } = await openPage(browser, { viewport, deviceScaleFactor: 1 });
      await page.goto(server.url + path);
      const file = `${OUT_DIR}/${label}-${kind}.png`;
      await page.screenshot({ path: file, fullPage: process.env.FULL_PAGE === "1" });
      console.log(file);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
