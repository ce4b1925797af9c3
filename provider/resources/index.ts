/** The Pulumi resources of cloudstack-s2s (README § Pulumi). */
export { CustomerGateway, type CustomerGatewayArgs, type DynamicPeerArgs, type PolicyArgs, type ProposalArgs, type StaticPeerArgs } from "./customer-gateway";
export { VpnGateway, type GatewaySshArgs, type SecondRouterArgs, type SshEndpointArgs, type VpnGatewayArgs } from "./vpn-gateway";
export { VpnConnection, type VpnConnectionArgs } from "./vpn-connection";
export { CONFIG_KEYS, CONFIG_NAMESPACE } from "./delegating-provider";
export type { CloudStackSettingsArgs, CommonArgs } from "./common-args";
export { fetchTunnelStatus, getTunnelStatus, type GetTunnelStatusArgs, type TunnelStatus, type TunnelStatusQuery } from "./tunnel-status";
export { lookupCustomerGateway, lookupVpnGateway, type CustomerGatewayInfo, type LookupOptions, type VpnGatewayInfo } from "./lookups";
export { RUNTIME_ENV_VAR } from "./runtime-location";
