/** `cloudstack-s2s/render`: the pure renderers (VR data bag, standalone swanctl gateway, branch peer). */
export { renderVr, type VrRenderOptions } from "./vr";
export { renderSwanctl } from "./swanctl";
export { renderPeer } from "./peer";
export { CsFileModel } from "./cs-file";
export type { FirewallRule, HostRender, RenderedFile, VrRender } from "./types";
