#!/usr/bin/env node
"use strict";
// `npm test`: the whole suite. As root (CI), first provisions what the e2e lab needs (scripts/provision.sh is
// quick and does nothing when everything is present). Not root: the e2e tests fail with the command to run,
// unless S2S_E2E=skip.
const { spawnSync } = require("node:child_process");
const { join } = require("node:path");

if (process.env.S2S_E2E !== "skip" && process.getuid && process.getuid() === 0) {
  const p = spawnSync("sh", [join(__dirname, "provision.sh")], { stdio: "inherit" });
  if (p.status !== 0) {
    console.error("npm test: provisioning failed (see above); e2e tests will report what is missing");
  }
}
const r = spawnSync("npx", ["vitest", "run", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
