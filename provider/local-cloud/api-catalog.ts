/**
 * Every command the local cloud answers, with its parameters as CloudStack's `@Parameter` annotations declare them
 * (name, type, required, length, since, Java field name for length errors). It drives parameter processing and
 * `listApis`, so what is advertised is exactly what is enforced.
 */
import type { EntityTable } from "./state";
import type { ApiVariant } from "./types";

export type ParamType = "string" | "uuid" | "long" | "integer" | "boolean";

export interface ParamDef {
  name: string;
  type: ParamType;
  description: string;
  required?: boolean;
  since?: string;
  /** Java field name: the length error names it. @default - same as name */
  field?: string;
  /** @default 255 */
  length?: number;
  /** Table a UUID parameter resolves against. */
  entity?: EntityTable | "projects";
  notNullOrEmpty?: boolean;
  /** `authorized = {RoleType.Admin}`: ignored for other callers. */
  adminOnly?: boolean;
}

export interface CommandDef {
  name: string;
  description: string;
  isAsync: boolean;
  since?: string;
  javaClass: string;
  params: ParamDef[];
  /** Keys of the response object, for listApis. */
  responseKeys: string[];
}

import { ROUTER_COMMANDS } from "./router-catalog";

const VPN = "org.apache.cloudstack.api.command.user.vpn.";
const VPC = "org.apache.cloudstack.api.command.user.vpc.";

const LIST_PARAMS: ParamDef[] = [
  { name: "account", type: "string", description: "list resources by account. Must be used with the domainId parameter." },
  { name: "domainid", type: "uuid", entity: "domains", description: "list only resources belonging to the domain specified" },
  { name: "isrecursive", type: "boolean", description: "defaults to false, but if true, lists all resources from the parent specified by the domainId till leaves." },
  { name: "keyword", type: "string", description: "List by keyword" },
  { name: "listall", type: "boolean", description: "If set to false, list only resources belonging to the command's caller; if set to true - list resources that the caller is authorized to see. Default value is false" },
  { name: "page", type: "integer", description: "" },
  { name: "pagesize", type: "integer", description: "" },
  { name: "projectid", type: "uuid", entity: "projects", description: "list objects by project" },
];

const CUSTOMER_GATEWAY_KEYS = [
  "id", "name", "gateway", "cidrlist", "ipsecpsk", "ikepolicy", "esppolicy", "ikelifetime", "esplifetime", "dpd",
  "forceencap", "splitconnections", "ikeversion", "account", "domainid", "domain", "domainpath", "removed",
  "hasannotations", "obsoleteparameters", "excludedparameters",
];
const DYNAMIC_PEER_KEYS = ["remoteid", "dynamicpeer", "sourcecidrlist"];
const VPN_GATEWAY_KEYS = ["id", "publicip", "vpcid", "vpcname", "account", "domainid", "domain", "domainpath", "removed", "fordisplay"];
const CONNECTION_KEYS = [
  "id", "s2svpngatewayid", "publicip", "s2scustomergatewayid", "gateway", "cidrlist", "ipsecpsk", "ikepolicy",
  "esppolicy", "ikelifetime", "esplifetime", "dpd", "forceencap", "ikeversion", "splitconnections", "state", "passive",
  "account", "domainid", "domain", "domainpath", "created", "removed", "fordisplay",
];

