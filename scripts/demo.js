#!/usr/bin/env node
"use strict";
// `npm run demo`. As root: the live demo (scripts/demo/live-demo.ts) — a local CloudStack (4.22 API) with a real
// virtual router in network namespaces, the branch-dynamic example's resources run through Pulumi's own
// dynamic-provider host, a branch router that proves the tunnel, survives a WAN address change and an allow-list
// update, then everything destroyed and cleaned up (even on Ctrl-C).
// Not root: says what the live demo needs and shows the rendered plan instead (scripts/demo/rendered-plan.js).
//
// Environment:
//   S2S_DEMO_NOT_ROOT=1        behave as if not root (prints the plan; used by test/e2e/demo.test.ts)
//   S2S_DEMO_RUN_ID=<4 hex>    name the demo's namespaces s2s<id>…, so the e2e run's leftover check covers them
const { spawnSync } = require("node:child_process");
const { existsSync, readFileSync } = require("node:fs");
const { join } = require("node:path");
const { showRenderedPlan } = require("./demo/rendered-plan");

const root = join(__dirname, "..");
const provision = join(__dirname, "provision.sh");
const isRoot = process.getuid?.() === 0 && process.env.S2S_DEMO_NOT_ROOT !== "1";

/**
 * Packages of provision.sh's list (its PACKAGES line: one source of truth) that dpkg does not show installed.
 * A read-only check: running provision.sh itself as root would install them, even when "not root" is simulated.
 */
function missingPackages() {
  const list = /^PACKAGES="([^"]*)"/m.exec(readFileSync(provision, "utf8"))?.[1].split(/\s+/).filter(Boolean) ?? [];
  return list.filter((p) => spawnSync("dpkg-query", ["-W", "-f=${db:Status-Status}", p], { encoding: "utf8" }).stdout !== "installed");
}

if (!existsSync(join(root, "dist", "provider", "index.js"))) {
  console.error("demo: dist/ is missing; run `npm ci` (it builds dist/ through `prepare`) or `npm run build` first");
  process.exit(1);
}

if (!isRoot) {
  const missing = missingPackages();
  console.log(
    [
      "The live demo builds a real virtual router, a branch router and an IPsec tunnel in network namespaces,",
      "which needs root:",
      "",
      ...(missing.length === 0 ? [] : [`    sudo scripts/provision.sh     # installs ${missing.join(", ")} (starts no daemon)`]),
      "    sudo npm run demo",
      "",
      "Meanwhile, the rendered plan: what the cloud's virtual router and the branch router get for a dynamic-IP branch.",
    ].join("\n"),
  );
  process.exit(showRenderedPlan());
}

// As root, provision.sh installs what is missing (idempotent: a dpkg-query when everything is there), as `npm test` does.
if (spawnSync("sh", [provision], { stdio: "inherit" }).status !== 0) {
  console.error("demo: provisioning failed (see above); fix it, or run `sudo scripts/provision.sh` yourself, then `sudo npm run demo`");
  process.exit(1);
}

let tsNode;
try {
  tsNode = require(join(root, "node_modules", "ts-node"));
} catch {
  console.error("demo: the live demo runs the example's TypeScript resources like `pulumi up` does, under ts-node; install the dev dependencies (`npm ci`, without --omit=dev)");
  process.exit(1);
}
// Transpile only: `npm run typecheck` checks types; the demo should start in a second, not after a full check.
tsNode.register({ project: join(root, "tsconfig.json"), transpileOnly: true });
require("./demo/live-demo.ts")
  .main()
  .then((code) => process.exit(code));
