/**
 * Per-connection push: what a Pulumi VpnConnection can do knowing only itself. The other dynamic peers of the
 * gateway come from the gateway's own record (s2s-state.json), read under the lock: their files are left as they
 * are (their PSKs are not known, so their secrets files are never rewritten), their SAs are not touched, and the
 * own chains are rebuilt from the union of every recorded peer's rules, so they equal what a complete push of the
 * same set would hold.
 */
import type { Site2SiteVpnDataBag } from "../model/databag";
import { dynamicConnectionName } from "../render/names";
import { HEAL_PATHS } from "../render/heal";
import { ownFirewall } from "../render/push-firewall";
import type { FirewallRule, RenderedFile } from "../render/types";
import { conntrackFlushCommands, dynamicVrPaths } from "../render/vr-dynamic";
import type { ExpectedConnection } from "./conf-check";
import { PushError, PushInputError } from "./errors";
import type { GatewayHost } from "./gateway-host";
import { ofBase, STATE_PATH, type GatewayView } from "./gateway-state";
import { checkGateway, emptyActions, interpretCommands, removalCommands, renderPeerBag, renderRecorded, stripPsk, type PushPlan } from "./plan";
import { runPush, runPushAll, type PushOptions, type PushResult, type PushTarget } from "./push";
import { parseStateFile } from "./remote-state";
import { fileDigest, stateHash, type PeerRecord, type PushedFile, type PushState } from "./state";

export interface PeerPushInput {
  /** The interface that carries `publicIp` on the gateway. */
  publicInterface: string;
  /** The public IP the dynamic peers connect to (the bag's `local_public_ip`). */
  publicIp: string;
  /** One dynamic peer (`dynamic_peer: true`): `create: true` adds or changes it, `create: false` removes it. */
  bag: Site2SiteVpnDataBag;
}

const sources = (bag: { peer_source_cidr_list?: string | undefined }): string[] => (bag.peer_source_cidr_list ?? "").split(",").filter(Boolean);

/** Checks what can be checked without the gateway, so a bad input never takes the lock. */
function checkInput(input: PeerPushInput): void {
  checkGateway(input.publicIp, input.publicInterface);
  const { bag } = input;
  if (bag.dynamic_peer !== true) throw new PushInputError(`\`bag.dynamic_peer\` is ${JSON.stringify(bag.dynamic_peer ?? null)}; only dynamic-peer bags are pushed (static peers are CloudStack's own)`);
  if (!bag.peer_id) throw new PushInputError("`bag.peer_id` is missing; a dynamic peer is known by its IKE ID");
  if (bag.local_public_ip !== input.publicIp) throw new PushInputError(`\`bag.local_public_ip\` ${JSON.stringify(bag.local_public_ip)} differs from \`publicIp\` ${input.publicIp}; they name the same gateway address`);
}