function customerGatewayParams(variant: ApiVariant, forUpdate: boolean): ParamDef[] {
  const dynamic = variant === "dynamic-peer";
  const params: ParamDef[] = [
    ...(forUpdate ? [{ name: "id", type: "uuid", entity: "customerGateways", required: true, description: "id of customer gateway" } as ParamDef] : []),
    { name: "name", type: "string", description: "name of this customer gateway" },
    { name: "gateway", type: "string", field: "gatewayIp", required: !dynamic, description: dynamic ? "public ip address or domain name of the customer gateway; must be empty when dynamicpeer is true" : "public ip address id of the customer gateway" },
    { name: "cidrlist", type: "string", field: "peerCidrList", required: true, description: "guest cidr list of the customer gateway. Multiple entries must be separated by a single comma character (,)." },
    { name: "ipsecpsk", type: "string", field: "ipsecPsk", required: true, description: "IPsec Preshared-Key of the customer gateway. Cannot contain newline or double quotes." },
    { name: "ikepolicy", type: "string", field: "ikePolicy", required: true, description: "IKE policy of the customer gateway" },
    { name: "esppolicy", type: "string", field: "espPolicy", required: true, description: "ESP policy of the customer gateway" },
    { name: "ikelifetime", type: "long", field: "ikeLifetime", description: "Lifetime of phase 1 VPN connection to the customer gateway, in seconds" },
    { name: "esplifetime", type: "long", field: "espLifetime", description: "Lifetime of phase 2 VPN connection to the customer gateway, in seconds" },
    { name: "dpd", type: "boolean", description: "If DPD is enabled for VPN connection" },
    { name: "forceencap", type: "boolean", field: "encap", description: "Force Encapsulation for NAT traversal" },
    { name: "account", type: "string", field: "accountName", description: "the account associated with the gateway. Must be used with the domainId parameter." },
    { name: "domainid", type: "uuid", entity: "domains", field: "domainId", description: "the domain ID associated with the gateway. If used with the account parameter returns the gateway associated with the account for the specified domain." },
    ...(forUpdate ? [] : [{ name: "projectid", type: "uuid", entity: "projects", since: "4.6", field: "projectId", description: "create site-to-site VPN customer gateway for the project" } as ParamDef]),
    { name: "splitconnections", type: "boolean", since: "4.15.1", field: "splitConnections", description: "For IKEv2, whether to split multiple right subnets into separate connection statements" },
    { name: "ikeversion", type: "string", since: "4.15.1", field: "ikeVersion", notNullOrEmpty: true, description: "Which IKE Version to use, one of ike (autoselect), ikev1, or ikev2. Connections marked with 'ike' will use 'ikev2' when initiating, but accept any protocol version when responding. Defaults to ike" },
  ];
  if (dynamic) {
    params.push(
      { name: "dynamicpeer", type: "boolean", field: "dynamicPeer", description: "whether the peer has a dynamic public IP and is authenticated by its IKE identity (remoteid) instead of its address. Defaults to false" },
      { name: "remoteid", type: "string", field: "remoteId", description: "the IKE identity of the peer (IPv4/IPv6 address, FQDN, email or distinguished name); required when dynamicpeer is true" },
      { name: "sourcecidrlist", type: "string", field: "sourceCidrList", description: "source CIDRs a dynamic peer may connect from (IKE and ESP). Multiple entries must be separated by a single comma character (,)." },
    );
  }
  return params;
}

const idParam = (entity: EntityTable, description: string): ParamDef => ({ name: "id", type: "uuid", entity, required: true, description });

