/**
 * The links of a redundant VPC's two router VMs (`redundantvpcrouter`), as the hypervisor wires them:
 * - public: a bridge `br1` in the internet namespace (198.51.100.1/24, the VPC's public gateway); each VM's `eth1`
 *   is a port of it, with the SAME public IP and the SAME MAC (CsRedundant.set_primary: "The first public interface
 *   has a static MAC address between VRs"), link down except on the PRIMARY — so no ARP update is needed on
 *   failover: the bridge forgets the dead port's entries when its carrier drops and floods until it learns the new
 *   port from the new primary's first frame;
 * - guest: a bridge `br0` in the guest namespace (the tier); each VM's `eth2` has its own tier address
 *   (.252, .253) and is up on both VMs (VRRP adverts run there); the tier gateway (.1) is keepalived's virtual
 *   address, on the PRIMARY only (redundancy.ts).
 * Every veth is created with both ends inside lab namespaces, as in topology.ts.
 */
import { run } from "./exec";
import type { Topology } from "./topology";

export const GUEST_INTERFACE = "eth2";
/** Locally administered; both VMs' public NIC carries it. */
export const PUBLIC_MAC = "02:00:c6:33:64:0a";
const PUBLIC_GW = "198.51.100.1";

export function hostIn(cidr: string, last: number): string {
  const octets = (cidr.split("/")[0] ?? "").split(".");
  octets[3] = String(last);
  return octets.join(".");
}

/** Tier address of VM `index` (not the gateway: that is the VRRP address). */
export function vmGuestIp(guestCidr: string, index: number): string {
  return hostIn(guestCidr, 252 + index);
}

async function veth(nsA: string, ifA: string, nsB: string, ifB: string): Promise<void> {
  await run(["ip", "-n", nsA, "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", nsB]);
}

/** Builds the inet/guest bridges (the topology has built the inet and guest namespaces) and both VMs. */
export async function buildPair(topo: Topology, vmNamespaces: string[]): Promise<void> {
  const prefix = topo.guestCidr.split("/")[1];
  await run(["ip", "-n", topo.inet, "link", "add", "br1", "type", "bridge"]);
  await run(["ip", "-n", topo.inet, "addr", "add", `${PUBLIC_GW}/24`, "dev", "br1"]);
  await run(["ip", "-n", topo.inet, "link", "set", "br1", "up"]);
  await run(["ip", "-n", topo.guest, "link", "add", "br0", "type", "bridge"]);
  await run(["ip", "-n", topo.guest, "addr", "add", `${topo.guestHostIp}/${prefix}`, "dev", "br0"]);
  await run(["ip", "-n", topo.guest, "link", "set", "br0", "up"]);
  await run(["ip", "-n", topo.guest, "route", "add", "default", "via", hostIn(topo.guestCidr, 1)]);
  for (const [i, ns] of vmNamespaces.entries()) {
    await run(["ip", "netns", "add", ns]);
    topo.namespaces.push(ns);
    await attachVm(topo, i, ns);
  }
}

/** A new namespace for VM `index` in place of the old one (restartVPC cleanup=true); the bridges stay. */
export async function rebuildPairVm(topo: Topology, index: number, ns: string): Promise<void> {
  await run(["ip", "netns", "del", ns]);
  await run(["ip", "netns", "add", ns]);
  await attachVm(topo, index, ns);
}

async function attachVm(topo: Topology, index: number, ns: string): Promise<void> {
  const prefix = topo.guestCidr.split("/")[1];
  await run(["ip", "-n", ns, "link", "set", "lo", "up"]);
  await run(["ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1"]);
  const pubPort = `vr${index}`;
  await veth(topo.inet, pubPort, ns, topo.publicInterface);
  await run(["ip", "-n", ns, "link", "set", topo.publicInterface, "address", PUBLIC_MAC]);
  await run(["ip", "-n", ns, "addr", "add", `${topo.publicIp}/24`, "dev", topo.publicInterface]);
  await run(["ip", "-n", topo.inet, "link", "set", pubPort, "master", "br1"]);
  await run(["ip", "-n", topo.inet, "link", "set", pubPort, "up"]);
  const guestPort = `gv${index}`;
  await veth(topo.guest, guestPort, ns, GUEST_INTERFACE);
  await run(["ip", "-n", ns, "addr", "add", `${vmGuestIp(topo.guestCidr, index)}/${prefix}`, "dev", GUEST_INTERFACE]);
  await run(["ip", "-n", topo.guest, "link", "set", guestPort, "master", "br0"]);
  await run(["ip", "-n", topo.guest, "link", "set", guestPort, "up"]);
  // The VM's own ends stay down until it boots (bootRouter: guest up; set_primary: public up).
}

/** CsRedundant.set_primary's network part: public NIC up, default route, and keepalived's tier gateway address. */
export async function takePublicAndGateway(topo: Topology, ns: string): Promise<void> {
  await run(["ip", "-n", ns, "link", "set", topo.publicInterface, "up"]);
  await run(["ip", "-n", ns, "route", "replace", "default", "via", PUBLIC_GW, "dev", topo.publicInterface]);
  const prefix = topo.guestCidr.split("/")[1];
  await run(["ip", "-n", ns, "addr", "replace", `${hostIn(topo.guestCidr, 1)}/${prefix}`, "dev", GUEST_INTERFACE]);
  // keepalived announces the moved address with gratuitous ARP; this machine has no arping, so the tier host's
  // stale entry is dropped instead and its next packet resolves the gateway to the new primary's MAC.
  await run(["ip", "-n", topo.guest, "neigh", "flush", "to", hostIn(topo.guestCidr, 1)], { allowFail: true });
}

/** CsRedundant.set_backup's network part: public NIC down (its routes go with it), gateway address released. */
export async function releasePublicAndGateway(topo: Topology, ns: string): Promise<void> {
  await run(["ip", "-n", ns, "link", "set", topo.publicInterface, "down"]);
  const prefix = topo.guestCidr.split("/")[1];
  await run(["ip", "-n", ns, "addr", "del", `${hostIn(topo.guestCidr, 1)}/${prefix}`, "dev", GUEST_INTERFACE], { allowFail: true });
}
