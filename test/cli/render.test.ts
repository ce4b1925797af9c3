import { link, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXAMPLES, FIXTURES, run } from "./capture";

const LYON = join(EXAMPLES, "branch-email.yaml");
const PARIS = join(EXAMPLES, "datacenter-static.yaml");
const LYON_PSK = "LyonCanary-0123456789abcdefghijklmnop";
const PARIS_PSK = "ParisCanary-0123456789abcdefghijklmno";
const env = { LYON_PSK, PARIS_PSK };

describe("render SITE --target", () => {
  it.each(["vr", "swanctl", "peer"])("prints the %s configuration with the PSK from the environment", async (target) => {
    const { code, stdout, stderr } = await run(["render", LYON, "--target", target], env);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/==> \S+ \(mode 0\d{3}\) <==/);
    // swanctl.conf carries the key base64-encoded (`0s…`), the ipsec.secrets formats carry it quoted
    expect(stdout).toContain(target === "swanctl" ? `0s${Buffer.from(LYON_PSK).toString("base64")}` : `"${LYON_PSK}"`);
  });

  it("renders a dynamic peer for the VR as a responder for any address, with the allow-listed sources only", async () => {
    const { stdout } = await run(["render", LYON, "--target", "vr"], env);
    expect(stdout).toMatch(/ right=%any\n/);
    expect(stdout).toMatch(/ rightid=branch-lyon@example\.com\n/);
    expect(stdout).toMatch(/ keyexchange=ikev2\n/);
    expect(stdout).toMatch(/--dport 500 -s 203\.0\.113\.0\/25 /);
    expect(stdout).not.toMatch(/-s 0\.0\.0\.0\/0/);
  });

  it("prints the firewall rules with the table given once", async () => {
    const { stdout } = await run(["render", LYON, "--target", "vr"], env);
    expect(stdout).toMatch(/POSTROUTING/);
    for (const line of stdout.split("\n")) expect(line.match(/-t \w+/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it("prints JSON with --output json", async () => {
    const { stdout } = await run(["render", PARIS, "--target", "vr", "--output", "json"], env);
    const parsed = JSON.parse(stdout) as { files: { path: string }[] };
    expect(parsed.files.map((f) => f.path)).toContain("/etc/ipsec.d/ipsec.vpn-203.0.113.10.conf");
  });

  it("renders a literal PSK without the environment, still warning about it on stderr without quoting it", async () => {
    const { code, stdout, stderr } = await run(["render", join(FIXTURES, "static-literal-psk.yaml"), "--target", "vr"]);
    expect(code).toBe(0);
    expect(stdout).toContain("LiteralCanary");
    expect(stderr).toMatch(/warning: `customerGateway\.ipsecPsk` holds the key itself/);
    expect(stderr).not.toContain("LiteralCanary");
  });

  it("fails when the PSK variable is not set, naming it (exit 2)", async () => {
    const { code, stdout, stderr } = await run(["render", LYON, "--target", "vr"], { PARIS_PSK });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/`customerGateway\.ipsecPsk\.env` names LYON_PSK, which is not set/);
  });

  it.each([
    ["too short", "LeakCanary-short"],
    ["holding a quote", `${LYON_PSK}"`],
  ])("fails when the PSK in the environment is %s, without showing it (exit 2)", async (_label, value) => {
    const { code, stderr } = await run(["render", LYON, "--target", "vr"], { LYON_PSK: value });
    expect(code).toBe(2);
    expect(stderr).toMatch(/\(from LYON_PSK\)/);
    expect(stderr).not.toContain(value.replace(/"$/, ""));
  });

  it("fails when the site has no public IP (exit 2)", async () => {
    const { code, stderr } = await run(["render", join(FIXTURES, "no-public-ip.yaml"), "--target", "swanctl"], { NO_IP_PSK: PARIS_PSK });
    expect(code).toBe(2);
    expect(stderr).toMatch(/`vpnGateway\.publicIp` is required to render/);
    expect(stderr).not.toContain(PARIS_PSK);
  });

  it("fails when the site file is invalid, listing its problems (exit 2)", async () => {
    const { code, stderr } = await run(["render", join(FIXTURES, "bad-many.yaml"), "--target", "vr"], env);
    expect(code).toBe(2);
    expect(stderr).toMatch(/`customerGateway\.ikeVersion`/);
    expect(stderr).not.toContain("LeakCanary");
  });

  it.each<[string, string[], RegExp]>([
    ["no --target", ["render", LYON], /--target must be one of vr, swanctl, peer/],
    ["an unknown target", ["render", LYON, "--target", "openswan"], /--target must be one of/],
    ["no site file", ["render", "--target", "vr"], /exactly one site file/],
    ["two site files", ["render", LYON, PARIS, "--target", "vr"], /exactly one site file/],
    ["an unknown output", ["render", LYON, "--target", "vr", "--output", "yaml"], /--output must be text or json/],
    ["an unknown option", ["render", LYON, "--target", "vr", "--force"], /unknown option --force/],
    ["a missing option value", ["render", LYON, "--target"], /--target needs a value/],
    ["an unsafe --public-interface", ["render", LYON, "--target", "vr", "--public-interface", "eth1;reboot"], /--public-interface "eth1;reboot" must be an interface name/],
  ])("fails when given %s (usage, exit 2)", async (_label, argv, reason) => {
    const { code, stderr } = await run(argv, env);
    expect(code).toBe(2);
    expect(stderr).toMatch(reason);
  });
});

describe("render SITE --out DIR", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "s2s-render-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

  it("writes the VR files with their modes: secrets 0600, config 0644", async () => {
    // WHEN the dynamic site is rendered for the VR into a temp dir
    const { code, stdout } = await run(["render", LYON, "--target", "vr", "--out", dir], env);
    expect(code).toBe(0);
    // THEN each file is written, with its mode
    const written = stdout.split("\n").filter(Boolean).map((l) => l.replace(/^wrote /, ""));
    const secrets = written.find((w) => w.endsWith(".secrets"));
    const conf = written.find((w) => w.endsWith(".conf"));
    expect(secrets && (await modeOf(secrets))).toBe(0o600);
    expect(conf && (await modeOf(conf))).toBe(0o644);
    expect(await readFile(secrets!, "utf8")).toContain(LYON_PSK);
    expect(written).toEqual(expect.arrayContaining([join(dir, "firewall.json"), join(dir, "commands.sh")]));
  });

  it("gives commands.sh and firewall.json fixed modes whatever the umask, even over existing files", async () => {
    const old = process.umask(0o077);
    try {
      await run(["render", LYON, "--target", "vr", "--out", dir], env);
      await run(["render", LYON, "--target", "vr", "--out", dir], env);
    } finally {
      process.umask(old);
    }
    expect(await modeOf(join(dir, "commands.sh"))).toBe(0o755);
    expect(await modeOf(join(dir, "firewall.json"))).toBe(0o644);
  });

  it("warns (without blocking or quoting it) when a dynamic peer's key from the environment is under 32 characters", async () => {
    const shortKey = "Zq7-twenty-four-char-key";
    const { code, stderr } = await run(["render", LYON, "--target", "vr", "--out", dir], { ...env, LYON_PSK: shortKey });
    expect(code).toBe(0);
    expect(stderr).toMatch(/warning: `customerGateway\.ipsecPsk` \(from LYON_PSK\) has 24 characters; 32\+ are recommended/);
    expect(stderr).not.toContain(shortKey);
  });

  it("writes the swanctl file (it holds the secret) with mode 0600", async () => {
    await run(["render", LYON, "--target", "swanctl", "--out", dir], env);
    const file = join(dir, "etc/swanctl/conf.d/s2s-branch-lyon.conf");
    expect(await modeOf(file)).toBe(0o600);
    expect(await readFile(file, "utf8")).toContain(`0s${Buffer.from(LYON_PSK).toString("base64")}`);
  });

  it("writes the peer's secrets with mode 0600", async () => {
    await run(["render", LYON, "--target", "peer", "--out", dir], env);
    expect(await modeOf(join(dir, "etc/ipsec.d/s2s-branch-lyon.secrets"))).toBe(0o600);
  });

  it("never puts the key into an existing file: a file already at the target (here with a second, 0644 link) keeps its old content", async () => {
    // GIVEN a world-readable file at the secrets path, also reachable under another name
    const target = join(dir, "etc/ipsec.d/s2s-branch-lyon.secrets");
    await mkdir(join(dir, "etc/ipsec.d"), { recursive: true });
    await writeFile(target, "old\n", { mode: 0o644 });
    await link(target, join(dir, "other-name"));
    // WHEN the site is rendered over it
    const { code } = await run(["render", LYON, "--target", "peer", "--out", dir], env);
    expect(code).toBe(0);
    // THEN the key went into a new 0600 file (created with its mode, renamed into place); the old inode never held it
    expect(await readFile(join(dir, "other-name"), "utf8")).toBe("old\n");
    expect(await modeOf(target)).toBe(0o600);
    expect(await readFile(target, "utf8")).toContain(LYON_PSK);
    expect((await readdir(join(dir, "etc/ipsec.d"))).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("fails when a symbolic link stands at a target file, and writes nothing through it", async () => {
    const elsewhere = join(dir, "elsewhere");
    await writeFile(elsewhere, "untouched\n", { mode: 0o644 });
    await mkdir(join(dir, "out/etc/ipsec.d"), { recursive: true });
    await symlink(elsewhere, join(dir, "out/etc/ipsec.d/s2s-branch-lyon.secrets"));
    const { code, stderr } = await run(["render", LYON, "--target", "peer", "--out", join(dir, "out")], env);
    expect(code).toBe(2);
    expect(stderr).toMatch(/s2s-branch-lyon\.secrets is a symbolic link; refusing to write through it/);
    expect(stderr).not.toContain(LYON_PSK);
    expect(await readFile(elsewhere, "utf8")).toBe("untouched\n");
  });

  it("fails when a folder below --out is a symbolic link", async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), "s2s-elsewhere-"));
    try {
      await mkdir(join(dir, "out"), { recursive: true });
      await symlink(elsewhere, join(dir, "out/etc"));
      const { code, stderr } = await run(["render", LYON, "--target", "vr", "--out", join(dir, "out")], env);
      expect(code).toBe(2);
      expect(stderr).toMatch(/out\/etc is a symbolic link/);
      expect(await readdir(elsewhere)).toEqual([]);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it("writes nothing when the PSK variable is missing", async () => {
    const { code } = await run(["render", LYON, "--target", "vr", "--out", dir], {});
    expect(code).toBe(2);
    await expect(stat(join(dir, "commands.sh"))).rejects.toThrow(/ENOENT/);
  });
});
