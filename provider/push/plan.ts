import type { Site2SiteVpnDataBag } from "../model/databag";
import { INTERFACE_NAME_RULE, isInterfaceName, isStrictIpv4 } from "../model/net";
import { dynamicConnectionName } from "../render/names";
import { ownFirewall, type OwnFirewall } from "../render/push-firewall";
import type { FirewallRule, RenderedFile } from "../render/types";
import { renderVr } from "../render/vr";
import { checkOwnConf, checkOwnSecrets, expectedConnections, type ExpectedConnection } from "./conf-check";
import { PushInputError } from "./errors";
import { fileDigest, stateHash, type PeerRecord, type PushState } from "./state";

/** Our files: the renderer's `s2s-*` names, outside CloudStack's `ipsec.vpn-*` glob. */
export const OWN_FILE = /^\/etc\/ipsec\.d\/(s2s-[a-z0-9-]{1,60})\.(conf|secrets)$/;
export const OWN_CONNECTION = /^s2s-[a-z0-9-]{1,64}$/;
/** Stands in for a previous PSK the state does not hold; valid for the schema, never equal to a real key's file. */
const PLACEHOLDER_PSK = "previous-key-not-stored-in-push-state";

export interface DynamicPeersInput {
  /** The interface that carries `publicIp` on the gateway. */
  publicInterface: string;
  /** The public IP the dynamic peers connect to (every bag's `local_public_ip`). */
  publicIp: string;
  /** The complete desired set of dynamic-peer bags for this gateway; a peer left out is removed. */
  bags: readonly Site2SiteVpnDataBag[];
  /** The state returned by the last successful push to this gateway. */
  previous?: PushState;
}

/** Everything the transaction will do, computed before the gateway is touched. */
export interface PushPlan {
  gateway: { publicIp: string; publicInterface: string };
  files: RenderedFile[];
  connections: ExpectedConnection[];
  /** Files of peers that disappeared. */
  removeFiles: string[];
  /** Old connection names (changed or removed peers) the reload must unload before anything is terminated. */
  waitUnloaded: string[];
  /** Connections to terminate once the reload is verified (changed or removed peers; never an unchanged one). */
  downAfter: string[];
  /** The renderer asked for `ipsec rereadsecrets` + `ipsec update`. */
  reload: boolean;
  /** Rebuilt from validated parts: `conntrack -D -p udp --dport <p> -s <ip> --mask-src <mask> || true`. */
  conntrack: string[];
  firewall: OwnFirewall;
  /** The state to return once the push is verified (also written to the gateway's record, STATE_PATH). */
  state: PushState;
  /** Own files on the gateway this push leaves alone (other peers' files, for a per-peer push). @default [] */
  keepFiles?: string[];
  /**
   * Base names (`s2s-…-<hash>`) of peers whose loaded connections this push neither expects nor checks: peers the
   * gateway holds but whose files are not as recorded (or not recorded at all). @default []
   */
  keepBases?: string[];
  /** Things the caller should know (peers left untouched because they drifted). @default [] */
  warnings?: string[];
}

export interface Actions {
  removeFiles: string[];
  waitUnloaded: string[];
  downAfter: string[];
  reload: boolean;
  conntrack: string[];
}

/**
 * Maps the renderer's shell lines onto typed actions; anything unexpected stops the push (never run verbatim).
 * The renderer unloads before it terminates (rm/update, wait until the old names are gone, then `ipsec down`): a
 * branch terminated while its connection is still loaded reconnects into it at once. The transaction keeps that
 * order: every `ipsec down` runs after the reload has been verified, and the verify waits for the unload.
 */
