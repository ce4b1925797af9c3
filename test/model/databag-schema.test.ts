import { describe, expect, it } from "vitest";
import { dataBagSchema, parseDataBag } from "../../provider/model/databag-schema";
import { at, pathsOf, SECRET_PSK } from "./builders";

/** A static bag exactly as CloudStack's management server sends it. */
function staticBag(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "site2sitevpn", create: true, local_public_ip: "198.51.100.10", local_guest_cidr: "10.1.0.0/16", local_public_gateway: "198.51.100.1",
    peer_gateway_ip: "203.0.113.20", peer_guest_cidr_list: "192.168.10.0/24,192.168.11.0/24", esp_policy: "aes128-sha1", ike_policy: "aes128-sha1;modp1536",
    ipsec_psk: SECRET_PSK, ike_lifetime: 86400, esp_lifetime: 3600, dpd: false, passive: false, encap: false, split_connections: false, ike_version: "ike",
    ...overrides,
  };
}

/** A dynamic-peer bag (apache/cloudstack#13512 extension keys). */
function dynamicBag(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { peer_gateway_ip: _ignored, ...rest } = staticBag({
    esp_policy: "aes256-sha256;modp2048", ike_policy: "aes256-sha256;modp2048", ike_version: "ikev2", dpd: true,
    dynamic_peer: true, peer_id: "branch@example.com", peer_id_type: "email", peer_source_cidr_list: "203.0.113.0/24,192.0.2.0/24", dpd_delay: 30, dpd_timeout: 120,
  });
  return { ...rest, ...overrides };
}

const issuesOf = (bag: unknown) => parseDataBag(bag).issues;

