/**
 * The netns router's life events, as a CloudStack VR lives them (docs/local-cloud-router-life.md):
 * - halt: what a power-off loses — every process in the router (charon, starter, sshd, SSH sessions, anything a
 *   push started), iptables (all tables, own chains included), conntrack, XFRM state and /run (tmpfs). The disk
 *   (the instance's /etc/ipsec.d, /etc/strongswan.d, the host key) stays.
 * - boot: the router's standard firewall, strongSwan (`ipsec start`: charon runs its start-scripts), sshd (same host
 *   key), then CloudStack's complete configuration again (the whole data bag, CsNetfilters included).
 * - re-creation (restartVPC cleanup=true): a new namespace from the template: new disk, new host key, new id.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createControlLink } from "./control-link";
import { runSync, waitFor } from "./exec";
import { isAlive, killNamespaceProcesses } from "./namespaces";
import type { RouterLifecycle } from "../types";
import type { NetnsRouter } from "./netns-router";
import { GUEST_INTERFACE, rebuildPairVm } from "./pair-topology";
import type { RouterVm } from "./router-vm";
import { Instance } from "./strongswan-instance";
import { VrNetfilter, nsExec } from "./vr-netfilter";
import { createSshdKeys, startSshd } from "./vr-sshd";
import { VrSite2Site } from "./vr-site2site";

/** Empty tables with ACCEPT policies: iptables-restore (without --noflush) flushes each table and its own chains. */
const EMPTY_TABLES = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
COMMIT
`;

function must(ns: string, argv: string[], input?: string): void {
  const r = nsExec(ns)(argv, input);
  if (r.code !== 0) throw new Error(`netns VR: \`${argv.join(" ")}\` exited ${r.code}: ${r.stderr.trim()}`);
}

/** Power off, keeping the disk. A VM of a redundant pair also loses its NICs' carrier (the inet/guest bridges see the port go down). */
export function haltRouter(r: NetnsRouter, vm: RouterVm = r.vms0): void {
  const ns = vm.ns;
  killNamespaceProcesses([ns]);
  must(ns, ["iptables-restore"], EMPTY_TABLES);
  nsExec(ns)(["conntrack", "-F"]);
  nsExec(ns)(["ip", "xfrm", "state", "flush"]);
  nsExec(ns)(["ip", "xfrm", "policy", "flush"]);
  // /run is a tmpfs on the router: pid files, sockets, locks and whatever a watcher kept there are gone.
  const run = join(vm.vr.dir, "run");
  for (const name of readdirSync(run)) rmSync(join(run, name), { recursive: true, force: true });
  vm.sshdPid = 0;
  if (vm.redundant) {
    for (const dev of [r.topo.publicInterface, GUEST_INTERFACE]) nsExec(ns)(["ip", "link", "set", dev, "down"]);
    vm.role = "DOWN";
    vm.promoting = false;
  }
}

/**
 * Power on: standard firewall, strongSwan, sshd, then CloudStack's full configuration. A VM of a redundant pair
 * comes up as keepalived starts it, BACKUP (`state BACKUP` + nopreempt in keepalived.conf.templ): guest NIC up,
 * public NIC down, ipsec stopped (set_backup), so the data bag writes files and rules but loads nothing.
 */
export async function bootRouter(r: NetnsRouter, vm: RouterVm = r.vms0): Promise<void> {
  vm.netfilter.installBase(r.baseRules(vm));
  if (vm.redundant) nsExec(vm.ns)(["ip", "link", "set", GUEST_INTERFACE, "up"]);
  else await vm.vr.start();
  vm.sshdPid = await startSshd(vm.vr, vm.sshdDir, vm.keys, vm.link.vrAddress);
  vm.state = "Running";
  vm.crashed = false;
  vm.boots++;
  r.reconfigurations.push(await vm.s2s.apply());
  if (vm.redundant) {
    vm.role = "BACKUP";
    vm.backupSince = performance.now();
  }
}

/** A VM's VrSite2Site: CloudStack's data bag processor, knowing whether this VM's charon runs. */
export function site2siteOf(r: NetnsRouter, vm: RouterVm): VrSite2Site {
  const running = vm.redundant ? () => charonRunning(vm) : undefined;
  return new VrSite2Site(vm.vr, vm.netfilter, r.topo.publicIp, r.topo.publicInterface, (l) => r.log.push(vm.index === 0 ? l : `${vm.name}: ${l}`), running);
}

