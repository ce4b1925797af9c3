import { describe, expect, it } from "vitest";
import { buildSite2SiteVpnDataBag } from "../../provider/model/databag";

const vpnGateway = { publicIp: "198.51.100.10", vpcCidr: "10.1.0.0/16", publicGateway: "198.51.100.1" };
const base = {
  cidrList: "192.168.10.0/24, 192.168.11.0/24",
  ipsecPsk: "not-a-real-key-0123456789",
  ikePolicy: "aes256-sha256;modp2048",
  espPolicy: "aes256-sha256;modp2048",
  ikeLifetime: 86400,
  espLifetime: 3600,
  dpd: true,
  forceEncap: false,
  splitConnections: false,
  ikeVersion: "ike",
};

describe("buildSite2SiteVpnDataBag", () => {
  it("maps a static customer gateway onto CloudStack's keys, with spaces stripped from the CIDR list", () => {
    const bag = buildSite2SiteVpnDataBag(vpnGateway, { ...base, gateway: "203.0.113.20" }, { create: true, passive: false });
    expect(bag).toMatchObject({
      type: "site2sitevpn",
      create: true,
      local_public_ip: "198.51.100.10",
      local_guest_cidr: "10.1.0.0/16",
      local_public_gateway: "198.51.100.1",
      peer_gateway_ip: "203.0.113.20",
      peer_guest_cidr_list: "192.168.10.0/24,192.168.11.0/24",
      encap: false,
      split_connections: false,
      ike_version: "ike",
    });
    expect(bag.dynamic_peer).toBeUndefined();
  });

  it("maps a dynamic peer onto the extension keys and sends no peer_gateway_ip", () => {
    const bag = buildSite2SiteVpnDataBag(
      vpnGateway,
      { ...base, ikeVersion: "ikev2", dynamicPeer: true, remoteId: "branch@example.com", sourceCidrList: "203.0.113.0/24" },
      { create: false, passive: true },
    );
    expect(bag).toMatchObject({ dynamic_peer: true, peer_id: "branch@example.com", peer_source_cidr_list: "203.0.113.0/24", create: false });
    expect("peer_gateway_ip" in bag).toBe(false);
  });
});

describe("buildSite2SiteVpnDataBag details", () => {
  it("omits local_public_gateway when the VPN gateway has none", () => {
    const bag = buildSite2SiteVpnDataBag({ publicIp: "198.51.100.10", vpcCidr: "10.1.0.0/16" }, { ...base, gateway: "203.0.113.20" }, { create: true, passive: false });
    expect(bag).not.toHaveProperty("local_public_gateway");
  });

  it("passes the PSK, policies, lifetimes and passive flag through unchanged", () => {
    const bag = buildSite2SiteVpnDataBag(vpnGateway, { ...base, gateway: "203.0.113.20" }, { create: true, passive: true });
    expect(bag).toMatchObject({ ipsec_psk: base.ipsecPsk, ike_policy: base.ikePolicy, esp_policy: base.espPolicy, ike_lifetime: 86400, esp_lifetime: 3600, dpd: true, passive: true });
  });

  it("maps the dynamic peer's ID type, DPD timers and source list (spaces stripped)", () => {
    const bag = buildSite2SiteVpnDataBag(
      vpnGateway,
      { ...base, ikeVersion: "ikev2", dynamicPeer: true, remoteId: "branch.example.com", remoteIdType: "fqdn", sourceCidrList: "203.0.113.0/25, 192.0.2.0/24", dpdDelaySeconds: 10, dpdTimeoutSeconds: 30 },
      { create: true, passive: false },
    );
    expect(bag).toMatchObject({ peer_id_type: "fqdn", peer_source_cidr_list: "203.0.113.0/25,192.0.2.0/24", dpd_delay: 10, dpd_timeout: 30 });
  });
});