/** The plan for one peer against the gateway as snapshotted (pure; exported for tests). */
export function planPeer(input: PeerPushInput, snap: GatewayView): PushPlan {
  checkInput(input);
  const { publicIp, publicInterface, bag } = input;
  const recorded = parseStateFile(snap.files.get(STATE_PATH)?.content);
  if (recorded && (recorded.gateway.publicIp !== publicIp || recorded.gateway.publicInterface !== publicInterface)) {
    throw new PushInputError(
      `\`publicIp\`/\`publicInterface\` ${publicIp} ${publicInterface} differ from the gateway's record (${recorded.gateway.publicIp} ${recorded.gateway.publicInterface}, in ${STATE_PATH}); push with the values the other peers use, or remove those peers first`,
    );
  }
  const gateway = { publicIp, publicInterface };
  const name = dynamicConnectionName(bag.peer_id ?? "");
  const own = dynamicVrPaths(name);
  const prior = recorded?.peers.find((p) => p.connection === name);
  const others = (recorded?.peers ?? []).filter((p) => p.connection !== name);
  const warnings: string[] = [];
  const keepBases: string[] = [];
  const connections: ExpectedConnection[] = [];
  const rulesByPeer: { connection: string; rules: FirewallRule[] }[] = [];

  for (const other of others) {
    const r = renderRecorded(other, publicInterface);
    rulesByPeer.push({ connection: other.connection, rules: r.rules });
    const present = snap.files.get(r.conf.path);
    const secrets = dynamicVrPaths(other.connection).secrets;
    if (present && fileDigest(r.conf.path, present.content) === fileDigest(r.conf.path, r.conf.content) && snap.files.has(secrets)) connections.push(...r.connections);
    else {
      // Not as recorded: this push cannot repair it (no PSK) and must not fail because of it.
      keepBases.push(other.connection);
      warnings.push(`peer ${other.connection}: its files on the gateway differ from the record; left untouched (push that peer again to repair it)`);
    }
  }
  // Own files of peers the record does not know (another tool, a lost record): left alone, never counted as ours.
  // The heal files are not a peer's: the transaction writes them while a peer is pushed, and removes them after.
  const keepFiles = [...snap.files.keys()].filter((p) => p !== own.conf && p !== own.secrets && p !== STATE_PATH && !HEAL_PATHS.includes(p));
  for (const p of keepFiles) {
    const base = p.slice(p.lastIndexOf("/") + 1).replace(/\.(conf|secrets)$/, "");
    if (!others.some((o) => o.connection === base) && !keepBases.includes(base)) {
      keepBases.push(base);
      warnings.push(`${p}: not in the gateway's record; left untouched`);
    }
  }

  const actions = emptyActions();
  let files: RenderedFile[] = [];
  let mine: PeerRecord | undefined;
  if (bag.create) {
    const one = renderPeerBag(bag, prior, publicInterface, "bag");
    files = one.files;
    mine = one.record;
    connections.push(...one.connections);
    rulesByPeer.push({ connection: name, rules: one.rules });
    interpretCommands(one.commands, "bag", actions);
  } else {
    interpretCommands(removalCommands(prior?.bag ?? stripPsk(bag), publicInterface), "bag (removal)", actions);
  }
  // Same order as a complete push (by connection name), so both give the same chains and the same hash.
  rulesByPeer.sort((a, b) => a.connection.localeCompare(b.connection));
  const firewall = ownFirewall(rulesByPeer.flatMap((p) => p.rules), gateway);
  // A source another peer still allows keeps its conntrack entries: its packets stay accepted anyway.
  const stillAllowed = new Set(conntrackFlushCommands([...others.flatMap((o) => sources(o.bag)), ...(bag.create ? sources(bag) : [])]));
  const conntrack = [...new Set(actions.conntrack)].filter((c) => !stillAllowed.has(c));

  const peers = [...others, ...(mine ? [mine] : [])].sort((a, b) => a.connection.localeCompare(b.connection));
  const otherOf = (p: string): boolean => others.some((o) => p.slice(p.lastIndexOf("/") + 1).replace(/\.(conf|secrets)$/, "") === o.connection);
  const pushed: PushedFile[] = [...(recorded?.files ?? []).filter((f) => otherOf(f.path)), ...files.map((f) => ({ path: f.path, mode: f.mode, digest: fileDigest(f.path, f.content) }))].sort((a, b) => a.path.localeCompare(b.path));
  const recordedConns = (recorded?.connections ?? []).filter((c) => others.some((o) => ofBase(c.name, o.connection)));
  const stateConns = [...recordedConns, ...(bag.create ? connections.filter((c) => ofBase(c.name, name)) : [])].sort((a, b) => a.name.localeCompare(b.name));
  const core = { gateway, files: pushed, firewall, connections: stateConns };
  const state: PushState = { version: 1, hash: stateHash(core), ...core, peers };
  return {
    gateway,
    files,
    connections,
    removeFiles: [...new Set(actions.removeFiles)].filter((p) => !files.some((f) => f.path === p)),
    waitUnloaded: [...new Set(actions.waitUnloaded)],
    downAfter: [...new Set(actions.downAfter)],
    reload: actions.reload,
    conntrack,
    firewall,
    state,
    keepFiles,
    keepBases,
    warnings,
  };
}

/**
 * Adds, changes (`bag.create: true`) or removes (`false`) ONE dynamic peer on a gateway, in the same verified,
 * restorable transaction as pushDynamicPeers: only this peer's files are written or removed, the own chains are
 * recomputed from every recorded peer, the gateway's record is updated, and only this peer's SA is ever ended.
 */
export async function pushPeer(host: GatewayHost, input: PeerPushInput, options: PushOptions = {}): Promise<PushResult> {
  try {
    checkInput(input);
  } catch (e) {
    throw new PushError("render", host.identity, `${(e as Error).message} (nothing was changed)`, true);
  }
  return runPush(host, (snap) => planPeer(input, snap), options);
}

/**
 * pushPeer to every router of a VPC in one transaction (both routers of a redundant pair, or neither): a BACKUP,
 * whose strongSwan CloudStack keeps stopped, gets the files, firewall and heal watcher, loaded when it takes over.
 */
export async function pushPeerToRouters(targets: readonly PushTarget[], input: PeerPushInput, options: PushOptions & { pair?: boolean } = {}): Promise<PushResult[]> {
  try {
    checkInput(input);
  } catch (e) {
    throw new PushError("render", targets.map((t) => t.host.identity).join(" and "), `${(e as Error).message} (nothing was changed)`, true);
  }
  const pair = options.pair ?? targets.length > 1;
  return runPushAll(targets, (snap) => planPeer(input, snap), { ...options, allowStoppedStrongSwan: pair });
}