export function buildCatalog(variant: ApiVariant): Map<string, CommandDef> {
  const cgwKeys = variant === "dynamic-peer" ? [...CUSTOMER_GATEWAY_KEYS, ...DYNAMIC_PEER_KEYS] : CUSTOMER_GATEWAY_KEYS;
  const defs: CommandDef[] = [
    { name: "createVpnCustomerGateway", description: "Creates site to site vpn customer gateway", isAsync: true, javaClass: `${VPN}CreateVpnCustomerGatewayCmd`, params: customerGatewayParams(variant, false), responseKeys: cgwKeys },
    { name: "updateVpnCustomerGateway", description: "Update site to site vpn customer gateway", isAsync: true, javaClass: `${VPN}UpdateVpnCustomerGatewayCmd`, params: customerGatewayParams(variant, true), responseKeys: cgwKeys },
    { name: "deleteVpnCustomerGateway", description: "Delete site to site vpn customer gateway", isAsync: true, javaClass: `${VPN}DeleteVpnCustomerGatewayCmd`, params: [idParam("customerGateways", "id of customer gateway")], responseKeys: ["success", "displaytext"] },
    { name: "listVpnCustomerGateways", description: "Lists site to site vpn customer gateways", isAsync: false, javaClass: `${VPN}ListVpnCustomerGatewaysCmd`, params: [{ ...idParam("customerGateways", "id of the customer gateway"), required: false }, ...LIST_PARAMS], responseKeys: cgwKeys },
    { name: "createVpnGateway", description: "Creates site to site vpn local gateway", isAsync: true, javaClass: `${VPN}CreateVpnGatewayCmd`, params: [
      { name: "vpcid", type: "uuid", entity: "vpcs", required: true, field: "vpcId", description: "public ip address id of the vpn gateway" },
      { name: "ipaddressid", type: "uuid", entity: "publicIps", since: "4.21.0", field: "ipAddressId", description: "the public IP address ID for which VPN gateway is being enabled. By default the source NAT IP or router IP will be used." },
      { name: "fordisplay", type: "boolean", since: "4.4", adminOnly: true, field: "display", description: "an optional field, whether to the display the vpn to the end user or not" },
    ], responseKeys: VPN_GATEWAY_KEYS },
    { name: "deleteVpnGateway", description: "Delete site to site vpn gateway", isAsync: true, javaClass: `${VPN}DeleteVpnGatewayCmd`, params: [idParam("vpnGateways", "id of customer gateway")], responseKeys: ["success", "displaytext"] },
    { name: "updateVpnGateway", description: "Updates site to site vpn local gateway", isAsync: true, since: "4.4", javaClass: `${VPN}UpdateVpnGatewayCmd`, params: [
      idParam("vpnGateways", "id of customer gateway"),
      { name: "customid", type: "string", since: "4.4", field: "customId", description: "an optional field, in case you want to set a custom id to the resource. Allowed to Root Admins only" },
      { name: "fordisplay", type: "boolean", since: "4.4", adminOnly: true, field: "display", description: "an optional field, whether to the display the vpn to the end user or not" },
    ], responseKeys: VPN_GATEWAY_KEYS },
    { name: "listVpnGateways", description: "Lists site 2 site vpn gateways", isAsync: false, javaClass: `${VPN}ListVpnGatewaysCmd`, params: [
      { ...idParam("vpnGateways", "id of the vpn gateway"), required: false },
      { name: "vpcid", type: "uuid", entity: "vpcs", field: "vpcId", description: "id of vpc" },
      { name: "fordisplay", type: "boolean", since: "4.4", adminOnly: true, field: "display", description: "list resources by display flag; only ROOT admin is eligible to pass this parameter" },
      ...LIST_PARAMS,
    ], responseKeys: VPN_GATEWAY_KEYS },
    { name: "createVpnConnection", description: "Create site to site vpn connection", isAsync: true, javaClass: `${VPN}CreateVpnConnectionCmd`, params: [
      { name: "s2svpngatewayid", type: "uuid", entity: "vpnGateways", required: true, field: "vpnGatewayId", description: "id of the vpn gateway" },
      { name: "s2scustomergatewayid", type: "uuid", entity: "customerGateways", required: true, field: "customerGatewayId", description: "id of the customer gateway" },
      { name: "passive", type: "boolean", description: "connection is passive or not" },
      { name: "fordisplay", type: "boolean", since: "4.4", adminOnly: true, field: "display", description: "an optional field, whether to the display the vpn to the end user or not" },
    ], responseKeys: CONNECTION_KEYS },
    { name: "deleteVpnConnection", description: "Delete site to site vpn connection", isAsync: true, javaClass: `${VPN}DeleteVpnConnectionCmd`, params: [idParam("connections", "id of vpn connection")], responseKeys: ["success", "displaytext"] },
    { name: "resetVpnConnection", description: "Reset site to site vpn connection", isAsync: true, javaClass: `${VPN}ResetVpnConnectionCmd`, params: [
      idParam("connections", "id of vpn connection"),
      { name: "account", type: "string", field: "accountName", description: "an optional account for connection. Must be used with domainId." },
      { name: "domainid", type: "uuid", entity: "domains", field: "domainId", description: "an optional domainId for connection. If the account parameter is used, domainId must also be used." },
    ], responseKeys: CONNECTION_KEYS },
    { name: "updateVpnConnection", description: "Updates site to site vpn connection", isAsync: true, since: "4.4", javaClass: `${VPN}UpdateVpnConnectionCmd`, params: [
      idParam("connections", "id of vpn connection"),
      { name: "customid", type: "string", since: "4.4", field: "customId", description: "an optional field, in case you want to set a custom id to the resource. Allowed to Root Admins only" },
      { name: "fordisplay", type: "boolean", since: "4.4", adminOnly: true, field: "display", description: "an optional field, whether to the display the vpn to the end user or not" },
    ], responseKeys: CONNECTION_KEYS },
    { name: "listVpnConnections", description: "Lists site to site vpn connection gateways", isAsync: false, javaClass: `${VPN}ListVpnConnectionsCmd`, params: [
      { ...idParam("connections", "id of the vpn connection"), required: false },
      { name: "vpcid", type: "uuid", entity: "vpcs", field: "vpcId", description: "id of vpc" },
      { name: "fordisplay", type: "boolean", since: "4.4", adminOnly: true, field: "display", description: "list resources by display flag; only ROOT admin is eligible to pass this parameter" },
      ...LIST_PARAMS,
    ], responseKeys: CONNECTION_KEYS },
    { name: "queryAsyncJobResult", description: "Retrieves the current status of asynchronous job.", isAsync: false, javaClass: "org.apache.cloudstack.api.command.user.job.QueryAsyncJobResultCmd", params: [
      { name: "jobid", type: "uuid", entity: "jobs", required: true, field: "id", description: "the ID of the asynchronous job" },
    ], responseKeys: ["jobid", "jobstatus", "jobprocstatus", "jobresultcode", "jobresulttype", "jobresult", "cmd", "created", "completed"] },
    { name: "listApis", description: "lists all available apis on the server, provided by the Api Discovery plugin", isAsync: false, since: "4.1.0", javaClass: "org.apache.cloudstack.discovery.ListApisCmd", params: [
      { name: "name", type: "string", description: "API name" },
    ], responseKeys: ["name", "description", "isasync", "since", "params", "response"] },
    { name: "listCapabilities", description: "Lists capabilities", isAsync: false, javaClass: "org.apache.cloudstack.api.command.user.config.ListCapabilitiesCmd", params: [], responseKeys: ["cloudstackversion", "apilimitinterval", "apilimitmax"] },
    { name: "createVPC", description: "Creates a VPC", isAsync: true, javaClass: `${VPC}CreateVPCCmd`, params: [
      { name: "name", type: "string", required: true, field: "vpcName", description: "the name of the VPC" },
      { name: "displaytext", type: "string", description: "The display text of the VPC, defaults to its 'name'." },
      { name: "cidr", type: "string", required: true, description: "the cidr of the VPC. All VPC guest networks' cidrs should be within this CIDR" },
      { name: "vpcofferingid", type: "uuid", entity: "vpcOfferings", required: true, field: "vpcOffering", description: "the ID of the VPC offering" },
      { name: "zoneid", type: "uuid", entity: "zones", required: true, description: "the ID of the availability zone" },
      { name: "account", type: "string", field: "accountName", description: "the account associated with the VPC. Must be used with the domainId parameter." },
      { name: "domainid", type: "uuid", entity: "domains", description: "the domain ID associated with the VPC. If used with the account parameter returns the VPC associated with the account for the specified domain." },
      { name: "start", type: "boolean", since: "4.3", description: "If set to false, the VPC won't start (VPC VR will not get allocated) until its first network gets implemented. True by default." },
    ], responseKeys: ["id", "name", "displaytext", "cidr", "zoneid", "zonename", "vpcofferingid", "vpcofferingname", "state", "account", "domainid", "domain", "created"] },
    { name: "listVPCs", description: "Lists VPCs", isAsync: false, javaClass: `${VPC}ListVPCsCmd`, params: [
      { name: "id", type: "uuid", entity: "vpcs", description: "list VPC by id" },
      { name: "name", type: "string", field: "vpcName", description: "list by name of the VPC" },
      { name: "zoneid", type: "uuid", entity: "zones", description: "list by zone" },
      ...LIST_PARAMS,
    ], responseKeys: ["id", "name", "displaytext", "cidr", "zoneid", "state", "account", "domainid"] },
    { name: "deleteVPC", description: "Deletes a VPC", isAsync: true, javaClass: `${VPC}DeleteVPCCmd`, params: [idParam("vpcs", "the ID of the VPC")], responseKeys: ["success", "displaytext"] },
    { name: "listVPCOfferings", description: "Lists VPC offerings", isAsync: false, javaClass: `${VPC}ListVPCOfferingsCmd`, params: [
      { name: "id", type: "uuid", entity: "vpcOfferings", description: "list VPC offerings by id" },
      { name: "name", type: "string", field: "vpcOffName", description: "list VPC offerings by name" },
      { name: "keyword", type: "string", description: "List by keyword" },
    ], responseKeys: ["id", "name", "displaytext", "isdefault", "state", "service"] },
    { name: "listZones", description: "Lists zones", isAsync: false, javaClass: "org.apache.cloudstack.api.command.user.zone.ListZonesCmd", params: [
      { name: "id", type: "uuid", entity: "zones", description: "the ID of the zone" },
      { name: "name", type: "string", field: "name", description: "the name of the zone" },
      { name: "available", type: "boolean", description: "true if you want to retrieve all available Zones. False if you only want to return the Zones from which you have at least one VM. Default is false." },
      { name: "keyword", type: "string", description: "List by keyword" },
    ], responseKeys: ["id", "name", "networktype", "allocationstate"] },
    { name: "listPublicIpAddresses", description: "Lists all public IP addresses", isAsync: false, javaClass: "org.apache.cloudstack.api.command.user.address.ListPublicIpAddressesCmd", params: [
      { name: "id", type: "uuid", entity: "publicIps", description: "lists IP address by ID" },
      { name: "ipaddress", type: "string", field: "ipAddress", description: "lists the specified IP address" },
      { name: "issourcenat", type: "boolean", field: "isSourceNat", description: "list only source NAT IP addresses" },
      { name: "vpcid", type: "uuid", entity: "vpcs", description: "List IPs belonging to the VPC" },
      { name: "zoneid", type: "uuid", entity: "zones", description: "lists all public IP addresses by zone ID" },
      { name: "allocatedonly", type: "boolean", description: "limits search results to allocated public IP addresses" },
      ...LIST_PARAMS,
    ], responseKeys: ["id", "ipaddress", "issourcenat", "vpcid", "zoneid", "state", "account", "domainid"] },
    ...ROUTER_COMMANDS,
  ];
  return new Map(defs.map((def) => [def.name, def]));
}
