"use strict";
// The demo without root: validates the example sites and renders both ends of the dynamic-IP branch example (the
// cloud's virtual router and the branch router) with a fresh random PSK. It needs no network namespace, daemon or
// privilege, so it is what `npm run demo` shows when it cannot run the live demo (scripts/demo.js).
const { spawnSync } = require("node:child_process");
const { join } = require("node:path");

const root = join(__dirname, "..", "..");
const cli = join(root, "bin", "cloudstack-s2s.js");

/** Runs the CLI with the terminal's stdio; returns its exit status. */
function run(args, env = process.env) {
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: "inherit", env, cwd: root });
  return r.status ?? 1;
}

/** Prints the plan; returns 0, or the first failing step's exit status. */
function showRenderedPlan() {
  // The key only ever travels in the environment of the render child, never on a command line.
  const psk = spawnSync(process.execPath, [cli, "psk"], { encoding: "utf8" }).stdout.trim();
  const env = { ...process.env, LYON_PSK: psk };
  const steps = [
    ["### 1. validate every example site", ["validate", ...["datacenter-static", "branch-email", "branch-fqdn", "branch-dn", "branch-ipv4", "branch-ipv6"].map((s) => `examples/sites/${s}.yaml`)]],
    ["### 2. the cloud side: what the VPC virtual router holds and runs for the dynamic-IP branch", ["render", "examples/sites/branch-email.yaml", "--target", "vr"], env],
    ["### 3. the branch side: the branch router's strongSwan config", ["render", "examples/sites/branch-email.yaml", "--target", "peer"], env],
  ];
  for (const [title, args, stepEnv] of steps) {
    console.log(`\n${title}\n`);
    const status = run(args, stepEnv);
    if (status !== 0) return status;
  }
  return 0;
}

module.exports = { showRenderedPlan };
