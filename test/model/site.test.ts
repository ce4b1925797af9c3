import { describe, expect, it } from "vitest";
import { parseSite, resolveSitePsk, siteSchema, siteToDataBag, type SiteSpec } from "../../provider/model/site";
import { at, dynamicPeer, pathsOf, SECRET_PSK, siteInput, staticPeer } from "./builders";

function validSite(overrides: Parameters<typeof siteInput>[0] = {}): SiteSpec {
  const { site, issues } = parseSite(siteInput(overrides));
  if (!site) throw new Error(issues.map((i) => i.message).join("\n"));
  return site;
}

describe("parseSite", () => {
  it("resolves defaults and names the customer gateway after the site", () => {
    const site = validSite();
    expect(site.customerGateway).toMatchObject({ name: "branch-a", ikeVersion: "ikev2", dpd: true, ipsecPsk: { env: "BRANCH_A_PSK" } });
    expect(site.vpnGateway.publicInterface).toBe("eth1");
    expect(site.connection).toEqual({ passive: false });
  });

  it("keeps an explicit customer gateway name", () => {
    expect(validSite({ customerGateway: { name: "Lyon branch" } }).customerGateway.name).toBe("Lyon branch");
  });

  it.each(["Branch-A", "branch_a", "-branch", "branch-", "", "a".repeat(43)])("fails when the site name is %j", (name) => {
    expect(pathsOf(parseSite(siteInput({ name })).issues)).toContain("name");
  });

  it("fails when a peer subnet overlaps the VPC CIDR", () => {
    const issues = parseSite(siteInput({ customerGateway: { cidrList: ["192.168.10.0/24", "10.1.4.0/24"] } })).issues;
    expect(at(issues, "customerGateway.cidrList[1]")[0]?.message).toMatch(/"10\.1\.4\.0\/24" overlaps the VPC CIDR 10\.1\.0\.0\/16/);
  });

  it("fails when a peer subnet contains the VPC", () => {
    expect(at(parseSite(siteInput({ customerGateway: { cidrList: ["10.0.0.0/8"] } })).issues, "customerGateway.cidrList[0]")[0]?.code).toBe("overlaps-vpc");
  });

  it.each([
    ["vpcCidr", "10.1.0.0", /a\.b\.c\.d\/n/],
    ["vpcCidr", "10.1.0.1/16", /host bits set; use 10\.1\.0\.0\/16/],
    ["publicIp", "198.51.100", /dotted-quad/],
    ["publicIp", "198.051.100.10", /dotted-quad/],
    ["publicInterface", "eth1; reboot", /must be an interface name such as eth1/],
    ["publicInterface", "-eth1", /must be an interface name .*starting with a letter, digit or _/],
  ])("fails when vpnGateway.%s is %j", (field, value, reason) => {
    expect(at(parseSite(siteInput({ vpnGateway: { [field]: value } })).issues, `vpnGateway.${field}`)[0]?.message).toMatch(reason);
  });

  it("fails when a field is unknown, at any level", () => {
    const issues = parseSite({ ...siteInput({ customerGateway: { colour: "red" } }), extra: 1 }).issues;
    expect(pathsOf(issues)).toEqual(expect.arrayContaining(["extra", "customerGateway.colour"]));
  });

  it("fails when the PSK env name is not a variable name", () => {
    expect(pathsOf(parseSite(siteInput({ customerGateway: { ipsecPsk: { env: "1-PSK" } } })).issues)).toContain("customerGateway.ipsecPsk.env");
  });

  it("prefixes the customer gateway's own rules with customerGateway", () => {
    const issues = parseSite(siteInput({ customerGateway: { ikeVersion: "ikev1", ipsecPsk: "short" } })).issues;
    expect(pathsOf(issues)).toEqual(expect.arrayContaining(["customerGateway.ikeVersion", "customerGateway.ipsecPsk"]));
  });

  it("reports, never throws, when the document or customerGateway is not a mapping", () => {
    for (const input of [null, "text", [], siteInput({}), { ...siteInput(), customerGateway: null }, { name: "a", vpnGateway: { vpcCidr: "10.0.0.0/16" } }]) {
      expect(() => siteSchema.safeParse(input)).not.toThrow();
    }
    expect(pathsOf(parseSite({ name: "a", vpnGateway: { vpcCidr: "10.0.0.0/16" } }).issues)).toContain("customerGateway");
  });
});

describe("siteWarnings (through parseSite)", () => {
  it("gives no warning for an env PSK with a listed source range", () => {
    expect(parseSite(siteInput()).issues).toEqual([]);
  });

  it("warns about a literal PSK, without quoting it", () => {
    const { site, issues } = parseSite(siteInput({ customerGateway: { ipsecPsk: SECRET_PSK } }));
    expect(site).toBeDefined();
    expect(issues.map((i) => [i.code, i.severity])).toEqual([["literal-psk", "warning"]]);
    expect(issues[0]?.message).not.toContain(SECRET_PSK);
  });

  it("warns when a dynamic peer's literal PSK has 20–31 characters", () => {
    const psk = "LeakCanary-abcdefghij0";
    const issues = parseSite(siteInput({ customerGateway: { ipsecPsk: psk } })).issues;
    expect(at(issues, "customerGateway.ipsecPsk").map((i) => i.code)).toContain("short-psk");
    for (const issue of issues) expect(issue.message).not.toContain(psk);
  });

  it("warns when a dynamic peer accepts any source", () => {
    const issues = parseSite(siteInput({ customerGateway: { peer: { type: "dynamic", remoteId: "branch@example.com", allowAnySource: true } } })).issues;
    expect(issues.map((i) => i.code)).toEqual(["any-source"]);
  });

  it("warns when a lifetime is not a whole number of minutes", () => {
    expect(at(parseSite(siteInput({ customerGateway: { espLifetime: 3601 } })).issues, "customerGateway.espLifetime")[0]?.message).toMatch(/not a whole number of minutes.*60m/);
  });

  it("warns that DPD timers are ignored by the VR for a static peer", () => {
    const issues = parseSite(siteInput({ customerGateway: { peer: staticPeer(), dpdDelaySeconds: 10, dpdTimeoutSeconds: 40 } })).issues;
    expect(issues.map((i) => i.code)).toEqual(["dpd-timers-ignored"]);
  });
});