export function interpretCommands(commands: readonly string[], where: string, into: Actions): void {
  for (const command of commands) {
    let m: RegExpExecArray | null;
    if (command === "ipsec rereadsecrets" || command === "ipsec update") into.reload = true;
    else if ((m = /^ipsec down (\S+)$/.exec(command)) && OWN_CONNECTION.test(m[1]!)) into.downAfter.push(m[1]!);
    else if ((m = /^rm -f (\S+) (\S+)$/.exec(command)) && OWN_FILE.test(m[1]!) && OWN_FILE.test(m[2]!)) into.removeFiles.push(m[1]!, m[2]!);
    else if ((m = /^conntrack -D -p udp --dport (500|4500) -s (\S+) --mask-src (\S+) \|\| true$/.exec(command)) && isStrictIpv4(m[2]!) && isStrictIpv4(m[3]!)) {
      into.conntrack.push(`conntrack -D -p udp --dport ${m[1]} -s ${m[2]} --mask-src ${m[3]} || true`);
    } else if ((m = /^timeout 10 sh -c 'while ipsec statusall \| grep -q "(.+)"; do sleep 0\.1; done'$/.exec(command))) {
      const names = m[1]!.split("\\|").map((p) => /^\^ \*(.+):$/.exec(p)?.[1] ?? "");
      if (!names.every((n) => OWN_CONNECTION.test(n))) throw new PushInputError(`${where}: renderer wait command ${JSON.stringify(command)} names a connection outside s2s-*`);
      into.waitUnloaded.push(...names);
    } else throw new PushInputError(`${where}: renderer command ${JSON.stringify(command)} is not one the push knows how to run safely; report this as a renderer/push mismatch`);
  }
}

export function stripPsk(bag: Site2SiteVpnDataBag): Omit<Site2SiteVpnDataBag, "ipsec_psk"> {
  const { ipsec_psk: _omit, ...rest } = bag;
  return rest;
}

const uniq = (xs: string[]): string[] => [...new Set(xs)];

/** Validates the gateway fields every push needs; throws PushInputError naming the field. */
export function checkGateway(publicIp: string, publicInterface: string): void {
  if (!isStrictIpv4(publicIp)) throw new PushInputError(`\`publicIp\` ${JSON.stringify(publicIp)} is not a dotted-quad IPv4 address; give the VPN gateway's public IP, e.g. 198.51.100.10`);
  if (!isInterfaceName(publicInterface)) throw new PushInputError(`\`publicInterface\` ${JSON.stringify(publicInterface)} ${INTERFACE_NAME_RULE}`);
}

/** One peer's render, checked, plus the record the state keeps for it. */
export interface PeerRender {
  record: PeerRecord;
  files: RenderedFile[];
  connections: ExpectedConnection[];
  rules: FirewallRule[];
  commands: string[];
}

/**
 * Renders one dynamic peer (a change when `prior` is its record from the last push). The PSK of the previous bag is
 * not stored, so the previous bag carries the current key when the secrets digest is unchanged, a placeholder
 * otherwise (which makes the renderer treat the key as changed). Throws PushInputError naming `where`.
 */
export function renderPeerBag(bag: Site2SiteVpnDataBag, prior: PeerRecord | undefined, publicInterface: string, where: string): PeerRender {
  let rendered;
  let record: PeerRecord;
  try {
    const probe = renderVr(bag, { publicInterface });
    const secretsDigest = fileDigest(probe.files[1]!.path, probe.files[1]!.content);
    const previous = prior ? ({ ...prior.bag, ipsec_psk: prior.secretsDigest === secretsDigest ? bag.ipsec_psk : PLACEHOLDER_PSK } as Site2SiteVpnDataBag) : undefined;
    rendered = previous ? renderVr(bag, { publicInterface, previous }) : probe;
    record = { connection: dynamicConnectionName(bag.peer_id ?? ""), bag: stripPsk(bag), secretsDigest };
  } catch (e) {
    throw new PushInputError(`${where} (peer ${JSON.stringify(bag.peer_id)}): ${(e as Error).message}`);
  }
  const files: RenderedFile[] = [];
  const connections: ExpectedConnection[] = [];
  for (const f of rendered.files) {
    if (!OWN_FILE.test(f.path)) throw new PushInputError(`${where}: rendered path ${f.path} is not an own s2s-* file under /etc/ipsec.d`);
    if (f.path.endsWith(".secrets")) checkOwnSecrets(f.path, f.content);
    else connections.push(...expectedConnections(checkOwnConf(f.path, f.content, rendered.connections)));
    files.push(f);
  }
  return { record, files, connections, rules: rendered.firewall, commands: rendered.commands };
}

