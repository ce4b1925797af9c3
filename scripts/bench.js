#!/usr/bin/env node
"use strict";
// `npm run bench`: runs every test/bench/*.bench.ts in turn. Benchmarks print figures; they are not timed tests.
const { readdirSync } = require("node:fs");
const { join } = require("node:path");
const { spawnSync } = require("node:child_process");

const dir = join(__dirname, "..", "test", "bench");
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f}`);
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", join(dir, f)], {
    stdio: "inherit",
    env: { ...process.env, TS_NODE_PROJECT: join(__dirname, "..", "tsconfig.json") },
  });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
