/**
 * cloudstack-s2s: site-to-site IPsec VPNs for Apache CloudStack as code.
 *
 * The main entry is the Pulumi resources plus the model (`import { VpnGateway, CustomerGateway, VpnConnection }
 * from "cloudstack-s2s"`). The other layers are subpath exports, loaded only by who asks for them:
 * `cloudstack-s2s/render`, `/cloudstack`, `/push`, `/local-cloud`, `/cdktf` (package.json `exports`). In particular
 * the main entry never loads the local cloud (HTTP server, namespaces, sshd) nor the SSH client.
 */
export { CustomerGateway, VpnConnection, VpnGateway, CONFIG_KEYS, CONFIG_NAMESPACE, RUNTIME_ENV_VAR, fetchTunnelStatus, getTunnelStatus, lookupCustomerGateway, lookupVpnGateway } from "./resources";
export type { CloudStackSettingsArgs, CustomerGatewayArgs, CustomerGatewayInfo, DynamicPeerArgs, GatewaySshArgs, GetTunnelStatusArgs, LookupOptions, PolicyArgs, ProposalArgs, SecondRouterArgs, SshEndpointArgs, StaticPeerArgs, TunnelStatus, TunnelStatusQuery, VpnConnectionArgs, VpnGatewayArgs, VpnGatewayInfo } from "./resources";
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
export type { DiagnoseInput, DiagnoseResult } from "./doctor/api";
import type { DiagnoseInput, DiagnoseResult } from "./doctor/api";
/** doctor's diagnosis for programs (see README "When a branch does not come up"); loads its modules on first use. */
export async function diagnose(input: DiagnoseInput): Promise<DiagnoseResult> {
  const api = await import("./doctor/api.js");
  return api.diagnose(input);
}
