import type { Site2SiteVpnDataBag } from "../model/databag";
import { CsFileModel, sameLineSet } from "./cs-file";
import { vrMinutes, strongswanProposals } from "./lifetimes";
import { splitChildNames, VR_IPSEC_DIR } from "./names";
import type { VrRender } from "./types";
import { ikeInputRules, tunnelMarkRules } from "./vr-firewall";

/** CloudStack main-line `CsSite2SiteVpn` file names for a peer. */
export function staticVrPaths(peer: string): { conf: string; secrets: string } {
  return { conf: `${VR_IPSEC_DIR}/ipsec.vpn-${peer}.conf`, secrets: `${VR_IPSEC_DIR}/ipsec.vpn-${peer}.secrets` };
}

function keyexchange(ikeVersion: string | undefined): string {
  const v = ikeVersion ?? "ike";
  return ["ike", "ikev1", "ikev2"].includes(v.toLowerCase()) ? v : "ike";
}

/**
 * The connection file, byte-identical to what CloudStack's main-line VR writes: the same `CsFile` operations, in
 * the same order, as `CsSite2SiteVpn.configure_ipsec` (configure.py, python3 variant with split connections and
 * `leftid`; contract §4.3). `left` is `local_public_ip`: the VR only uses another address when it has no public
 * network, which a VPC VR with a VPN gateway always has.
 */
export function staticVrConf(bag: Site2SiteVpnDataBag): string {
  const rightpeer = bag.peer_gateway_ip ?? "";
  let peerlist = bag.peer_guest_cidr_list.replace(/ /g, "");
  const split = bag.split_connections === true;
  const peerlistarr = peerlist.split(",");
  if (split) peerlist = peerlistarr[0]!;
  const file = new CsFileModel();
  file.repopulate();
  file.add(`#conn for vpn-${rightpeer}`, 0);
  file.search("conn ", `conn vpn-${rightpeer}`);
  file.addeq(` left=${bag.local_public_ip}`);
  file.addeq(` leftid=${bag.local_public_ip}`);
  file.addeq(` leftsubnet=${bag.local_guest_cidr}`);
  file.addeq(` right=${rightpeer}`);
  file.addeq(` rightsubnet=${peerlist}`);
  file.addeq(" type=tunnel");
  file.addeq(" authby=secret");
  file.addeq(` keyexchange=${keyexchange(bag.ike_version)}`);
  file.addeq(` ike=${strongswanProposals(bag.ike_policy)}`);
  file.addeq(` ikelifetime=${vrMinutes(bag.ike_lifetime)}`);
  file.addeq(` esp=${strongswanProposals(bag.esp_policy)}`);
  file.addeq(` lifetime=${vrMinutes(bag.esp_lifetime)}`);
  file.addeq(" keyingtries=2");
  file.addeq(" auto=route");
  file.addeq(` forceencaps=${bag.encap ? "yes" : "no"}`);
  if (bag.dpd) {
    file.addeq(" dpddelay=30");
    file.addeq(" dpdtimeout=120");
    file.addeq(" dpdaction=restart");
  }
  if (split && peerlistarr.length > 1) {
    for (let idx = 1; idx < peerlistarr.length; idx++) {
      // An empty line before each child stanza; the child's `conn` line goes through a regex `search`, so a host
      // name peer containing `-<k>` has its main `conn` line replaced instead (CloudStack's behaviour, kept).
      file.append("");
      file.search(`conn vpn-.*-${idx + 1}`, `conn vpn-${rightpeer}-${idx + 1}`);
      file.append(` also=vpn-${rightpeer}`);
      file.append(` rightsubnet=${peerlistarr[idx]}`);
    }
  }
  return file.text();
}

/** The secrets file: CloudStack loads the existing one and replaces every line keyed by `<local ip> `. */
export function staticVrSecrets(bag: Site2SiteVpnDataBag, existing?: string): string {
  const secret = new CsFileModel(existing);
  secret.search(`${bag.local_public_ip} `, `${bag.local_public_ip} ${bag.peer_gateway_ip ?? ""} : PSK "${bag.ipsec_psk}"`);
  return secret.text();
}

/** The address CloudStack pings to trigger `auto=route`: the CIDR's address as written, last octet + 1, no carry. */
export function warmupAddress(cidr: string): string {
  const octets = cidr.split("/", 1)[0]!.split(".");
  octets[3] = String(Number.parseInt(octets[3] ?? "", 10) + 1);
  return octets.join(".");
}

/**
 * What CloudStack's VR does for a static peer. `previous` (the bag last applied) lets the command list skip
 * `ipsec rereadsecrets` when neither file changed, as CloudStack does.
 */
export function renderStaticVr(bag: Site2SiteVpnDataBag, dev: string, previous?: Site2SiteVpnDataBag): VrRender {
  const peer = bag.peer_gateway_ip ?? "";
  const paths = staticVrPaths(peer);
  const name = `vpn-${peer}`;
  const peerlistarr = bag.peer_guest_cidr_list.replace(/ /g, "").split(",");
  const children = splitChildNames(name, peerlistarr.length, bag.split_connections === true);
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
  let conf = staticVrConf(bag);
  let secrets = staticVrSecrets(bag);
  // CloudStack's CsFile commits a file only when its *set* of lines changed (so e.g. split CIDRs given in another
  // order leave the old text in place), and runs `ipsec rereadsecrets` only when either file changed.
  let unchanged = false;
  if (previous?.create === true && previous.peer_gateway_ip === bag.peer_gateway_ip) {
    const previousConf = staticVrConf(previous);
    const previousSecrets = staticVrSecrets(previous);
    if (sameLineSet(previousConf, conf)) conf = previousConf;
    if (sameLineSet(previousSecrets, secrets)) secrets = previousSecrets;
    unchanged = conf === previousConf && secrets === previousSecrets;
  }
  const commands = unchanged ? [] : ["ipsec rereadsecrets"];
  commands.push("ipsec reload");
  peerlistarr.forEach((cidr, i) => {
    const conn = i === 0 || bag.split_connections !== true ? name : `${name}-${i + 1}`;
    commands.push(`ipsec status ${conn} | grep "${cidr}"`);
  });
  // auto=route waits for traffic: CloudStack pings an address in each peer subnet to bring the tunnel up.
  for (const cidr of peerlistarr) commands.push(`timeout 5 ping -c 3 ${warmupAddress(cidr)}`);
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
