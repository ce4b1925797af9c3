import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "./capture";

const STATIC_PSK = "StaticBagCanary-0001";
const DYNAMIC_PSK = "DynamicBagCanary-0123456789abcdef";

const staticBag = {
  type: "site2sitevpn", create: true, local_public_ip: "198.51.100.10", local_guest_cidr: "10.1.0.0/16", local_public_gateway: "198.51.100.1",
  peer_gateway_ip: "203.0.113.20", peer_guest_cidr_list: "192.168.10.0/24", esp_policy: "aes128-sha1", ike_policy: "aes128-sha1;modp1536",
  ipsec_psk: STATIC_PSK, ike_lifetime: 86400, esp_lifetime: 3600, dpd: false, passive: false, encap: false, split_connections: false, ike_version: "ike",
};
const { peer_gateway_ip: _none, ...staticRest } = staticBag;
const dynamicBag = {
  ...staticRest, peer_guest_cidr_list: "192.168.20.0/24", esp_policy: "aes256-sha256;modp2048", ike_policy: "aes256-sha256;modp2048", ipsec_psk: DYNAMIC_PSK,
  ike_version: "ikev2", dpd: true, dynamic_peer: true, peer_id: "branch@example.com", peer_source_cidr_list: "203.0.113.0/24",
};

interface JsonRender {
  files: { path: string; mode: string; content: string }[];
  firewall: { table: string; position: string; rule: string }[];
  commands: string[];
}

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "s2s-databag-"));
  await writeFile(file("static.json"), JSON.stringify(staticBag));
  await writeFile(file("list.json"), JSON.stringify([staticBag, dynamicBag]));
  await writeFile(file("merged.json"), JSON.stringify({ id: "site2sitevpn", "203.0.113.20": staticBag }));
  await writeFile(file("bad-list.json"), JSON.stringify([staticBag, { ...dynamicBag, peer_id: "bad id", ike_version: "ikev1", ipsec_psk: `${DYNAMIC_PSK}"` }]));
  await writeFile(file("bad-one.json"), JSON.stringify({ ...staticBag, peer_gateway_ip: "203.0.113.20\nconn evil", mystery: 1 }));
  await writeFile(file("broken.json"), '{"type": "site2sitevpn",\n  "create": [true\n}');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("render --databag", () => {
  it("prints {files, firewall, commands} as JSON for one bag", async () => {
    const { code, stdout, stderr } = await run(["render", "--databag", file("static.json"), "--output", "json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as JsonRender;
    expect(Object.keys(parsed)).toEqual(["files", "firewall", "commands"]);
    expect(parsed.files.map((f) => [f.path, f.mode])).toEqual([
      ["/etc/ipsec.d/ipsec.vpn-203.0.113.20.conf", "0644"],
      ["/etc/ipsec.d/ipsec.vpn-203.0.113.20.secrets", expect.stringMatching(/^0[46]00$/)],
    ]);
    expect(parsed.files[0]?.content).toMatch(/ ike=aes128-sha1-modp1536\n/);
    for (const rule of parsed.firewall) expect(Object.keys(rule)).toEqual(["table", "position", "rule"]);
    expect(parsed.firewall).toContainEqual({ table: "filter", position: "front", rule: expect.stringMatching(/--dport 500 -s 203\.0\.113\.20 /) });
    expect(parsed.commands.length).toBeGreaterThan(0);
  });

  it("renders every bag of a list", async () => {
    const { code, stdout } = await run(["render", "--databag", file("list.json"), "--output", "json"]);
    expect(code).toBe(0);
    const paths = (JSON.parse(stdout) as JsonRender).files.map((f) => f.path);
    expect(paths).toContain("/etc/ipsec.d/ipsec.vpn-203.0.113.20.conf");
    expect(paths.filter((p) => p.endsWith(".conf"))).toHaveLength(2);
  });

  it("renders the VR's merged site2sitevpn.json", async () => {
    const { code, stdout } = await run(["render", "--databag", file("merged.json"), "--output", "json"]);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as JsonRender).files[0]?.path).toBe("/etc/ipsec.d/ipsec.vpn-203.0.113.20.conf");
  });

  it("prints text by default", async () => {
    const { stdout } = await run(["render", "--databag", file("static.json")]);
    expect(stdout).toMatch(/^==> \/etc\/ipsec\.d\/ipsec\.vpn-203\.0\.113\.20\.conf \(mode 0644\) <==/);
  });

  it("fails when a bag of a list is invalid, with [index].field paths and no secret (exit 2)", async () => {
    const { code, stdout, stderr } = await run(["render", "--databag", file("bad-list.json"), "--output", "json"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    for (const path of ["[1].peer_id", "[1].ike_version", "[1].ipsec_psk"]) expect(stderr).toContain(`\`${path}\``);
    expect(stderr).not.toMatch(/`\[0\]/);
    expect(stderr).not.toContain(DYNAMIC_PSK);
    expect(stderr).not.toContain(STATIC_PSK);
  });

  it("fails when a single bag is invalid, with plain field paths and no secret (exit 2)", async () => {
    const { code, stderr } = await run(["render", "--databag", file("bad-one.json")]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/`peer_gateway_ip` .*control character/);
    expect(stderr).toMatch(/`mystery` is not a known field/);
    expect(stderr).not.toContain(STATIC_PSK);
  });

  it("fails when the file is not JSON, naming the line (exit 2)", async () => {
    const { code, stderr } = await run(["render", "--databag", file("broken.json")]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/not valid YAML\/JSON at line \d+/);
  });

  it("fails when given a site file or --target as well (usage, exit 2)", async () => {
    expect((await run(["render", "--databag", file("static.json"), "--target", "vr"])).code).toBe(2);
    expect((await run(["render", "site.yaml", "--databag", file("static.json")])).code).toBe(2);
  });
});
