import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runLocalCloud } from "../../provider/cli/local-cloud";
import { TestClient } from "./helpers/signed-client";

const ROOT = join(__dirname, "..", "..");
let entry = "";

// The startup budget is for the shipped (compiled) CLI, so the spawn test runs compiled JavaScript: compiling
// on the fly with ts-node alone costs about a second per start and would measure ts-node, not the endpoint.
beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), "local-cloud-build-"));
  execFileSync(process.execPath, [
    join(ROOT, "node_modules", "typescript", "bin", "tsc"), "--ignoreConfig", join(__dirname, "fixtures", "cli-entry.ts"),
    "--outDir", out, "--rootDir", ROOT, "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "ES2022",
    "--esModuleInterop", "--skipLibCheck", "--types", "node",
  ]);
  symlinkSync(join(ROOT, "node_modules"), join(out, "node_modules"));
  entry = join(out, "test", "local-cloud", "fixtures", "cli-entry.js");
}, 60_000);

describe("cloudstack-s2s local-cloud", () => {
  it("starts in under 2 s, answers a signed listVpnCustomerGateways, and stops cleanly on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "local-cloud-cli-"));
    const credentialsFile = join(dir, "credentials.json");
    const t0 = Date.now();
    const child = spawn(
      process.execPath,
      [entry, "--port", "0", "--state", join(dir, "state.json"), "--credentials-file", credentialsFile],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // GIVEN the process printed its URL
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed; stdout so far: ${stdout}`)), 15_000);
      child.stdout.on("data", () => {
        const m = /listening on (\S+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const credentials = JSON.parse(readFileSync(credentialsFile, "utf8"));
    // WHEN a signed request is sent
    const reply = await new TestClient(credentials.url, credentials).call("listVpnCustomerGateways");
    const startupMs = Date.now() - t0;
    // THEN it answers, within the startup budget (process spawn and module loading included)
    expect(credentials.url).toBe(url);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/api$/);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ listvpncustomergatewaysresponse: {} });
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    expect(stdout).toContain(credentials.secretKey);
    expect(stdout).toMatch(/local, loopback-only/);
    console.info(`local-cloud CLI startup (spawn to first signed answer): ${startupMs} ms`);
    expect(startupMs).toBeLessThan(2000);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/stopped \(SIGTERM\)/);
  });

  it("keeps the admin keys across restarts with --state (in-process)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "local-cloud-cli-"));
    const run = async () => {
      const stop = new AbortController();
      const lines: string[] = [];
      const done = runLocalCloud(["--port", "0", "--state", join(dir, "s.json")], { stdout: (l) => lines.push(l), stop: stop.signal });
      while (!lines.some((l) => l.startsWith("admin API key"))) await new Promise((r) => setTimeout(r, 5));
      stop.abort();
      expect(await done).toBe(0);
      return lines.find((l) => l.startsWith("admin API key"));
    };
    expect(await run()).toBe(await run());
  });

  it("fails with usage and exit code 2 on a bad option", async () => {
    const errors: string[] = [];
    expect(await runLocalCloud(["--variant", "4.18"], { stderr: (l) => errors.push(l) })).toBe(2);
    expect(errors.join("\n")).toMatch(/`--variant` 4\.18 is unknown; use 4\.22 or dynamic-peer/);
  });
});
