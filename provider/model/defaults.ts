/** Named defaults, shared by the schemas, the renderers and the docs. */
export const DEFAULT_IKE_POLICY = "aes256-sha256;modp2048";
export const DEFAULT_ESP_POLICY = "aes256-sha256;modp2048";
/** CloudStack's defaults (contract §2.1). */
export const DEFAULT_IKE_LIFETIME_SECONDS = 86400;
export const DEFAULT_ESP_LIFETIME_SECONDS = 3600;
/** Below a minute the VR's `int(seconds/60)m` writes `0m`; above a day CloudStack refuses. */
export const MIN_LIFETIME_SECONDS = 60;
export const MAX_LIFETIME_SECONDS = 86400;
/** What CloudStack's VR writes when dpd is on (contract §4.3). */
export const DEFAULT_DPD_DELAY_SECONDS = 30;
export const DEFAULT_DPD_TIMEOUT_SECONDS = 120;
/**
 * The longest DPD interval a dynamic branch's own configuration uses. With `mobike=no` on the router, a NAT that
 * re-maps the branch's public address is noticed on the branch's next DPD: 5 s brings it back in ~3 s (issue 9,
 * test/e2e/nat-remap.test.ts) instead of one router-side interval (31.5 s measured), and the router keeps its own
 * DPD (`dpdaction=clear`) unchanged.
 */
export const BRANCH_DPD_DELAY_SECONDS = 5;

/** The DPD interval a dynamic branch's own configuration uses (see BRANCH_DPD_DELAY_SECONDS). */
export function branchDpdDelaySeconds(dynamic: boolean, siteDelaySeconds: number): number {
  return dynamic ? Math.min(siteDelaySeconds, BRANCH_DPD_DELAY_SECONDS) : siteDelaySeconds;
}
/** CloudStack limits (contract §2.9). */
export const MAX_PEER_CIDRS = 10;
export const MAX_CONNECTIONS_PER_VPN_GATEWAY = 4;
export const DEFAULT_PUBLIC_INTERFACE = "eth1";
