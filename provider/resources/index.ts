/** The Pulumi resources of cloudstack-s2s (README § Pulumi). */
export { CustomerGateway, type CustomerGatewayArgs, type DynamicPeerArgs, type PolicyArgs, type ProposalArgs, type StaticPeerArgs } from "./customer-gateway";
export { VpnGateway, type GatewaySshArgs, type SshEndpointArgs, type VpnGatewayArgs } from "./vpn-gateway";
export { VpnConnection, type VpnConnectionArgs } from "./vpn-connection";
export { CONFIG_KEYS } from "./delegating-provider";
export { RUNTIME_ENV_VAR } from "./runtime-location";