/** A recorded peer rendered again from its record (PSK-free): its files' paths, rules and loaded connections. */
export function renderRecorded(record: PeerRecord, publicInterface: string): { conf: RenderedFile; rules: FirewallRule[]; connections: ExpectedConnection[] } {
  const r = renderVr({ ...record.bag, ipsec_psk: PLACEHOLDER_PSK } as Site2SiteVpnDataBag, { publicInterface });
  const conf = r.files.find((f) => f.path.endsWith(".conf"))!;
  return { conf, rules: r.firewall, connections: expectedConnections(checkOwnConf(conf.path, conf.content, r.connections)) };
}

/** The removal commands of a recorded (or given) peer: unload, terminate, flush its sources' conntrack entries. */
export function removalCommands(bag: Omit<Site2SiteVpnDataBag, "ipsec_psk">, publicInterface: string): string[] {
  return renderVr({ ...bag, ipsec_psk: PLACEHOLDER_PSK, create: false } as Site2SiteVpnDataBag, { publicInterface }).commands;
}

export function emptyActions(): Actions {
  return { removeFiles: [], waitUnloaded: [], downAfter: [], reload: false, conntrack: [] };
}

/**
 * Renders the whole change (every peer, with its previous bag; removals for peers that disappeared) and checks
 * it. Pure apart from hashing; throws PushInputError naming the field when the input cannot be pushed.
 */
export function planDynamicPeers(input: DynamicPeersInput): PushPlan {
  const { publicIp, publicInterface } = input;
  checkGateway(publicIp, publicInterface);
  const gateway = { publicIp, publicInterface };
  const actions = emptyActions();
  const files: RenderedFile[] = [];
  const rules: FirewallRule[] = [];
  const connections: ExpectedConnection[] = [];
  const peers: PeerRecord[] = [];
  const previousPeers = new Map((input.previous?.peers ?? []).map((p) => [p.connection, p]));
  // Sorted by connection name, so the chains (first-seen order) and the hash do not depend on the caller's order.
  const ordered = input.bags.map((bag, i) => ({ bag, i })).sort((a, b) => dynamicConnectionName(a.bag.peer_id ?? "").localeCompare(dynamicConnectionName(b.bag.peer_id ?? "")));
  ordered.forEach(({ bag, i }) => {
    const where = `bags[${i}]`;
    if (bag.dynamic_peer !== true) throw new PushInputError(`\`${where}.dynamic_peer\` is ${JSON.stringify(bag.dynamic_peer ?? null)}; only dynamic-peer bags are pushed (static peers are CloudStack's own)`);
    if (bag.create !== true) throw new PushInputError(`\`${where}.create\` is false; leave the peer out of \`bags\` to remove it`);
    if (bag.local_public_ip !== publicIp) throw new PushInputError(`\`${where}.local_public_ip\` ${JSON.stringify(bag.local_public_ip)} differs from \`publicIp\` ${publicIp}; push each gateway's peers separately`);
    const name = dynamicConnectionName(bag.peer_id ?? "");
    if (peers.some((p) => p.connection === name)) throw new PushInputError(`\`${where}.peer_id\` ${JSON.stringify(bag.peer_id)} appears twice; each dynamic peer needs its own IKE ID`);
    const one = renderPeerBag(bag, previousPeers.get(name), publicInterface, where);
    peers.push(one.record);
    files.push(...one.files);
    connections.push(...one.connections);
    rules.push(...one.rules);
    interpretCommands(one.commands, where, actions);
  });
  for (const [name, prior] of previousPeers) {
    if (peers.some((p) => p.connection === name)) continue;
    interpretCommands(removalCommands(prior.bag, publicInterface), `previous peer ${name}`, actions);
  }
  const firewall = ownFirewall(rules, gateway);
  files.sort((a, b) => a.path.localeCompare(b.path));
  const pushed = files.map((f) => ({ path: f.path, mode: f.mode, digest: fileDigest(f.path, f.content) }));
  const core = { gateway, files: pushed, firewall, connections };
  return {
    gateway,
    files,
    connections,
    removeFiles: uniq(actions.removeFiles).filter((p) => !files.some((f) => f.path === p)),
    waitUnloaded: uniq(actions.waitUnloaded),
    downAfter: uniq(actions.downAfter),
    reload: actions.reload,
    conntrack: uniq(actions.conntrack),
    firewall,
    state: { version: 1, hash: stateHash(core), ...core, peers },
  };
}