describe("parseDataBag: static bags (lenient where CloudStack is)", () => {
  it("accepts a bag as CloudStack sends it and returns it unchanged", () => {
    expect(parseDataBag(staticBag())).toEqual({ bag: staticBag(), issues: [] });
  });

  it.each<[string, Record<string, unknown>]>([
    ["a host name as peer", { peer_gateway_ip: "vpn.branch.example.com" }],
    ["unaligned peer CIDRs", { peer_guest_cidr_list: "192.168.10.5/24" }],
    ["lifetimes CloudStack accepts (0, above a day)", { ike_lifetime: 0, esp_lifetime: 999999 }],
    ["an ESP policy without PFS", { esp_policy: "aes256-sha256" }],
    ["an unusual ike_version word", { ike_version: "IKEv2" }],
    ["no optional keys", { encap: undefined, split_connections: undefined, ike_version: undefined, local_public_gateway: undefined }],
  ])("accepts %s", (_label, overrides) => {
    expect(issuesOf(staticBag(overrides))).toEqual([]);
  });

  it.each([
    ["peer_gateway_ip", "203.0.113.20;reboot", /outside an address/],
    ["peer_gateway_ip", "203.0.113.20\nconn x", /control character/],
    ["peer_gateway_ip", "%any", /starts with %|outside an address/],
    ["peer_guest_cidr_list", "192.168.10.0/24, 192.168.11.0/24", /white space/],
    ["peer_guest_cidr_list", "", /is empty/],
    ["peer_guest_cidr_list", "192.168.10.0/24,bogus", /"bogus"/],
    ["local_guest_cidr", "10.1.0.0/16,10.2.0.0/16", /one CIDR/],
    ["local_public_ip", "198.51.100.10 ", /dotted-quad/],
    ["local_public_gateway", "198.51.100.1#x", /outside an address/],
    ["ike_policy", "aes128-sha1;modp1536\nx", /outside CloudStack's policy grammar/],
    ["esp_policy", "aes128-sha1 #", /outside CloudStack's policy grammar/],
    ["ike_version", "ike v2", /not a word/],
  ])("fails when %s is %j (injection)", (field, value, reason) => {
    expect(at(issuesOf(staticBag({ [field]: value })), field)[0]?.message).toMatch(reason);
  });

  it("fails when peer_gateway_ip is missing", () => {
    expect(at(issuesOf(staticBag({ peer_gateway_ip: undefined })), "peer_gateway_ip")[0]?.message).toMatch(/required for a static peer/);
  });

  it.each(["peer_id", "peer_source_cidr_list", "peer_id_type", "dpd_delay", "dpd_timeout"])("fails when a static bag carries the dynamic key %s", (field) => {
    const value = { peer_id: "x@example.com", peer_source_cidr_list: "203.0.113.0/24", peer_id_type: "email", dpd_delay: 30, dpd_timeout: 120 }[field];
    expect(at(issuesOf(staticBag({ [field]: value })), field)[0]?.code).toBe("static-with-dynamic-key");
  });

  it.each([
    ["type", "site2site"], ["create", "true"], ["ike_lifetime", "86400"], ["dpd", 1], ["ipsec_psk", undefined], ["unknown_key", 1],
  ])("fails when %s is %j", (field, value) => {
    expect(pathsOf(issuesOf(staticBag({ [field]: value })))).toContain(field);
  });
});

describe("parseDataBag: dynamic bags (strict)", () => {
  it("accepts a well-formed dynamic bag", () => {
    expect(issuesOf(dynamicBag())).toEqual([]);
  });

  it("accepts a bag without peer_id_type (detected)", () => {
    expect(issuesOf(dynamicBag({ peer_id_type: undefined, peer_id: "C=FR, O=Example, CN=branch" }))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["with a peer_gateway_ip", { peer_gateway_ip: "203.0.113.20" }, "peer_gateway_ip", /must be absent/],
    ["without peer_id", { peer_id: undefined }, "peer_id", /required for a dynamic peer/],
    ["with an unsafe peer_id", { peer_id: 'x"@example.com' }, "peer_id", /double quote/],
    ["with a peer_id of the wrong type", { peer_id: "branch.example.com", peer_id_type: "ipv4" }, "peer_id", /\(ipv4\).*dotted-quad/],
    ["with an unknown peer_id_type", { peer_id_type: "keyid" }, "peer_id_type", /must be one of/],
    ["without peer_source_cidr_list", { peer_source_cidr_list: undefined }, "peer_source_cidr_list", /required for a dynamic peer/],
    ["with an unaligned source CIDR", { peer_source_cidr_list: "203.0.113.5/24" }, "peer_source_cidr_list", /host bits/],
    ["with unaligned peer CIDRs", { peer_guest_cidr_list: "192.168.10.5/24" }, "peer_guest_cidr_list", /host bits/],
    ["with ike_version ikev1", { ike_version: "ikev1" }, "ike_version", /must be ikev2/],
    ["with an IKE policy without a group", { ike_policy: "aes256-sha256" }, "ike_policy", /DH group/],
    ["with an ESP policy without PFS", { esp_policy: "aes256-sha256" }, "esp_policy", /PFS group/],
    ["with a malformed policy", { ike_policy: "aes256-sha256;modp2048," }, "ike_policy", /stray comma/],
    ["with a lifetime of 0", { ike_lifetime: 0 }, "ike_lifetime", /60…86400/],
    ["with a lifetime over a day", { esp_lifetime: 86401 }, "esp_lifetime", /60…86400/],
    ["with a short PSK", { ipsec_psk: "x".repeat(19) }, "ipsec_psk", /at least 20/],
    ["with dpd_delay 0", { dpd_delay: 0 }, "dpd_delay", /≥ 1/],
  ])("fails %s", (_label, overrides, path, reason) => {
    expect(at(issuesOf(dynamicBag(overrides)), path)[0]?.message).toMatch(reason);
  });

  it("reports every problem at once, prefixed with the bag's index", () => {
    const issues = parseDataBag(dynamicBag({ peer_id: "a b", ike_version: "ike", ike_lifetime: 0, peer_source_cidr_list: "0.0.0.1/0", extra: true }), [1]).issues;
    expect(new Set(pathsOf(issues))).toEqual(new Set(["[1].peer_id", "[1].ike_version", "[1].ike_lifetime", "[1].peer_source_cidr_list", "[1].extra"]));
    for (const issue of issues) expect(issue.message.startsWith(`\`${issue.path}\``)).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ["a PSK with a quote", dynamicBag({ ipsec_psk: `${SECRET_PSK}"` })],
    ["a PSK with a newline", dynamicBag({ ipsec_psk: `${SECRET_PSK}\n` })],
    ["a PSK of the wrong type", dynamicBag({ ipsec_psk: [SECRET_PSK] })],
    ["a valid PSK beside other errors", dynamicBag({ peer_id: "", peer_gateway_ip: "x", ike_version: "ikev1" })],
    ["a static bag with a bad peer", staticBag({ peer_gateway_ip: "a;b" })],
  ])("never echoes the PSK: %s", (_label, bag) => {
    const issues = issuesOf(bag);
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(issue.message).not.toContain(SECRET_PSK);
  });

  it.each([null, "bag", [], 7])("reports, never throws, when the bag is %j", (bag) => {
    expect(() => dataBagSchema.safeParse(bag)).not.toThrow();
    expect(issuesOf(bag)).toHaveLength(1);
  });
});
