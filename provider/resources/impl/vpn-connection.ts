/**
 * VpnConnection: ties a customer gateway to a VPN gateway. Two paths, chosen by the customer gateway's id:
 * - CloudStack (static peers, and dynamic peers on a CloudStack with the dynamic-peer API): the connection object;
 * - gateway push (`gateway:` customer gateways: dynamic peers on stock CloudStack): the peer is upserted on the
 *   router over SSH with `pushPeer`, removed on delete, and refreshed with `inspect()`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { getVpnConnection, updateVpnConnection } from "../../cloudstack";
import { issuesFromZod, makeIssue, type Issue } from "../../model/issues";
import { connectionOptionsSchema, DEFAULT_ESTABLISHED_TIMEOUT_SECONDS, optionIssues } from "../../model/resource-options";
import { vpnConnectionSchema } from "../../model/vpn-connection";
import { changedKeys, checkFailures, compact, hasUnknowns, lookupOrGone, type ProviderContext, sameValue, UNKNOWN, unknownPaths, userInputs, withClient } from "./context";
import { connectionOutputs, createOrAdopt, removeConnection, waitOrUndo } from "./connection-cloudstack";
import { gatewayConnectionName, peerStatusOnRouters, pushConnectionToRouters, withRouters, type PeerStatus, type PushTarget } from "./connection-push";
import { isLocalCustomerGatewayId, LOCAL_ID_PREFIX } from "./customer-gateway";
import { gatewayInfoRequired, notEstablished, pushSpecRequired, sshRequired } from "./errors";
import { HostKeyMismatchError, removeEmptyPushState, routerCoverageProblem, type AcceptedHostKey, type KeyTrust, type RouterSet } from "../../push";
import { hostKeyDrift, idsOf, routerIdsOf, routersOf, vpnGatewayGone } from "./router-identity";

const CONTROL_KEYS = ["waitForEstablished", "establishedTimeoutSeconds", "adoptExisting"] as const;
const PUSH_KEYS = ["gateway", "gatewaySsh", "customerGatewaySpec", "ipsecPsk"] as const;

type Props = Record<string, unknown>;
const connectionFields = (p: Props) => compact({ vpnGatewayId: p.vpnGatewayId, customerGatewayId: p.customerGatewayId, passive: p.passive, forDisplay: p.forDisplay });
const controlFields = (p: Props) => compact(Object.fromEntries(CONTROL_KEYS.map((k) => [k, p[k]])));
const timeoutOf = (p: Props) => (typeof p.establishedTimeoutSeconds === "number" ? p.establishedTimeoutSeconds : DEFAULT_ESTABLISHED_TIMEOUT_SECONDS);

function pushTarget(p: Props): PushTarget {
  return { gateway: p.gateway as PushTarget["gateway"], ssh: p.gatewaySsh as PushTarget["ssh"], spec: p.customerGatewaySpec as PushTarget["spec"], psk: String(p.ipsecPsk), passive: p.passive === true };
}

function pushIssues(inputs: Props): Issue[] {
  const issues: Issue[] = [];
  const spec = inputs.customerGatewaySpec as PushTarget["spec"] | undefined;
  // A connection of a CloudStack-managed gateway gets these as null (see VpnConnection): "not given".
  if (spec == null || inputs.ipsecPsk == null) issues.push(makeIssue("customerGateway", "push-spec-required", pushSpecRequired()));
  if (inputs.gateway == null) issues.push(makeIssue("vpnGateway", "gateway-info-required", gatewayInfoRequired()));
  else if (inputs.gatewaySsh == null) {
    const remoteId = spec && spec !== (UNKNOWN as unknown) && spec.peer?.type === "dynamic" ? spec.peer.remoteId : "?";
    issues.push(makeIssue("vpnGateway.ssh", "ssh-required", sshRequired(remoteId)));
  }
  return issues;
}

export async function check(_ctx: ProviderContext, _olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  const inputs = userInputs(news);
  const fields = connectionFields(inputs);
  const parsed = vpnConnectionSchema.safeParse(fields);
  const issues = parsed.success ? [] : issuesFromZod(parsed.error, fields);
  issues.push(...optionIssues(connectionOptionsSchema, inputs, (v) => v === UNKNOWN));
  if (isLocalCustomerGatewayId(inputs.customerGatewayId)) issues.push(...pushIssues(inputs));
  const failures = checkFailures(issues, unknownPaths(inputs));
  return { inputs: news, failures };
}

export async function diff(_ctx: ProviderContext, _id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const inputs = userInputs(news);
  const push = isLocalCustomerGatewayId(olds.customerGatewayId);
  // Another pair is another connection; CloudStack cannot change `passive` in place. A replacement deletes first:
  // the new connection usually carries the same peer CIDRs on the same gateway, which CloudStack refuses to overlap.
  const replaceKeys = push ? ["vpnGatewayId", "customerGatewayId"] : ["vpnGatewayId", "customerGatewayId", "passive"];
  const updateKeys = push ? ["passive", ...PUSH_KEYS] : ["forDisplay"];
  if (hasUnknowns(inputs)) {
    const unknown = unknownPaths(inputs).map((p) => p.split(/[.[]/)[0]!);
    return { changes: true, replaces: unknown.filter((k) => replaceKeys.includes(k)), deleteBeforeReplace: true };
  }
  const normalized = { ...inputs, passive: inputs.passive === true };
  const oldNormalized = { ...olds, passive: olds.passive === true };
  const changes = changedKeys(oldNormalized, normalized, [...replaceKeys, ...updateKeys]);
  const replaces = changes.filter((k) => replaceKeys.includes(k));
  const oldSpec = olds.customerGatewaySpec as PushTarget["spec"] | undefined;
  const newSpec = inputs.customerGatewaySpec as PushTarget["spec"] | undefined;
  // The peer's IKE ID names its files and connection on the gateway: another ID is another peer.
  if (push && oldSpec && newSpec && !sameValue(gatewayConnectionName(oldSpec), gatewayConnectionName(newSpec))) replaces.push("customerGatewaySpec");
  // A refresh that found the gateway differing from the record makes the next `up` push again.
  if (push && olds.gatewayInSync === false && !changes.includes("gateway")) changes.push("gatewayInSync");
  return { changes: changes.length > 0, replaces, deleteBeforeReplace: true, stables: ["publicIp"] };
}

function pushOutputs(inputs: Props, status: PeerStatus, stateHash: string, routerIds?: string[], accepted?: AcceptedHostKey[]): Props {
  const target = pushTarget(inputs);
  return compact({
    gatewayRouterIds: routerIds,
    // Host keys trusted instead of a pin under `acceptRecreatedRouterKey` (fingerprints, not secret): re-pin to drop them.
    ...(accepted && accepted.length > 0 ? { acceptedHostKeys: accepted } : {}),
    ...connectionFields(inputs),
    ...controlFields(inputs),
    ...Object.fromEntries(PUSH_KEYS.map((k) => [k, inputs[k]])),
    managedBy: "gateway",
    state: status.established ? "Connected" : "Disconnected",
    publicIp: target.gateway.publicIp,
    gatewayConnection: gatewayConnectionName(target.spec),
    gatewayStateHash: stateHash,
    gatewayInSync: status.inSync,
    gatewayDrift: status.drift,
    // Live telemetry (peer address, byte counters) stays out: outputs change only with configuration or the
    // tunnel's up/down state, so `pulumi refresh` on a quiet tunnel reports nothing (see getTunnelStatus).
    established: status.established,
  });
}

async function waitForPeer(set: RouterSet, remoteId: string, timeoutSeconds: number): Promise<PeerStatus | undefined> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const status = await peerStatusOnRouters(set, remoteId);
    if (status.established) return status;
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Push (create or update), then read the peer's status; with `waitForEstablished`, wait or undo a fresh push. */
const acceptedOf = (p: Props | undefined): AcceptedHostKey[] | undefined => (Array.isArray(p?.acceptedHostKeys) ? (p.acceptedHostKeys as AcceptedHostKey[]) : undefined);
const recordedIdsOf = (p: Props | undefined): string[] | undefined => (Array.isArray(p?.gatewayRouterIds) ? (p.gatewayRouterIds as string[]) : undefined);
/** Keys accepted earlier; with `recorded`, also the router ids a new acceptance is judged against (pushes only). */
function trustOf(p: Props | undefined, recorded: boolean): KeyTrust {
  const accepted = acceptedOf(p);
  const ids = recorded ? recordedIdsOf(p) : undefined;
  return { ...(accepted ? { accepted } : {}), ...(ids ? { recordedRouterIds: ids } : {}) };
}

