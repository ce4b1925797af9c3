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
import { isAlive, namespacePids } from "./namespaces";
import type { NetnsRouter } from "./netns-router";
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

function killAll(ns: string): void {
  const pids = namespacePids(ns);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  const deadline = Date.now() + 5_000;
  while (pids.some(isAlive) && Date.now() < deadline) runSync(["sleep", "0.02"]);
}

/** Power off, keeping the disk. */
export function haltRouter(r: NetnsRouter): void {
  const ns = r.topo.vr;
  killAll(ns);
  must(ns, ["iptables-restore"], EMPTY_TABLES);
  nsExec(ns)(["conntrack", "-F"]);
  nsExec(ns)(["ip", "xfrm", "state", "flush"]);
  nsExec(ns)(["ip", "xfrm", "policy", "flush"]);
  // /run is a tmpfs on the router: pid files, sockets, locks and whatever a watcher kept there are gone.
  const run = join(r.vr.dir, "run");
  for (const name of readdirSync(run)) rmSync(join(run, name), { recursive: true, force: true });
  r.sshdPid = 0;
}

/** Power on: standard firewall, strongSwan, sshd, then CloudStack's full configuration. */
export async function bootRouter(r: NetnsRouter): Promise<void> {
  r.netfilter.installBase(r.baseRules());
  await r.vr.start();
  r.sshdPid = await startSshd(r.vr, join(r.dir, "sshd"), r.keys, r.link.vrAddress);
  r.state = "Running";
  r.boots++;
  r.reconfigurations.push(await r.s2s.apply());
}

/** restartVPC cleanup=true: the old router destroyed, a new one made from the template and configured. */
export async function recreateRouter(r: NetnsRouter): Promise<void> {
  const ns = r.topo.vr;
  const subnet = Number(r.link.vrAddress.split(".")[2]);
  killAll(ns);
  await r.topo.rebuildVr();
  // The root end of the old control link went with the old namespace (a veth pair dies whole).
  await waitFor("the old control link gone", () => runSync(["ip", "link", "show", r.link.rootInterface]).code !== 0, { timeoutMs: 10_000 });
  r.link = createControlLink(ns, r.link.rootInterface, subnet);
  const oldDir = r.vr.dir;
  r.vr = new Instance("vr", ns, join(r.dir, "inst", `vr-${randomUUID().slice(0, 8)}`), "stroke", r.dataplane);
  r.vr.prepare();
  rmSync(oldDir, { recursive: true, force: true });
  mkdirSync(join(r.dir, "sshd"), { recursive: true, mode: 0o700 });
  r.keys = createSshdKeys(r.keyBase, { keepLogin: true });
  r.netfilter = new VrNetfilter(nsExec(ns));
  // CloudStack keeps the configuration in its database and sends all of it to the new router.
  const bag = [...r.s2s.databag.values()];
  r.s2s = new VrSite2Site(r.vr, r.netfilter, r.topo.publicIp, r.topo.publicInterface, (l) => r.log.push(l));
  for (const entry of bag) r.s2s.databag.set(entry.dynamic_peer ? (entry.peer_id ?? "") : (entry.peer_gateway_ip ?? ""), entry);
  r.routerId = randomUUID();
  r.vmNumber++;
  r.boots = 0;
  await bootRouter(r);
  r.setAccess();
}
