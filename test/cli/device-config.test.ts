import { lstat, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXAMPLES, run } from "./capture";

const LYON = join(EXAMPLES, "branch-email.yaml");
const PARIS = join(EXAMPLES, "datacenter-static.yaml");
const LYON_PSK = "LyonDeviceCanary-0123456789abcdefghij";

describe("device-config", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "s2s-device-cli-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("--vendor list names every vendor", async () => {
    const { code, stdout } = await run(["device-config", "--vendor", "list"]);
    expect(code).toBe(0);
    expect(stdout.split("\n").filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(["strongswan-swanctl", "strongswan-ipsec", "libreswan", "cisco-iosxe", "juniper-srx", "mikrotik-routeros7", "vyos", "fortigate"]);
  });

  it("without --include-psk prints a marked placeholder and needs no key in the environment", async () => {
    const { code, stdout, stderr } = await run(["device-config", LYON, "--vendor", "cisco-iosxe"], {});
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("pre-shared-key CHANGE-ME-psk-of-customerGateway.ipsecPsk");
    expect(stdout).toContain("match identity remote fqdn vpn-198-51-100-10.s2s.invalid");
  });

  it("with --include-psk reads { env: NAME } from the environment; unset, it names the variable and prints nothing", async () => {
    const ok = await run(["device-config", LYON, "--vendor", "vyos", "--include-psk"], { LYON_PSK });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`secret '${LYON_PSK}'`);
    const missing = await run(["device-config", LYON, "--vendor", "vyos", "--include-psk"], {});
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toMatch(/names LYON_PSK, which is not set/);
  });

  it("--out writes the key file 0600 (even over an existing 0644 file), the non-secret file 0644", async () => {
    const out = join(dir, "branch.conf");
    await writeFile(join(dir, "branch.secrets"), "old\n", { mode: 0o644 });
    const { code, stdout } = await run(["device-config", LYON, "--vendor", "strongswan-ipsec", "--include-psk", "--out", out], { LYON_PSK });
    expect(code).toBe(0);
    expect(stdout).toContain(`wrote ${join(dir, "branch.secrets")} (mode 0600) - contains the pre-shared key`);
    expect((await stat(out)).mode & 0o777).toBe(0o644);
    expect((await stat(join(dir, "branch.secrets"))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, "branch.secrets"), "utf8")).toContain(`: PSK "${LYON_PSK}"`);
    expect(await readFile(out, "utf8")).not.toContain(LYON_PSK);
  });

  it("--out refuses a symlink at the target and leaves what it points to untouched", async () => {
    const victim = join(dir, "victim.txt");
    await writeFile(victim, "keep me\n");
    const out = join(dir, "swanctl.conf");
    await symlink(victim, out);
    const { code, stderr } = await run(["device-config", LYON, "--vendor", "strongswan-swanctl", "--include-psk", "--out", out], { LYON_PSK });
    expect(code).toBe(2);
    expect(stderr).toMatch(/is a symbolic link; refusing to write through it/);
    expect(await readFile(victim, "utf8")).toBe("keep me\n");
    expect((await lstat(out)).isSymbolicLink()).toBe(true);
    expect(await readlink(out)).toBe(victim);
    expect(stderr).not.toContain(LYON_PSK);
  });

  it("a site the vendor cannot express exits 2 with every problem, and writes nothing", async () => {
    const site = join(dir, "dn.yaml");
    await writeFile(site, (await readFile(join(EXAMPLES, "branch-dn.yaml"), "utf8")).replace(/ikePolicy:.*\n/, ""));
    const out = join(dir, "x.ios");
    const { code, stderr } = await run(["device-config", site, "--vendor", "cisco-iosxe", "--out", out], {});
    expect(code).toBe(2);
    expect(stderr).toMatch(/error: `customerGateway\.peer\.remoteId` .* cannot be expressed for cisco-iosxe/);
    await expect(stat(out)).rejects.toThrow();
  });

  it("renders a static site too (the VPC side's ID is its address)", async () => {
    const { code, stdout } = await run(["device-config", PARIS, "--vendor", "juniper-srx"], {});
    expect(code).toBe(0);
    expect(stdout).toContain("remote-identity inet 198.51.100.10");
    expect(stdout).toContain("local-identity inet 203.0.113.10");
  });

  it("usage errors: no vendor, unknown vendor", async () => {
    expect((await run(["device-config", LYON])).code).toBe(2);
    const unknown = await run(["device-config", LYON, "--vendor", "paloalto"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/"paloalto" is not a known device; use one of/);
  });
});
