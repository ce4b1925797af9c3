/**
 * The VR's control link, as CloudStack reaches its VRs: a link-local /30 (CloudStack uses 169.254.0.0/16 for the
 * VR's eth0) between the root namespace, where the provider runs, and the router namespace, carrying SSH to port
 * 3922 only. Why it is safe although it links to the root namespace:
 *   - only the /30 is routed over it (no default route, no other prefix on either side), so the router cannot
 *     reach anything beyond the root-side address and the root namespace reaches only the router's sshd;
 *   - the router's firewall accepts only TCP 3922 in and TCP from 3922 out on it, and never forwards to or from it;
 *   - sshd listens on the router's control address only; IPv6 is off on both ends (no link-local chatter);
 *   - the link dies with the router namespace (a veth pair goes when either end does).
 */
import { runSync } from "./exec";

export interface ControlLink {
  /** Interface in the root namespace. */
  rootInterface: string;
  rootAddress: string;
  /** Interface (eth0) and address in the router namespace: where sshd listens. */
  vrInterface: string;
  vrAddress: string;
}

function must(argv: string[]): string {
  const r = runSync(argv);
  if (r.code !== 0) throw new Error(`netns VR control link: \`${argv.join(" ")}\` exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** A free 169.254.<n>.0/30: no address of the root namespace may fall into it. */
function freeSubnet(): number {
  const used = must(["ip", "-4", "-o", "addr", "show"]);
  for (let tries = 0; tries < 200; tries++) {
    const n = 100 + Math.floor(Math.random() * 150);
    if (!used.includes(` 169.254.${n}.`)) return n;
  }
  throw new Error("netns VR control link: no free 169.254.x.0/30 in the root namespace");
}

/** `subnet` reuses 169.254.<subnet>.0/30 (a re-created router keeping its control address). */
export function createControlLink(vrNamespace: string, rootInterface: string, subnet?: number): ControlLink {
  if (!/^[a-z0-9]{1,15}$/.test(rootInterface)) throw new Error(`control link interface name ${rootInterface} must be 1–15 [a-z0-9]`);
  const n = subnet ?? freeSubnet();
  const link: ControlLink = { rootInterface, rootAddress: `169.254.${n}.1`, vrInterface: "eth0", vrAddress: `169.254.${n}.2` };
  must(["ip", "link", "add", rootInterface, "type", "veth", "peer", "name", link.vrInterface, "netns", vrNamespace]);
  try {
    // IPv6 off before the links come up: no router solicitations, no link-local addresses, nothing but the /30.
    must(["sysctl", "-qw", `net.ipv6.conf.${rootInterface}.disable_ipv6=1`]);
    must(["ip", "netns", "exec", vrNamespace, "sysctl", "-qw", `net.ipv6.conf.${link.vrInterface}.disable_ipv6=1`]);
    must(["ip", "addr", "add", `${link.rootAddress}/30`, "dev", rootInterface]);
    must(["ip", "-n", vrNamespace, "addr", "add", `${link.vrAddress}/30`, "dev", link.vrInterface]);
    must(["ip", "link", "set", rootInterface, "up"]);
    must(["ip", "-n", vrNamespace, "link", "set", link.vrInterface, "up"]);
  } catch (e) {
    runSync(["ip", "link", "del", rootInterface]);
    throw e;
  }
  return link;
}
