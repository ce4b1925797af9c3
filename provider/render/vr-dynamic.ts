import type { Site2SiteVpnDataBag } from "../model/databag";
import { DEFAULT_DPD_DELAY_SECONDS, DEFAULT_DPD_TIMEOUT_SECONDS } from "../model/defaults";
import type { IkeIdType } from "../model/ike-id";
import { netmaskOf, numberToIpv4, parseIpv4Cidr } from "../model/net";
import { dynamicResponderId } from "../model/responder-id";
import { strokeIkeId } from "./ids";
import { strongswanProposals, vrMinutes } from "./lifetimes";
import { createHash } from "node:crypto";
import { dynamicConnectionName, splitChildNames, VR_IPSEC_DIR } from "./names";
import { fileText, type VrRender } from "./types";
import { ikeInputRules, tunnelMarkRules } from "./vr-firewall";

export function dynamicVrPaths(name: string): { conf: string; secrets: string } {
  return { conf: `${VR_IPSEC_DIR}/${name}.conf`, secrets: `${VR_IPSEC_DIR}/${name}.secrets` };
}

function peerIdType(bag: Site2SiteVpnDataBag): IkeIdType | undefined {
  return bag.peer_id_type as IkeIdType | undefined;
}

/**
 * The connection's name: the peer's stable base (which also names its files) plus a generation derived from its
 * settings. `ipsec update` is asynchronous, so a changed connection gets a new name: the apply can then wait until
 * the old name is unloaded before terminating the old SA, and a branch that reconnects can only match the new one.
 */
export function dynamicVrConnectionName(bag: Site2SiteVpnDataBag): string {
  const base = dynamicConnectionName(bag.peer_id ?? "");
  // From the settings only: a name derived from the key would let anyone who reads it test guesses of a weak PSK.
  const generation = createHash("sha256").update(confLines(bag, base).join("\n")).digest("hex").slice(0, 8);
  return `${base}-g${generation}`;
}

/**
 * A pure responder for a peer whose address changes: `right=%any` plus the peer's IKE ID, IKEv2 only, strict
 * proposals, `auto=add`. `mobike=no` because with libipsec and NATed branches a re-mapped NAT is then noticed on
 * the branch's next DPD instead of only when the VR's DPD gives up (strongswan-netns.md §8).
 */
export function dynamicVrConf(bag: Site2SiteVpnDataBag): string {
  return fileText(confLines(bag, dynamicVrConnectionName(bag)));
}

function confLines(bag: Site2SiteVpnDataBag, name: string): string[] {
  const cidrs = bag.peer_guest_cidr_list.split(",");
  const split = bag.split_connections === true && cidrs.length > 1;
  const lines = [
    `#conn for ${name}: dynamic peer ${bag.peer_id} (cloudstack-s2s)`,
    `conn ${name}`,
    ` left=${bag.local_public_ip}`,
    // Never the router's address: CloudStack's own secrets are keyed by it and would match this lookup too.
    ` leftid=${strokeIkeId(dynamicResponderId(bag.local_public_ip), "fqdn")}`,
    ` leftsubnet=${bag.local_guest_cidr}`,
    " right=%any",
    ` rightid=${strokeIkeId(bag.peer_id ?? "", peerIdType(bag))}`,
    ` rightsubnet=${split ? cidrs[0] : bag.peer_guest_cidr_list}`,
    " type=tunnel",
    " authby=secret",
    " keyexchange=ikev2",
    ` ike=${strongswanProposals(bag.ike_policy)}!`,
    ` ikelifetime=${vrMinutes(bag.ike_lifetime)}`,
    ` esp=${strongswanProposals(bag.esp_policy)}!`,
    ` lifetime=${vrMinutes(bag.esp_lifetime)}`,
    ` forceencaps=${bag.encap ? "yes" : "no"}`,
    " mobike=no",
  ];
  if (bag.dpd) {
    lines.push(
      ` dpddelay=${bag.dpd_delay ?? DEFAULT_DPD_DELAY_SECONDS}s`,
      ` dpdtimeout=${bag.dpd_timeout ?? DEFAULT_DPD_TIMEOUT_SECONDS}s`,
      " dpdaction=clear",
    );
  }
  lines.push(" auto=add");
  if (split) cidrs.slice(1).forEach((cidr, i) => lines.push(`conn ${name}-${i + 2}`, ` also=${name}`, ` rightsubnet=${cidr}`));
  return lines;
}

/**
 * Keyed by the peer ID alone: a selector holding the VR's own address would also match every other peer's line,
 * and charon would then accept peer A's ID authenticated with peer B's key (strongswan-netns.md §6).
 */
export function dynamicVrSecrets(bag: Site2SiteVpnDataBag): string {
  return fileText([`${strokeIkeId(bag.peer_id ?? "", peerIdType(bag))} : PSK "${bag.ipsec_psk}"`]);
}