describe("resolveSitePsk", () => {
  it("returns a literal PSK as is", () => {
    expect(resolveSitePsk(validSite({ customerGateway: { ipsecPsk: SECRET_PSK } }), {})).toEqual({ psk: SECRET_PSK, issues: [] });
  });

  it("reads the PSK from the named variable", () => {
    expect(resolveSitePsk(validSite(), { BRANCH_A_PSK: SECRET_PSK })).toEqual({ psk: SECRET_PSK, issues: [] });
  });

  it.each([{}, { BRANCH_A_PSK: "" }])("fails when the variable is unset or empty (%j), naming it", (env) => {
    const { psk, issues } = resolveSitePsk(validSite(), env);
    expect(psk).toBeUndefined();
    expect(issues.map((i) => [i.path, i.code])).toEqual([["customerGateway.ipsecPsk.env", "psk-env-unset"]]);
    expect(issues[0]?.message).toMatch(/BRANCH_A_PSK.*not set/);
  });

  it.each([
    ["too short for a dynamic peer", "LeakCanary-short", /at least 20/],
    ["holding a quote", `${SECRET_PSK}"`, /double quote/],
    ["holding a newline", `${SECRET_PSK}\n`, /line break/],
  ])("fails when the variable's value is %s, naming the variable but not the value", (_label, value, reason) => {
    const { psk, issues } = resolveSitePsk(validSite(), { BRANCH_A_PSK: value });
    expect(psk).toBeUndefined();
    expect(issues[0]?.message).toMatch(/from BRANCH_A_PSK/);
    expect(issues.map((i) => i.message).join("\n")).toMatch(reason);
    for (const issue of issues) expect(issue.message).not.toContain(value.trim());
  });

  it("accepts a short env PSK for a static peer", () => {
    expect(resolveSitePsk(validSite({ customerGateway: { peer: staticPeer() } }), { BRANCH_A_PSK: "short" }).psk).toBe("short");
  });
});

describe("siteToDataBag", () => {
  it("maps a dynamic site onto the data bag's dynamic-peer keys", () => {
    const site = validSite({ customerGateway: { peer: dynamicPeer({ remoteId: "@branch.example.com", allowedSourceCidrs: ["203.0.113.0/25", "192.0.2.0/24"] }), dpdDelaySeconds: 10, dpdTimeoutSeconds: 30, cidrList: ["192.168.10.0/24", "192.168.11.0/24"] } });
    expect(siteToDataBag(site, { create: true, psk: SECRET_PSK })).toEqual({
      type: "site2sitevpn", create: true, local_public_ip: "198.51.100.10", local_guest_cidr: "10.1.0.0/16",
      peer_guest_cidr_list: "192.168.10.0/24,192.168.11.0/24", esp_policy: "aes256-sha256;modp2048", ike_policy: "aes256-sha256;modp2048",
      ipsec_psk: SECRET_PSK, ike_lifetime: 86400, esp_lifetime: 3600, dpd: true, passive: false, encap: false, split_connections: false,
      ike_version: "ikev2", dynamic_peer: true, peer_id: "branch.example.com", peer_id_type: "fqdn",
      peer_source_cidr_list: "203.0.113.0/25,192.0.2.0/24", dpd_delay: 10, dpd_timeout: 30,
    });
  });

  it("maps a static site onto CloudStack's keys only", () => {
    const bag = siteToDataBag(validSite({ customerGateway: { peer: staticPeer("vpn.example.com"), splitConnections: true }, connection: { passive: true } }), { create: false, psk: "k" });
    expect(bag).toMatchObject({ peer_gateway_ip: "vpn.example.com", create: false, passive: true, split_connections: true, ike_version: "ike", dpd: false });
    for (const key of ["dynamic_peer", "peer_id", "peer_id_type", "peer_source_cidr_list", "dpd_delay", "dpd_timeout"]) expect(bag).not.toHaveProperty(key);
  });

  it("uses the given public IP over the site's", () => {
    expect(siteToDataBag(validSite(), { create: true, psk: SECRET_PSK, publicIp: "192.0.2.99" }).local_public_ip).toBe("192.0.2.99");
  });

  it("fails when no public IP is known", () => {
    expect(() => siteToDataBag(validSite({ vpnGateway: { publicIp: undefined } }), { create: true, psk: SECRET_PSK })).toThrow(/vpnGateway\.publicIp.*required/);
  });
});
