// Every generated HTML page, and the style sheets, are valid according to the Nu HTML checker
// (vnu), errors only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { SITE_DIR, htmlPages } from "./lib.mjs";

const VNU = new URL("node_modules/vnu-jar/build/dist/vnu.jar", import.meta.url).pathname;

/** Runs vnu and returns what it printed (nothing when all is valid) and its exit code. */
async function vnu(args) {
  const result = await promisify(execFile)("java", ["-Xss4m", "-jar", VNU, "--errors-only", "--format", "gnu", ...args], {
    maxBuffer: 64 * 1024 * 1024,
  }).catch((err) => err);
  return { messages: `${result.stdout ?? ""}${result.stderr ?? ""}`.trim(), code: result.code ?? 0 };
}

test("the Nu HTML checker finds no error in any page", { timeout: 600_000 }, async () => {
  assert.ok((await htmlPages()).length > 100, "the site was built");
  const { messages, code } = await vnu(["--skip-non-html", SITE_DIR]);
  assert.equal(messages, "", `vnu reported:\n${messages.split("\n").slice(0, 40).join("\n")}`);
  assert.equal(code, 0);
});

test("the style sheets are valid CSS", async () => {
  const assets = join(SITE_DIR, "assets");
  const sheets = (await readdir(assets)).filter((f) => f.endsWith(".css")).map((f) => join(assets, f));
  assert.ok(sheets.length > 0);
  const { messages, code } = await vnu(["--css", ...sheets]);
  assert.equal(messages, "", `vnu reported:\n${messages}`);
  assert.equal(code, 0);
});
