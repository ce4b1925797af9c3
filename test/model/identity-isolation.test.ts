/**
 * Issue 10: no identity that strongSwan reads as "anyone", no degenerate peer address, no ID that collides with a
 * key CloudStack writes, no `-`-leading command word, no line separator in a PSK. Each case names its field.
 */
import { describe, expect, it } from "vitest";
import { parseDataBag } from "../../provider/model/databag-schema";
import { checkGatewayPlacement } from "../../provider/model/placement";
import { parseSite } from "../../provider/model/site";
import { dynamicResponderId, isResponderIdNamespace } from "../../provider/model/responder-id";
import { at, customerGatewayInput, customerGatewayIssues, dynamicPeer, SECRET_PSK, siteInput, staticPeer } from "./builders";

const REMOTE_ID = "peer.remoteId";

describe("wildcard and degenerate IKE identities (remoteId)", () => {
  it.each([
    ["0.0.0.0", /wildcard: strongSwan reads it as "any identity"/],
    ["::", /wildcard/],
    ["0::0", /wildcard/],
    ["0:0:0:0:0:0:0:0", /unspecified address/],
    ["::0", /unspecified address/],
    ["0::", /unspecified address/],
    ["::ffff:0.0.0.0", /unspecified address/],
    ["%any", /wildcard/],
    ["%any6", /wildcard/],
    ["%ANY4", /wildcard/],
    ["*", /wildcard/],
    ["", /empty/],
    ["   ", /blank/],
    ["*.example.com", /contains \*/],
    ["*@example.com", /contains \*/],
    ["C=FR, O=Example, CN=*", /contains \*/],
    ["fqdn:branch.example.com", /type prefix \(fqdn:\)/],
    ["keyid:branch", /type prefix/],
    ["vpn-198-51-100-10.s2s.invalid", /reserved for the VPC side's own identity/],
    ["@s2s.invalid", /reserved/],
    ["branch@s2s.invalid", /reserved/],
  ])("fails when remoteId is %j, naming the field and the fix", (remoteId, reason) => {
    const issues = at(customerGatewayIssues(customerGatewayInput({ peer: dynamicPeer({ remoteId }) })), REMOTE_ID);
    expect(issues.map((i) => i.message).join("\n")).toMatch(reason);
    expect(issues[0]!.message).toMatch(/^`peer\.remoteId` /);
  });

  it.each(["ipv4", "ipv6", "fqdn", "email", "dn"])("refuses 0.0.0.0 whatever remoteIdType says (%s)", (remoteIdType) => {
    expect(at(customerGatewayIssues(customerGatewayInput({ peer: dynamicPeer({ remoteId: "0.0.0.0", remoteIdType }) })), REMOTE_ID)).not.toEqual([]);
  });

  it.each(["branch@example.com", "@branch.example.com", "C=FR, O=Example, CN=branch", "203.0.113.20", "2001:db8::20", "::ffff:203.0.113.20"])("accepts the ordinary identity %j", (remoteId) => {
    expect(customerGatewayIssues(customerGatewayInput({ peer: dynamicPeer({ remoteId }) }))).toEqual([]);
  });

  it("refuses the same identities in a data bag's peer_id", () => {
    const bag = { type: "site2sitevpn", create: true, local_public_ip: "198.51.100.10", local_guest_cidr: "10.1.0.0/16", peer_guest_cidr_list: "192.168.10.0/24", esp_policy: "aes256-sha256;modp2048", ike_policy: "aes256-sha256;modp2048", ipsec_psk: SECRET_PSK, ike_lifetime: 86400, esp_lifetime: 3600, dpd: true, passive: false, dynamic_peer: true, peer_source_cidr_list: "203.0.113.0/24" };
    for (const peer_id of ["0.0.0.0", "::", "%any", "*", "CN=*"]) {
      expect(parseDataBag({ ...bag, peer_id }).issues.map((i) => i.path)).toContain("peer_id");
    }
    expect(parseDataBag({ ...bag, peer_id: "branch@example.com" }).issues).toEqual([]);
  });
});

describe("the VPC side's identity", () => {
  it("is an FQDN under .invalid derived from the public address, and in the reserved namespace", () => {
    expect(dynamicResponderId("198.51.100.10")).toBe("vpn-198-51-100-10.s2s.invalid");
    expect(isResponderIdNamespace(`@${dynamicResponderId("198.51.100.10")}`)).toBe(true);
    expect(isResponderIdNamespace("branch.example.com")).toBe(false);
  });

  it("fails when a dynamic peer's ID is the VPN gateway's own address (CloudStack keys its own secrets by it)", () => {
    const issues = parseSite(siteInput({ customerGateway: { peer: dynamicPeer({ remoteId: "198.51.100.10" }) } })).issues;
    expect(at(issues, "customerGateway.peer.remoteId")[0]?.message).toMatch(/VPN gateway's own public address; .*Give the branch its own ID/);
  });

  it("fails when a dynamic peer's address ID is a static peer's address on the same gateway", () => {
    const a = parseSite(siteInput({ name: "dyn", customerGateway: { peer: dynamicPeer({ remoteId: "203.0.113.20" }) } })).site!;
    const b = parseSite(siteInput({ name: "stat", customerGateway: { peer: staticPeer("203.0.113.20"), cidrList: ["192.168.20.0/24"], ipsecPsk: { env: "X" } } })).site!;
    const issues = checkGatewayPlacement([{ source: "stat.yaml", site: b }, { source: "dyn.yaml", site: a }]);
    expect(issues.map((i) => i.message).join("\n")).toMatch(/dyn\.yaml: customerGateway\.peer\.remoteId` "203\.0\.113\.20" is the address of the static peer in stat\.yaml/);
  });
});

describe("static peer gateways that are no single remote host", () => {
  it.each([
    ["0.0.0.0", /unspecified address: strongSwan reads it as %any/],
    ["0.1.2.3", /unspecified/],
    ["::", /unspecified/],
    ["127.0.0.1", /loopback/],
    ["::1", /loopback/],
    ["::ffff:127.0.0.1", /loopback/],
    ["224.0.0.5", /multicast/],
    ["ff02::1", /multicast/],
    ["255.255.255.255", /broadcast/],
  ])("fails when gateway is %j", (gateway, reason) => {
    const issues = at(customerGatewayIssues(customerGatewayInput({ peer: staticPeer(gateway) })), "peer.gateway");
    expect(issues[0]?.message).toMatch(reason);
    expect(issues[0]?.message).toMatch(/write the branch router's public address/);
  });

  it("fails when a data bag's peer_gateway_ip is unspecified or starts with -", () => {
    const bag = { type: "site2sitevpn", create: true, local_public_ip: "198.51.100.10", local_guest_cidr: "10.1.0.0/16", peer_guest_cidr_list: "192.168.10.0/24", esp_policy: "aes128-sha1", ike_policy: "aes128-sha1;modp1536", ipsec_psk: "k", ike_lifetime: 86400, esp_lifetime: 3600, dpd: false, passive: false };
    expect(parseDataBag({ ...bag, peer_gateway_ip: "0.0.0.0" }).issues[0]?.message).toMatch(/peer_gateway_ip.*unspecified/);
    expect(parseDataBag({ ...bag, peer_gateway_ip: "-j" }).issues[0]?.message).toMatch(/peer_gateway_ip.*starts with -, which a command would read as an option/);
    expect(parseDataBag({ ...bag, local_public_gateway: "--flush" }).issues[0]?.message).toMatch(/local_public_gateway.*starts with -/);
    expect(parseDataBag({ ...bag, peer_gateway_ip: "203.0.113.20" }).issues).toEqual([]);
  });
});

describe("PSK line separators", () => {
  it.each(["\u0085", "\u2028", "\u2029"])("fails when the PSK holds U+%s, without quoting the key", (sep) => {
    const psk = `${SECRET_PSK}${sep}tail`;
    const issues = at(customerGatewayIssues(customerGatewayInput({ ipsecPsk: psk })), "ipsecPsk");
    expect(issues[0]?.message).toMatch(/Unicode line separator/);
    expect(issues[0]?.message).not.toContain(SECRET_PSK);
  });
});