async function pushAndStatus(ctx: ProviderContext, inputs: Props, fresh: boolean, olds?: Props): Promise<Props> {
  const target = pushTarget(inputs);
  const remoteId = target.spec.peer.type === "dynamic" ? target.spec.peer.remoteId : "";
  // The router(s) this push lands on, as CloudStack names them: a later refresh tells a re-created router by its id,
  // and a redundant pair must be reached on both routers.
  const routers = await withClient(ctx, (client) => routersOf(client, String(inputs.vpnGatewayId))).catch(() => undefined);
  const coverage = routerCoverageProblem(target.ssh, routers);
  if (coverage) throw new Error(`vpnGateway.ssh.secondRouter: ${coverage}; nothing was pushed`);
  // A re-created router's new key is accepted only under the opt-in and only against the ids of the last push.
  const trust = trustOf(olds, true);
  return withRouters(target.ssh, routers, async (set) => {
    const { state } = await pushConnectionToRouters(set, target, true);
    let status = await peerStatusOnRouters(set, remoteId);
    if (inputs.waitForEstablished === true && !status.established) {
      const waited = await waitForPeer(set, remoteId, timeoutOf(inputs));
      if (!waited) {
        if (fresh) await pushConnectionToRouters(set, target, false);
        throw new Error(notEstablished(`dynamic peer ${JSON.stringify(remoteId)}`, timeoutOf(inputs), "no ESTABLISHED IKE_SA on the gateway", fresh));
      }
      status = waited;
    }
    return pushOutputs(inputs, status, state.hash, idsOf(routers), set.acceptedKeys());
  }, trust);
}

