#!/usr/bin/env node
"use strict";
// `npm test`: the whole suite.
const { spawnSync } = require("node:child_process");
const r = spawnSync("npx", ["vitest", "run", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