export function charonRunning(vm: RouterVm): boolean {
  const pid = vm.vr.pid();
  return pid !== undefined && isAlive(pid);
}

/** restartVPC cleanup=true: the old router VM destroyed, a new one made from the template and configured. */
export async function recreateRouter(r: NetnsRouter, vm: RouterVm = r.vms0): Promise<void> {
  const ns = vm.ns;
  const subnet = Number(vm.link.vrAddress.split(".")[2]);
  killNamespaceProcesses([ns]);
  if (vm.redundant) await rebuildPairVm(r.topo, vm.index, ns);
  else await r.topo.rebuildVr();
  // The root end of the old control link went with the old namespace (a veth pair dies whole).
  await waitFor("the old control link gone", () => runSync(["ip", "link", "show", vm.link.rootInterface]).code !== 0, { timeoutMs: 10_000 });
  vm.link = createControlLink(ns, vm.link.rootInterface, subnet);
  const oldDir = vm.vr.dir;
  vm.vr = new Instance(vm.diskName, ns, join(r.dir, "inst", `${vm.diskName}-${randomUUID().slice(0, 8)}`), "stroke", r.dataplane);
  vm.vr.prepare();
  rmSync(oldDir, { recursive: true, force: true });
  mkdirSync(vm.sshdDir, { recursive: true, mode: 0o700 });
  vm.keys = createSshdKeys(vm.keyBase, vm.index === 0 ? { keepLogin: true } : { loginKeyFile: r.vms0.keys.loginKeyFile });
  vm.netfilter = new VrNetfilter(nsExec(ns));
  // CloudStack keeps the configuration in its database and sends all of it to the new router.
  const bag = [...vm.s2s.databag.values()];
  vm.s2s = site2siteOf(r, vm);
  for (const entry of bag) vm.s2s.databag.set(entry.dynamic_peer ? (entry.peer_id ?? "") : (entry.peer_gateway_ip ?? ""), entry);
  vm.routerId = randomUUID();
  vm.vmNumber += r.vmList.length;
  vm.boots = 0;
  vm.crashed = false;
  vm.state = "Running";
  await bootRouter(r, vm);
  vm.setAccess(r.topo.publicIp, r.topo.publicInterface);
}

/**
 * A plain VPC's router life-cycle (one VM; redundancy.ts has the pair's):
 * - rebootRouter: the disk stays (every file under /etc), everything volatile goes — processes (charon, sshd, any
 *   watcher), iptables, conntrack, XFRM state, /run — then the router boots: its standard firewall, strongSwan
 *   (`ipsec start`, which runs charon's start-scripts), sshd with the same host key, and CloudStack's complete
 *   configuration again (the data bag re-applied, CsNetfilters included). Resolves when SSH answers again.
 * - stopRouter: the router is off (no process, no rule, no SA) until startRouter (a boot).
 * - restartVPC with cleanup=true: a new router from the template in place of this one — a new namespace, a new
 *   disk (no pushed file), a new SSH host key, a new router id — with the same public IP and tier, and the same
 *   control address (see docs/local-cloud-router-life.md); CloudStack then sends it the complete configuration.
 */
export function singleLifecycle(r: NetnsRouter): RouterLifecycle {
  const mine = (id: string, fn: () => Promise<void>): Promise<void> =>
    id !== r.vms0.routerId ? Promise.reject(new Error(`router ${id} is not this router (${r.vms0.routerId})`)) : r.serial(fn);
  return {
    listRouters: (vpcId) => {
      r.vpcId ??= vpcId;
      return r.vpcId === vpcId ? [r.info()] : [];
    },
    rebootRouter: (id) =>
      mine(id, async () => {
        haltRouter(r);
        await bootRouter(r);
      }),
    stopRouter: (id) =>
      mine(id, async () => {
        haltRouter(r);
        r.vms0.state = "Stopped";
      }),
    startRouter: (id) => mine(id, async () => (r.vms0.state === "Running" ? undefined : bootRouter(r))),
    restartVpc: (vpcId, cleanup) =>
      vpcId !== r.vpcId ? Promise.resolve() : r.serial(async () => (cleanup ? recreateRouter(r) : void r.reconfigurations.push(await r.vms0.s2s.apply()))),
  };
}
