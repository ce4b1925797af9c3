/**
 * Pushing dynamic-peer configuration to the gateway that holds a VPC's public IP (the VR over SSH on 3922, or a
 * strongSwan appliance): one verified, restorable transaction per change, touching only `s2s-*` files and the
 * S2S_DYN_* chains.
 */
export { GatewayConnectionLostError, type ExecOptions, type ExecResult, type FileInfo, type GatewayHost, type HeldCommand, type WriteFileOptions } from "./gateway-host";
export { connectSshGateway, DEFAULT_VR_SSH_PORT, SshGatewayHost, type SshEndpoint, type SshGatewayOptions } from "./ssh-gateway-host";
export { fingerprintOf, HostKeyMismatchError, parseHostKeyPin, type HostKeyPin } from "./host-key";
export { PushError, PushInputError, type PushStep } from "./errors";
export { planDynamicPeers, type DynamicPeersInput, type PushPlan } from "./plan";
export { applyPushPlan, pushDynamicPeers, runPushAll, type PushAllOptions, type PushOptions, type PushResult, type PushTarget } from "./push";
export { inspect, type ConnectionSa, type DriftReport, type FileDrift } from "./inspect";
export { parseStatusAll, type IpsecStatus, type LoadedConnection, type SaStatus } from "./ipsec-status";
export type { PushState, PushedFile, PeerRecord } from "./state";
export { REMOTE_LOCK_PATH } from "./lock";
export { planPeer, pushPeer, pushPeerToRouters, type PeerPushInput } from "./peer";
export { parseStateFile, StateFileError } from "./remote-state";
export { STATE_PATH } from "./gateway-state";
export { withGateway } from "./session";
export { removeEmptyPushState } from "./teardown";
export { routerCoverageProblem, routerLabel, RouterSet, withActiveRouter, withRouters, type AcceptedHostKey, type CloudRouter, type KeyTrust, type RouterSession } from "./routers";
