/**
 * A fresh compiled build of `provider/` for the dynamic-provider host (plain Node: it cannot load .ts). Keyed by a
 * hash of every source file and the tsconfigs, built once into node_modules/.cache (so the build's own requires of
 * zod, ssh2… resolve from the project's node_modules) and shared by parallel test files through a lock directory.
 * Tests then point the resources at it with CLOUDSTACK_S2S_RUNTIME — never at a possibly stale `dist/`.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../harness";

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

function sourceHash(): string {
  const h = createHash("sha256");
  for (const f of [...sources(path.join(PROJECT_ROOT, "provider")).sort(), path.join(PROJECT_ROOT, "tsconfig.json"), path.join(PROJECT_ROOT, "tsconfig.build.json")]) {
    h.update(path.relative(PROJECT_ROOT, f)).update("\0").update(fs.readFileSync(f)).update("\0");
  }
  return h.digest("hex").slice(0, 16);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Absolute path of the built `provider/` directory (what CLOUDSTACK_S2S_RUNTIME takes). */
export async function ensureRuntimeBuild(): Promise<string> {
  const cache = path.join(PROJECT_ROOT, "node_modules", ".cache", "cloudstack-s2s-runtime");
  const dir = path.join(cache, sourceHash());
  const result = path.join(dir, "provider");
  fs.mkdirSync(cache, { recursive: true });
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 180_000;
  while (!fs.existsSync(dir)) {
    try {
      fs.mkdirSync(lock);
    } catch {
      // Someone else builds; a lock older than the deadline is a crashed builder's.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 170_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for another test's build of ${dir}`);
      await sleep(200);
      continue;
    }
    try {
      if (fs.existsSync(dir)) break;
      const tmp = `${dir}.tmp-${process.pid}`;
      fs.rmSync(tmp, { recursive: true, force: true });
      const tsc = path.join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc");
      const r = spawnSync(process.execPath, [tsc, "-p", path.join(PROJECT_ROOT, "tsconfig.build.json"), "--outDir", tmp, "--declaration", "false", "--sourceMap", "false"], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 170_000 });
      if (r.status !== 0) throw new Error(`tsc build of provider/ failed (${r.status}):\n${r.stdout}${r.stderr}`);
      fs.renameSync(tmp, dir);
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
  return result;
}
