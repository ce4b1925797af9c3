/**
 * `cloudstack-s2s/cdktf`: the CDKTF layer (cdktf 0.21, the final release: CDKTF is deprecated upstream). Thin and
 * removable: every decision is the model's or the CLI's. Needs the optional peer dependencies `cdktf` and
 * `constructs`; the package's main entry never loads this file.
 */
export { CloudStackProvider, CustomerGateway, VpnConnection, VpnGateway, type CloudStackProviderProps, type CustomerGatewayProps, type StaticPeerInput, type VpnConnectionProps, type VpnGatewayProps } from "./resources";
export { SiteToSiteVpn, type SiteToSiteVpnProps } from "./site-to-site-vpn";
export { InvalidPropsError } from "./validation";
export { CLOUDSTACK_PROVIDER_SCHEMA } from "./bindings";
export type { PolicyInput, ProposalInput } from "./types";
