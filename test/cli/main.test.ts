import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { USAGE } from "../../provider/cli/main";
import { run } from "./capture";

const execFileAsync = promisify(execFile);

describe("psk", () => {
  it("prints a 43-character base64url key", async () => {
    const { code, stdout } = await run(["psk"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
  });

  it("prints a different key each run", async () => {
    expect((await run(["psk"])).stdout).not.toBe((await run(["psk"])).stdout);
  });

  it.each([[16, 22], [128, 171]])("accepts --bytes %i (%i characters)", async (bytes, length) => {
    const { code, stdout } = await run(["psk", "--bytes", String(bytes)]);
    expect(code).toBe(0);
    expect(stdout.trim()).toHaveLength(length);
  });

  it.each(["15", "129", "32.5", "many", "-32"])("fails when --bytes is %j (exit 2)", async (bytes) => {
    const { code, stdout, stderr } = await run(["psk", `--bytes=${bytes}`]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/--bytes .* must be a whole number from 16 to 128/);
  });
});

describe("main", () => {
  it.each(["--help", "-h", "help"])("prints the usage for %s (exit 0)", async (flag) => {
    const { code, stdout } = await run([flag]);
    expect(code).toBe(0);
    expect(stdout).toBe(USAGE);
  });

  it.each([["validate", "--help"], ["render", "-h"], ["psk", "--help"]])("prints the usage for `%s %s` (exit 0)", async (command, flag) => {
    const { code, stdout } = await run([command, flag]);
    expect(code).toBe(0);
    expect(stdout).toBe(USAGE);
  });

  it("prints the usage and exits 2 without a command", async () => {
    const { code, stdout } = await run([]);
    expect(code).toBe(2);
    expect(stdout).toMatch(/Usage:/);
  });

  it("prints the package version", async () => {
    const { code, stdout } = await run(["--version"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("fails when the command is unknown (exit 2)", async () => {
    const { code, stderr } = await run(["deploy"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command "deploy".*\n.*--help/);
  });

  it.each([["psk", "--length", "32"], ["psk", "--bytes"]])("fails when an option is unknown or lacks its value: %j (exit 2)", async (...argv) => {
    expect((await run(argv)).code).toBe(2);
  });
});

describe("bin/cloudstack-s2s.js", () => {
  beforeAll(async () => {
    if (!existsSync("dist/provider/cli/main.js")) await execFileAsync("npm", ["run", "build"], { timeout: 120_000 });
  }, 130_000);

  it("runs the built CLI: --help prints the usage and exits 0", async () => {
    const { stdout } = await execFileAsync(process.execPath, ["bin/cloudstack-s2s.js", "--help"]);
    expect(stdout).toMatch(/^cloudstack-s2s — .*\n\nUsage:\n/);
    expect(stdout).toMatch(/cloudstack-s2s validate FILE\.\.\./);
  });
});
