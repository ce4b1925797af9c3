/** The local cloud's real virtual router in network namespaces (`local-cloud --vr netns`). */
export { NetnsRouter, type NetnsRouterOptions, type RouterVmView, type VrAccess } from "./netns-router";
export type { Reconfiguration } from "./vr-site2site";
export type { PingResult } from "./ping";
