import type { Site2SiteVpnDataBag } from "../model/databag";
import { firstHostOf, parseIpv4Cidr } from "../model/net";
import { vrMinutes, strongswanProposals } from "./lifetimes";
import { splitChildNames, VR_IPSEC_DIR } from "./names";
import { fileText, type VrRender } from "./types";
import { ikeInputRules, tunnelMarkRules } from "./vr-firewall";

/** CloudStack main-line `CsSite2SiteVpn` file names for a peer. */
export function staticVrPaths(peer: string): { conf: string; secrets: string } {
  return { conf: `${VR_IPSEC_DIR}/ipsec.vpn-${peer}.conf`, secrets: `${VR_IPSEC_DIR}/ipsec.vpn-${peer}.secrets` };
}

function keyexchange(ikeVersion: string | undefined): string {
  const v = ikeVersion ?? "ike";
  return ["ike", "ikev1", "ikev2"].includes(v.toLowerCase()) ? v : "ike";
}

/** The connection file, byte-identical to what CloudStack's main-line VR writes (contract §4.3). */
export function staticVrConf(bag: Site2SiteVpnDataBag): string {
  const peer = bag.peer_gateway_ip ?? "";
  const peerlist = bag.peer_guest_cidr_list.replace(/ /g, "");
  const cidrs = peerlist.split(",");
  const split = bag.split_connections === true && cidrs.length > 1;
  const lines = [
    `#conn for vpn-${peer}`,
    `conn vpn-${peer}`,
    ` left=${bag.local_public_ip}`,
    ` leftid=${bag.local_public_ip}`,
    ` leftsubnet=${bag.local_guest_cidr}`,
    ` right=${peer}`,
    ` rightsubnet=${split ? cidrs[0] : peerlist}`,
    " type=tunnel",
    " authby=secret",
    ` keyexchange=${keyexchange(bag.ike_version)}`,
    ` ike=${strongswanProposals(bag.ike_policy)}`,
    ` ikelifetime=${vrMinutes(bag.ike_lifetime)}`,
    ` esp=${strongswanProposals(bag.esp_policy)}`,
    ` lifetime=${vrMinutes(bag.esp_lifetime)}`,
    " keyingtries=2",
    " auto=route",
    ` forceencaps=${bag.encap ? "yes" : "no"}`,
  ];
  if (bag.dpd) lines.push(" dpddelay=30", " dpdtimeout=120", " dpdaction=restart");
  if (split) {
    cidrs.slice(1).forEach((cidr, i) => lines.push(`conn vpn-${peer}-${i + 2}`, ` also=vpn-${peer}`, ` rightsubnet=${cidr}`));
  }
  return fileText(lines);
}

export function staticVrSecrets(bag: Site2SiteVpnDataBag): string {
  return fileText([`${bag.local_public_ip} ${bag.peer_gateway_ip ?? ""} : PSK "${bag.ipsec_psk}"`]);
}

/**
 * What CloudStack's VR does for a static peer. `previous` (the bag last applied) lets the command list skip
 * `ipsec rereadsecrets` when neither file changed, as CloudStack does.
 */
export function renderStaticVr(bag: Site2SiteVpnDataBag, dev: string, previous?: Site2SiteVpnDataBag): VrRender {
  const peer = bag.peer_gateway_ip ?? "";
  const paths = staticVrPaths(peer);
  const name = `vpn-${peer}`;
  const cidrs = bag.peer_guest_cidr_list.replace(/ /g, "").split(",");
  const children = splitChildNames(name, cidrs.length, bag.split_connections === true);
  if (!bag.create) {
    return {
      connections: [name, ...children],
      files: [],
      removeFiles: [paths.conf, paths.secrets],
      firewall: [],
      bestEffort: true,
      commands: [`ipsec down ${name}`, `ipsec down ${name}`, `rm -f ${paths.conf} ${paths.secrets}`, "ipsec reload"],
    };
  }
  const conf = staticVrConf(bag);
  const secrets = staticVrSecrets(bag);
  const unchanged = previous?.create === true && previous.peer_gateway_ip === bag.peer_gateway_ip
    && staticVrConf(previous) === conf && staticVrSecrets(previous) === secrets;
  const commands = unchanged ? [] : ["ipsec rereadsecrets"];
  commands.push("ipsec reload");
  cidrs.forEach((cidr, i) => {
    const conn = i === 0 || bag.split_connections !== true ? name : `${name}-${i + 1}`;
    commands.push(`ipsec status ${conn} | grep "${cidr}"`);
  });
  // auto=route waits for traffic: CloudStack pings the first host of each peer subnet to bring the tunnel up.
  for (const cidr of cidrs) {
    const parsed = parseIpv4Cidr(cidr);
    if (typeof parsed !== "string") commands.push(`timeout 5 ping -c 3 ${firstHostOf(parsed)}`);
  }
  return {
    connections: [name, ...children],
    files: [
      { path: paths.conf, mode: 0o644, content: conf },
      { path: paths.secrets, mode: 0o400, content: secrets },
    ],
    removeFiles: [],
    bestEffort: true,
    firewall: [...ikeInputRules(dev, peer, bag.local_public_ip), ...tunnelMarkRules(dev, bag.local_guest_cidr, bag.peer_guest_cidr_list)],
    commands,
  };
}
