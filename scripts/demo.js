#!/usr/bin/env node
"use strict";
// `npm run demo`, until the full local-cloud demo lands: validates the example sites and renders both ends of
// the dynamic-IP branch example (the cloud's virtual router and the branch router) with a fresh random PSK.
const { spawnSync } = require("node:child_process");
const { join } = require("node:path");

const root = join(__dirname, "..");
const cli = join(root, "bin", "cloudstack-s2s.js");
const run = (args, env = process.env) => {
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: "inherit", env, cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const psk = spawnSync(process.execPath, [cli, "psk"], { encoding: "utf8" }).stdout.trim();
const env = { ...process.env, LYON_PSK: psk };

console.log("\n### 1. validate every example site\n");
run(["validate", ...["datacenter-static", "branch-email", "branch-fqdn", "branch-dn", "branch-ipv4", "branch-ipv6"].map((s) => `examples/sites/${s}.yaml`)]);
console.log("\n### 2. the cloud side: what the VPC virtual router holds and runs for the dynamic-IP branch\n");
run(["render", "examples/sites/branch-email.yaml", "--target", "vr"], env);
console.log("\n### 3. the branch side: the branch router's strongSwan config\n");
run(["render", "examples/sites/branch-email.yaml", "--target", "peer"], env);
