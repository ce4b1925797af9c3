import { describe, expect, it } from "vitest";
import { checkGatewayPlacement, gatewayKey, type PlacedSite } from "../../provider/model/placement";
import { parseSite } from "../../provider/model/site";
import { dynamicPeer, siteInput, staticPeer } from "./builders";

let counter = 0;
/** A valid site on VPC vpc-1 with its own name, ID and subnet unless overridden. */
function placed(overrides: Parameters<typeof siteInput>[0] = {}, source?: string): PlacedSite {
  counter += 1;
  const name = (overrides.name as string | undefined) ?? `site-${counter}`;
  const { site, issues } = parseSite(siteInput({
    name,
    ...overrides,
    customerGateway: { peer: dynamicPeer({ remoteId: `${name}@example.com` }), cidrList: [`192.168.${counter}.0/24`], ...overrides.customerGateway },
  }));
  if (!site) throw new Error(issues.map((i) => i.message).join("\n"));
  return { source: source ?? `${name}.yaml`, site };
}

describe("gatewayKey", () => {
  it("groups by VPC id, else public IP, else VPC CIDR", () => {
    expect(gatewayKey(placed().site)).toBe("vpc vpc-1");
    expect(gatewayKey(placed({ vpnGateway: { vpcId: undefined } }).site)).toBe("gateway 198.51.100.10");
    expect(gatewayKey(placed({ vpnGateway: { vpcId: undefined, publicIp: undefined } }).site)).toBe("VPC 10.1.0.0/16");
  });
});

describe("checkGatewayPlacement", () => {
  it("accepts four disjoint sites on one VPN gateway", () => {
    expect(checkGatewayPlacement([placed(), placed(), placed(), placed()])).toEqual([]);
  });

  it("fails when a fifth site joins one VPN gateway, at the fifth site", () => {
    const sites = [placed(), placed(), placed(), placed(), placed({}, "fifth.yaml")];
    const issues = checkGatewayPlacement(sites);
    expect(issues.map((i) => [i.path, i.code])).toEqual([["fifth.yaml: vpnGateway", "too-many-connections"]]);
    expect(issues[0]?.message).toMatch(/allows 4 connections per VPN gateway/);
  });

  it("accepts five sites spread over two VPN gateways", () => {
    const other = { vpnGateway: { vpcId: "vpc-2" } };
    expect(checkGatewayPlacement([placed(), placed(), placed(), placed(other), placed(other)])).toEqual([]);
  });

  it("fails when two sites share a name", () => {
    const issues = checkGatewayPlacement([placed({ name: "paris" }, "a.yaml"), placed({ name: "paris", vpnGateway: { vpcId: "vpc-2" } }, "b.yaml")]);
    expect(issues.map((i) => [i.path, i.code])).toEqual([["b.yaml: name", "duplicate-site"]]);
    expect(issues[0]?.message).toMatch(/also the name of the site in a\.yaml/);
  });

  it.each([
    ["the same subnet", "192.168.200.0/24", "192.168.200.0/24"],
    ["a containing subnet", "192.168.0.0/16", "192.168.200.0/24"],
  ])("fails when two connections on one gateway overlap (%s)", (_label, a, b) => {
    const issues = checkGatewayPlacement([placed({ customerGateway: { cidrList: [a] } }, "a.yaml"), placed({ customerGateway: { cidrList: ["172.16.0.0/24", b] } }, "b.yaml")]);
    expect(issues.map((i) => [i.path, i.code])).toEqual([["b.yaml: customerGateway.cidrList[1]", "overlapping-connections"]]);
    expect(issues[0]?.message).toMatch(/overlaps .* of a\.yaml on vpc vpc-1/);
  });

  it("accepts overlapping subnets on different VPN gateways", () => {
    const cidr = { cidrList: ["192.168.200.0/24"] };
    expect(checkGatewayPlacement([placed({ customerGateway: cidr }), placed({ customerGateway: cidr, vpnGateway: { vpcId: "vpc-2" } })])).toEqual([]);
  });

  it.each([
    ["the same ID", "branch@example.com", "branch@example.com"],
    ["the @-form and plain form of one FQDN", "@branch.example.com", "branch.example.com"],
    ["one DN written two ways", "C=FR,O=Example,CN=b", "c=FR, o=Example, cn=b"],
    ["e-mail IDs differing only in case", "Branch@Example.com", "branch@example.com"],
    ["FQDN IDs differing only in case", "VPN.Example.com", "vpn.example.com"],
    ["two spellings of one IPv6 ID", "2001:db8::1", "2001:0DB8:0:0::1"],
  ])("fails when two dynamic peers on one gateway present %s", (_label, a, b) => {
    const issues = checkGatewayPlacement([
      placed({ customerGateway: { peer: dynamicPeer({ remoteId: a }) } }, "a.yaml"),
      placed({ customerGateway: { peer: dynamicPeer({ remoteId: b }) } }, "b.yaml"),
    ]);
    expect(issues.map((i) => [i.path, i.code])).toEqual([["b.yaml: customerGateway.peer.remoteId", "duplicate-remote-id"]]);
  });

  it("accepts the same remote ID on different VPN gateways", () => {
    const peer = { peer: dynamicPeer({ remoteId: "branch@example.com" }) };
    expect(checkGatewayPlacement([placed({ customerGateway: peer }), placed({ customerGateway: peer, vpnGateway: { vpcId: "vpc-2" } })])).toEqual([]);
  });

  it.each([
    ["the same address", "203.0.113.20", "203.0.113.20"],
    ["host names differing only in case", "VPN.example.com", "vpn.example.com"],
    ["two spellings of one IPv6 address", "2001:db8::20", "2001:db8:0::20"],
  ])("fails when two static peers on one gateway have %s", (_label, a, b) => {
    const issues = checkGatewayPlacement([
      placed({ customerGateway: { peer: staticPeer(a) } }, "a.yaml"),
      placed({ customerGateway: { peer: staticPeer(b) } }, "b.yaml"),
    ]);
    expect(issues.map((i) => [i.path, i.code])).toEqual([["b.yaml: customerGateway.peer.gateway", "duplicate-gateway"]]);
    expect(issues[0]?.message).toMatch(/overwrite each other/);
  });

  it("reports every cross-site problem at once", () => {
    const a = placed({ name: "dup", customerGateway: { peer: dynamicPeer({ remoteId: "x@example.com" }), cidrList: ["192.168.250.0/24"] } }, "a.yaml");
    const b = placed({ name: "dup", customerGateway: { peer: dynamicPeer({ remoteId: "x@example.com" }), cidrList: ["192.168.250.0/24"] } }, "b.yaml");
    expect(checkGatewayPlacement([a, b]).map((i) => i.code).sort()).toEqual(["duplicate-remote-id", "duplicate-site", "overlapping-connections"]);
  });
});
