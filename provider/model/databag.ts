/**
 * The `site2sitevpn` data bag: what CloudStack's management server sends to a VPC virtual router for one
 * site-to-site connection (contract §4.1), plus the dynamic-peer extension keys of apache/cloudstack#13512.
 *
 * This module is the one place that maps a customer gateway + VPN gateway onto that bag. The local CloudStack
 * endpoint uses it when a connection starts or stops, the API client uses it to predict what a router will get,
 * and the VR renderer consumes it.
 */

/** Keys exactly as CloudStack's Gson (LOWER_CASE_WITH_UNDERSCORES) writes them. */
export interface Site2SiteVpnDataBag {
  type: "site2sitevpn";
  /** true = add or update the connection, false = remove it. */
  create: boolean;
  local_public_ip: string;
  /** The VPC CIDR (not a tier CIDR). */
  local_guest_cidr: string;
  /** VLAN gateway of the public IP; unused by the router. */
  local_public_gateway?: string;
  /** Absent for dynamic peers. */
  peer_gateway_ip?: string;
  /** Comma-separated, no spaces. */
  peer_guest_cidr_list: string;
  esp_policy: string;
  ike_policy: string;
  ipsec_psk: string;
  ike_lifetime: number;
  esp_lifetime: number;
  dpd: boolean;
  /** Sent by CloudStack, ignored by the router. */
  passive: boolean;
  encap?: boolean;
  split_connections?: boolean;
  ike_version?: string;
  // --- dynamic-peer extension (apache/cloudstack#13512) ---
  dynamic_peer?: boolean;
  /** The peer's IKE identity; the PSK is indexed by it. */
  peer_id?: string;
  /** ipv4 | ipv6 | fqdn | email | dn; detected from peer_id when absent. */
  peer_id_type?: string;
  /** Comma-separated source CIDRs allowed to reach UDP 500/4500 and ESP. */
  peer_source_cidr_list?: string;
  /** Seconds; dynamic peers only (static peers get CloudStack's fixed 30/120). */
  dpd_delay?: number;
  dpd_timeout?: number;
}

/** A customer gateway as CloudStack stores it (API field semantics, camelCased). */
export interface StoredCustomerGateway {
  gateway?: string;
  /** Comma-separated, as stored by CloudStack. */
  cidrList: string;
  ipsecPsk: string;
  ikePolicy: string;
  espPolicy: string;
  ikeLifetime: number;
  espLifetime: number;
  dpd: boolean;
  forceEncap: boolean;
  splitConnections: boolean;
  ikeVersion: string;
  dynamicPeer?: boolean;
  remoteId?: string;
  remoteIdType?: string;
  /** Comma-separated allowed source CIDRs (dynamic peers). */
  sourceCidrList?: string;
  dpdDelaySeconds?: number;
  dpdTimeoutSeconds?: number;
}

/** The router side of a VPN gateway: its public IP and the VPC it serves. */
export interface StoredVpnGateway {
  publicIp: string;
  vpcCidr: string;
  publicGateway?: string;
}

/**
 * Builds the data bag the management server sends for a connection start (`create: true`) or stop
 * (`create: false`), as `CommandSetupHelper.createSite2SiteVpnCfgCommands` does.
 */
export function buildSite2SiteVpnDataBag(
  vpnGateway: StoredVpnGateway,
  customerGateway: StoredCustomerGateway,
  options: { create: boolean; passive: boolean },
): Site2SiteVpnDataBag {
  const bag: Site2SiteVpnDataBag = {
    type: "site2sitevpn",
    create: options.create,
    local_public_ip: vpnGateway.publicIp,
    local_guest_cidr: vpnGateway.vpcCidr,
    ...(vpnGateway.publicGateway !== undefined ? { local_public_gateway: vpnGateway.publicGateway } : {}),
    ...(customerGateway.dynamicPeer ? {} : { peer_gateway_ip: customerGateway.gateway ?? "" }),
    peer_guest_cidr_list: customerGateway.cidrList.replace(/\s+/g, ""),
    esp_policy: customerGateway.espPolicy,
    ike_policy: customerGateway.ikePolicy,
    ipsec_psk: customerGateway.ipsecPsk,
    ike_lifetime: customerGateway.ikeLifetime,
    esp_lifetime: customerGateway.espLifetime,
    dpd: customerGateway.dpd,
    passive: options.passive,
    encap: customerGateway.forceEncap,
    split_connections: customerGateway.splitConnections,
    ike_version: customerGateway.ikeVersion,
  };
  if (customerGateway.dynamicPeer) {
    bag.dynamic_peer = true;
    bag.peer_id = customerGateway.remoteId ?? "";
    if (customerGateway.remoteIdType !== undefined) bag.peer_id_type = customerGateway.remoteIdType;
    bag.peer_source_cidr_list = (customerGateway.sourceCidrList ?? "").replace(/\s+/g, "");
    if (customerGateway.dpdDelaySeconds !== undefined) bag.dpd_delay = customerGateway.dpdDelaySeconds;
    if (customerGateway.dpdTimeoutSeconds !== undefined) bag.dpd_timeout = customerGateway.dpdTimeoutSeconds;
  }
  return bag;
}