export async function create(ctx: ProviderContext, inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  if (isLocalCustomerGatewayId(inputs.customerGatewayId)) {
    const outs = await pushAndStatus(ctx, inputs, true);
    return { id: `${LOCAL_ID_PREFIX}${String(inputs.vpnGatewayId)}:${String(inputs.customerGatewayId).slice(LOCAL_ID_PREFIX.length)}`, outs };
  }
  return withClient(ctx, async (client) => {
    const spec = { ...(connectionFields(inputs) as { vpnGatewayId: string; customerGatewayId: string; forDisplay?: boolean }), passive: inputs.passive === true };
    const { conn, adopted } = await createOrAdopt(client, spec, inputs.adoptExisting === true);
    const final = inputs.waitForEstablished === true ? await waitOrUndo(client, conn, timeoutOf(inputs), !adopted) : conn;
    return { id: conn.id, outs: compact({ ...spec, ...controlFields(inputs), managedBy: "cloudstack", ...connectionOutputs(final), ...(adopted ? { adopted } : {}) }) };
  });
}

export async function read(ctx: ProviderContext, id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  if (props.managedBy === "gateway") {
    const target = pushTarget(props);
    const remoteId = target.spec.peer.type === "dynamic" ? target.spec.peer.remoteId : "";
    const recorded = recordedIdsOf(props);
    try {
      // Read-only: a router of a pair that cannot be reached is drift to report, not a failed refresh.
      const ssh = target.ssh.secondRouter ? { ...target.ssh, allowPartialPush: true } : target.ssh;
      const status = await withRouters(ssh, undefined, (set) => peerStatusOnRouters(set, remoteId), trustOf(props, false));
      return { id, props: pushOutputs(props, status, String(props.gatewayStateHash ?? ""), recorded, acceptedOf(props)) };
    } catch (e) {
      if (!(e instanceof HostKeyMismatchError)) throw e;
      // Not trusted, not fatal: refresh reports it; `up` fails with the same re-pin instructions until re-pinned.
      const now = await withClient(ctx, (client) => routerIdsOf(client, String(props.vpnGatewayId))).catch(() => undefined);
      const drift = hostKeyDrift(e, recorded, now);
      return { id, props: pushOutputs(props, { present: false, inSync: false, drift: [drift], established: false, bytesIn: 0, bytesOut: 0 }, String(props.gatewayStateHash ?? ""), recorded, acceptedOf(props)) };
    }
  }
  return withClient(ctx, async (client) => {
    const conn = await lookupOrGone(() => getVpnConnection(client, id));
    if (!conn) return { id: "", props: {} };
    const { peerGateway: _g, created: _c, ...rest } = props;
    // With no prior state (`VpnConnection.get`), the pair and the path come from CloudStack's object.
    const known = compact({ managedBy: "cloudstack", vpnGatewayId: conn.s2svpngatewayid, customerGatewayId: conn.s2scustomergatewayid });
    return { id, props: compact({ ...known, ...rest, ...(conn.passive !== undefined ? { passive: conn.passive } : {}), ...connectionOutputs(conn) }) };
  });
}

export async function update(ctx: ProviderContext, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  const inputs = userInputs(news);
  if (olds.managedBy === "gateway") return { outs: await pushAndStatus(ctx, inputs, false, olds) };
  return withClient(ctx, async (client) => {
    const conn = inputs.forDisplay !== undefined && inputs.forDisplay !== olds.forDisplay ? await updateVpnConnection(client, { id, forDisplay: inputs.forDisplay as boolean }) : await getVpnConnection(client, id);
    if (!conn) throw new Error(`VPN connection ${id} no longer exists in CloudStack; run \`pulumi refresh\`, then \`pulumi up\` creates it again`);
    const keep = olds.adopted ? { adopted: olds.adopted } : {};
    return { outs: compact({ ...connectionFields(inputs), passive: inputs.passive === true, ...controlFields(inputs), managedBy: "cloudstack", ...connectionOutputs(conn), ...keep }) };
  });
}

export async function deleteResource(ctx: ProviderContext, id: string, props: Props): Promise<void> {
  if (props.managedBy === "gateway") {
    const target = pushTarget(props);
    try {
      // Never partial: a peer left on an unreachable router would still be trusted there.
      await withRouters(
        { ...target.ssh, allowPartialPush: false },
        undefined,
        async (set) => {
          await pushConnectionToRouters(set, target, false);
          // The last peer takes the push's record and own chains with it: the router is left as CloudStack made it.
          for (const t of set.targets()) await removeEmptyPushState(t.host);
        },
        trustOf(props, false),
      );
    } catch (e) {
      // The VPC or its VPN gateway is gone from CloudStack: so is the router, and everything pushed there.
      if (await withClient(ctx, (client) => vpnGatewayGone(client, String(props.vpnGatewayId))).catch(() => false)) return;
      throw e;
    }
    return;
  }
  await withClient(ctx, (client) => removeConnection(client, id));
}
export { deleteResource as delete };
