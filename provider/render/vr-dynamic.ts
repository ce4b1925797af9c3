import type { Site2SiteVpnDataBag } from "../model/databag";
import { DEFAULT_DPD_DELAY_SECONDS, DEFAULT_DPD_TIMEOUT_SECONDS } from "../model/defaults";
import type { IkeIdType } from "../model/ike-id";
import { netmaskOf, numberToIpv4, parseIpv4Cidr } from "../model/net";
import { strokeIkeId } from "./ids";
import { strongswanProposals, vrMinutes } from "./lifetimes";
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
 * A pure responder for a peer whose address changes: `right=%any` plus the peer's IKE ID, IKEv2 only, strict
 * proposals, `auto=add`. `mobike=no` because with libipsec and NATed branches a re-mapped NAT is then noticed on
 * the branch's next DPD instead of only when the VR's DPD gives up (strongswan-netns.md §8).
 */
export function dynamicVrConf(bag: Site2SiteVpnDataBag): string {
  const name = dynamicConnectionName(bag.peer_id ?? "");
  const cidrs = bag.peer_guest_cidr_list.split(",");
  const split = bag.split_connections === true && cidrs.length > 1;
  const lines = [
    `#conn for ${name}: dynamic peer ${bag.peer_id} (cloudstack-s2s)`,
    `conn ${name}`,
    ` left=${bag.local_public_ip}`,
    ` leftid=${bag.local_public_ip}`,
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
  return fileText(lines);
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

function renderRemoval(bag: Site2SiteVpnDataBag, name: string, children: string[]): VrRender {
  const paths = dynamicVrPaths(name);
  return {
    connections: [name, ...children],
    files: [],
    removeFiles: [paths.conf, paths.secrets],
    firewall: [],
    // `ipsec down` first: once the files are gone and reloaded, an orphaned SA would stay up and keep passing traffic.
    commands: [
      ...[name, ...children].map((c) => `ipsec down ${c}`),
      `rm -f ${paths.conf} ${paths.secrets}`,
      "ipsec rereadsecrets",
      "ipsec update",
      ...conntrackFlushCommands((bag.peer_source_cidr_list ?? "").split(",").filter(Boolean)),
    ],
  };
}

/**
 * The dynamic-peer branch of the VR format. With `previous` (the bag last applied for this peer) the command list
 * touches only what changed: reread + update (never disruptive), a terminate of this connection only when its
 * settings or key changed, and a conntrack flush of the sources dropped from the allow-list.
 */
export function renderDynamicVr(bag: Site2SiteVpnDataBag, dev: string, previous?: Site2SiteVpnDataBag): VrRender {
  const name = dynamicConnectionName(bag.peer_id ?? "");
  const cidrs = bag.peer_guest_cidr_list.split(",");
  const children = splitChildNames(name, cidrs.length, bag.split_connections === true);
  if (!bag.create) return renderRemoval(bag, name, children);

  const paths = dynamicVrPaths(name);
  const conf = dynamicVrConf(bag);
  const secrets = dynamicVrSecrets(bag);
  const prior = previous?.create && previous.dynamic_peer ? previous : undefined;
  const priorName = prior ? dynamicConnectionName(prior.peer_id ?? "") : undefined;
  const commands: string[] = [];
  if (prior && priorName !== name) {
    // The ID changed: it is another connection. Remove the old one first.
    const priorChildren = splitChildNames(priorName!, prior.peer_guest_cidr_list.split(",").length, prior.split_connections === true);
    commands.push(...renderRemoval({ ...prior, peer_source_cidr_list: "" }, priorName!, priorChildren).commands);
  }
  const sameConn = prior !== undefined && priorName === name;
  const changed = !sameConn || dynamicVrConf(prior) !== conf || dynamicVrSecrets(prior) !== secrets;
  if (changed) commands.push("ipsec rereadsecrets", "ipsec update");
  if (sameConn && changed) {
    // strongSwan applies new settings only on the next negotiation; end this peer's SA so it re-keys now.
    const priorChildren = splitChildNames(name, prior.peer_guest_cidr_list.split(",").length, prior.split_connections === true);
    commands.push(...[...new Set([name, ...children, ...priorChildren])].map((c) => `ipsec down ${c}`));
  }
  const kept = new Set(sourcesOf(bag));
  commands.push(...conntrackFlushCommands(sourcesOf(prior).filter((c) => !kept.has(c))));
  return {
    connections: [name, ...children],
    files: [
      { path: paths.conf, mode: 0o644, content: conf },
      { path: paths.secrets, mode: 0o600, content: secrets },
    ],
    removeFiles: [],
    firewall: [
      ...[...kept].flatMap((source) => ikeInputRules(dev, source, bag.local_public_ip)),
      ...tunnelMarkRules(dev, bag.local_guest_cidr, bag.peer_guest_cidr_list),
    ],
    commands,
  };
}
