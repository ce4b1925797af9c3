#!/usr/bin/env node
"use strict";
// The compiled CLI lives in dist/ (built by `npm run build`, which `npm ci` runs through `prepare`).
require("../dist/provider/cli/main.js")
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
