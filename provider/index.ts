/**
 * cloudstack-s2s: site-to-site IPsec VPNs for Apache CloudStack as code.
 *
 * The Pulumi resources are the top level (`import { VpnGateway, CustomerGateway, VpnConnection } from
 * "cloudstack-s2s"`); the layers they are built on are namespaces, for tools and tests.
 */
export { CustomerGateway, VpnConnection, VpnGateway, CONFIG_KEYS, RUNTIME_ENV_VAR } from "./resources";
export type { CustomerGatewayArgs, DynamicPeerArgs, GatewaySshArgs, PolicyArgs, ProposalArgs, SshEndpointArgs, StaticPeerArgs, VpnConnectionArgs, VpnGatewayArgs } from "./resources";
export { parseSite, resolveSitePsk, siteToDataBag, siteSchema, type SiteInput, type SiteSpec } from "./model/site";
export { customerGatewaySchema, type CustomerGatewayInput, type CustomerGatewaySpec } from "./model/customer-gateway";
export { vpnGatewaySchema } from "./model/vpn-gateway";
export { vpnConnectionSchema } from "./model/vpn-connection";
export { checkGatewayPlacement } from "./model/placement";
export { generatePsk } from "./model/psk";
export { ValidationError, type Issue } from "./model/issues";
export type { Site2SiteVpnDataBag } from "./model/databag";
export { renderVr } from "./render/vr";
export { renderSwanctl } from "./render/swanctl";
export { renderPeer } from "./render/peer";
export { renderDeviceConfig, tryRenderDeviceConfig, deviceConfigText, DEVICE_VENDOR_IDS, DEFAULT_DEVICE_VENDOR, type DeviceConfig, type DeviceConfigOptions, type DeviceFile } from "./render/device";
export type { FirewallRule, HostRender, RenderedFile, VrRender } from "./render/types";
export * as cloudstack from "./cloudstack";
export * as push from "./push";
export * as localCloud from "./local-cloud";
export { diagnose, type DiagnoseInput, type DiagnoseResult } from "./doctor/api";
