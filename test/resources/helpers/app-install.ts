/**
 * A fresh program directory that installs this package from a tarball the way a user does, with no network: npm's
 * cache (filled by `npm ci`) has every tarball but no registry metadata, so the app gets a lockfile whose entries
 * are copied from this repository's lock (same versions and integrity, hence cache hits) and `npm ci --offline`
 * installs from it. Nothing from the repository's sources is reachable from the app.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../harness";

interface LockEntry {
  version?: string;
  integrity?: string;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [k: string]: unknown;
}

function run(cmd: string, args: string[], cwd: string, timeoutMs = 180_000): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: timeoutMs, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd} (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Packs the current build (what `npm pack` ships: package.json, bin, schema.json, README, dist/provider). */
export function packCurrent(build: string, outDir: string): string {
  const stage = fs.mkdtempSync(path.join(outDir, "stage-"));
  for (const f of ["package.json", "schema.json", "README.md"]) if (fs.existsSync(path.join(PROJECT_ROOT, f))) fs.copyFileSync(path.join(PROJECT_ROOT, f), path.join(stage, f));
  fs.cpSync(path.join(PROJECT_ROOT, "bin"), path.join(stage, "bin"), { recursive: true });
  fs.cpSync(build, path.join(stage, "dist", "provider"), { recursive: true });
  // `prepare` would rebuild with tsc: the build is already fresh, and packing must not touch the repository.
  const name = run("npm", ["pack", "--ignore-scripts", "--pack-destination", outDir], stage).trim().split("\n").pop()!;
  fs.rmSync(stage, { recursive: true, force: true });
  return path.join(outDir, name);
}

function integrityOf(file: string): string {
  return `sha512-${createHash("sha512").update(fs.readFileSync(file)).digest("base64")}`;
}

/** The lock entries reachable from `roots`, resolved like Node does (nested node_modules first, then upwards). */
function closure(packages: Record<string, LockEntry>, roots: Record<string, string>): Record<string, LockEntry> {
  const out: Record<string, LockEntry> = {};
  const visit = (from: string, name: string, optional: boolean) => {
    let dir = from;
    for (;;) {
      const key = `${dir ? `${dir}/` : ""}node_modules/${name}`;
      if (packages[key]) {
        if (out[key]) return;
        const { dev: _d, devOptional: _o, peer: _p, ...entry } = packages[key] as LockEntry & { dev?: boolean; devOptional?: boolean; peer?: boolean };
        out[key] = entry;
        for (const dep of Object.keys(entry.dependencies ?? {})) visit(key, dep, false);
        for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(key, dep, true);
        return;
      }
      if (dir === "") {
        if (optional) return;
        throw new Error(`the repository's lock has no ${name} (needed under ${from || "the root"})`);
      }
      const at = dir.lastIndexOf("/node_modules/");
      dir = at < 0 ? "" : dir.slice(0, at);
    }
  };
  for (const name of Object.keys(roots)) visit("", name, false);
  return out;
}

/**
 * Writes package.json + package-lock.json for an app depending on `tarball` and `@pulumi/pulumi` (the peer), and
 * runs `npm ci --offline`. Called again with another tarball, it is an upgrade.
 */
export function installApp(appDir: string, tarball: string): void {
  fs.mkdirSync(appDir, { recursive: true });
  const local = path.join(appDir, path.basename(tarball));
  if (path.resolve(tarball) !== local) fs.copyFileSync(tarball, local);
  const repoLock = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const pulumiVersion = repoLock.packages["node_modules/@pulumi/pulumi"]!.version!;
  const pkgJson = JSON.parse(run("tar", ["-xzOf", local, "package/package.json"], appDir)) as { name: string; version: string; dependencies: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }>; bin?: Record<string, string>; engines?: Record<string, string> };
  const deps = { [pkgJson.name]: `file:${path.basename(tarball)}`, "@pulumi/pulumi": pulumiVersion };
  const entries = closure(repoLock.packages, { ...pkgJson.dependencies, "@pulumi/pulumi": pulumiVersion });
  const lock = {
    name: "app",
    version: "1.0.0",
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: "app", version: "1.0.0", dependencies: deps },
      [`node_modules/${pkgJson.name}`]: {
        version: pkgJson.version,
        resolved: `file:${path.basename(tarball)}`,
        integrity: integrityOf(local),
        license: "Apache-2.0",
        dependencies: pkgJson.dependencies,
        ...(pkgJson.peerDependencies ? { peerDependencies: pkgJson.peerDependencies } : {}),
        // Optional peers (cdktf, constructs) stay uninstalled, as npm does for a real install.
        ...(pkgJson.peerDependenciesMeta ? { peerDependenciesMeta: pkgJson.peerDependenciesMeta } : {}),
        ...(pkgJson.bin ? { bin: pkgJson.bin } : {}),
        ...(pkgJson.engines ? { engines: pkgJson.engines } : {}),
      },
      ...entries,
    },
  };
  fs.writeFileSync(path.join(appDir, "package.json"), `${JSON.stringify({ name: "app", version: "1.0.0", private: true, dependencies: deps }, null, 2)}\n`);
  fs.writeFileSync(path.join(appDir, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
  run("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], appDir);
}