function sourcesOf(bag: Site2SiteVpnDataBag | undefined): string[] {
  return bag?.create && bag.dynamic_peer ? (bag.peer_source_cidr_list ?? "").split(",").filter(Boolean) : [];
}

/** Already-tracked IKE/NAT-T flows keep passing the ESTABLISHED rule after a range is removed: drop them. */
export function conntrackFlushCommands(cidrs: readonly string[]): string[] {
  return cidrs.flatMap((text) => {
    const cidr = parseIpv4Cidr(text);
    if (typeof cidr === "string") return [];
    const match = `-s ${numberToIpv4(cidr.network)} --mask-src ${netmaskOf(cidr.prefix)}`;
    return [500, 4500].map((port) => `conntrack -D -p udp --dport ${port} ${match} || true`);
  });
}

/** Waits (up to 10 s) until `ipsec update`, which works asynchronously through starter, has unloaded the names. */
export function waitUnloadedCommand(names: readonly string[]): string {
  const pattern = names.map((n) => `^ *${n}:`).join("\\|");
  return `timeout 10 sh -c 'while ipsec statusall | grep -q "${pattern}"; do sleep 0.1; done'`;
}

function connNamesOf(bag: Site2SiteVpnDataBag): string[] {
  const name = dynamicVrConnectionName(bag);
  return [name, ...splitChildNames(name, bag.peer_guest_cidr_list.split(",").length, bag.split_connections === true)];
}

/**
 * Unload first, then terminate: a terminated branch reconnects at once (closeaction=restart), and while its
 * connection is still loaded the new SA would survive the unload and keep passing traffic.
 */
function removalCommands(bag: Site2SiteVpnDataBag, withFiles: boolean): string[] {
  const names = connNamesOf(bag);
  const paths = dynamicVrPaths(dynamicConnectionName(bag.peer_id ?? ""));
  return [
    ...(withFiles ? [`rm -f ${paths.conf} ${paths.secrets}`] : []),
    "ipsec rereadsecrets",
    "ipsec update",
    waitUnloadedCommand(names),
    ...names.map((c) => `ipsec down ${c}`),
  ];
}

function renderRemoval(bag: Site2SiteVpnDataBag): VrRender {
  const paths = dynamicVrPaths(dynamicConnectionName(bag.peer_id ?? ""));
  return {
    connections: connNamesOf(bag),
    files: [],
    removeFiles: [paths.conf, paths.secrets],
    firewall: [],
    bestEffort: false,
    commands: [...removalCommands(bag, true), ...conntrackFlushCommands((bag.peer_source_cidr_list ?? "").split(",").filter(Boolean))],
  };
}

/**
 * The dynamic-peer branch of the VR format. With `previous` (the bag last applied for this peer) the command list
 * touches only what changed: reread + update (never disruptive); when this connection's settings or key changed,
 * a wait until the old generation is unloaded and a terminate of the old SA only; a conntrack flush of the sources
 * dropped from the allow-list. Files are written before the commands run; removed files by the commands.
 */
export function renderDynamicVr(bag: Site2SiteVpnDataBag, dev: string, previous?: Site2SiteVpnDataBag): VrRender {
  if (!bag.create) return renderRemoval(bag);

  const base = dynamicConnectionName(bag.peer_id ?? "");
  const paths = dynamicVrPaths(base);
  const conf = dynamicVrConf(bag);
  const secrets = dynamicVrSecrets(bag);
  const prior = previous?.create && previous.dynamic_peer ? previous : undefined;
  const samePeer = prior !== undefined && dynamicConnectionName(prior.peer_id ?? "") === base;
  const commands: string[] = [];
  if (prior && !samePeer) {
    // The ID changed: it is another peer with other files. Remove the old one completely first.
    const priorPaths = dynamicVrPaths(dynamicConnectionName(prior.peer_id ?? ""));
    commands.push(`rm -f ${priorPaths.conf} ${priorPaths.secrets}`);
  }
  if (!prior) commands.push("ipsec rereadsecrets", "ipsec update");
  else if (!samePeer || dynamicVrConf(prior) !== conf) commands.push(...removalCommands(prior, false));
  else if (dynamicVrSecrets(prior) !== secrets) {
    // Only the key changed: rereadsecrets is synchronous, so the SA can be ended at once and re-authenticates.
    commands.push("ipsec rereadsecrets", ...connNamesOf(bag).map((c) => `ipsec down ${c}`));
  }
  const kept = new Set(sourcesOf(bag));
  commands.push(...conntrackFlushCommands(sourcesOf(prior).filter((c) => !kept.has(c))));
  return {
    connections: connNamesOf(bag),
    files: [
      { path: paths.conf, mode: 0o644, content: conf },
      { path: paths.secrets, mode: 0o600, content: secrets },
    ],
    removeFiles: [],
    firewall: [
      ...[...kept].flatMap((source) => ikeInputRules(dev, source, bag.local_public_ip)),
      ...tunnelMarkRules(dev, bag.local_guest_cidr, bag.peer_guest_cidr_list),
    ],
    bestEffort: false,
    commands,
  };
}
