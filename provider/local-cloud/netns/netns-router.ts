/**
 * A real virtual router for the local cloud (`local-cloud --vr netns`, root only): the VPC router is a network
 * namespace with strongSwan (starter/stroke, like the VR), iptables and OpenSSH on 169.254.x.2:3922, next to an
 * "internet" router with a bridge, a guest host in the VPC tier, and branch CPEs added on demand. CloudStack's data
 * bags are applied the way its VR applies them (vr-site2site.ts, vr-netfilter.ts); the status check reads the real
 * `ipsec statusall`. The provider reaches the router over the control link (control-link.ts) for SSH only.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Site2SiteVpnDataBag } from "../../model/databag";
import { dynamicConnectionName } from "../../render/names";
import type { RenderedFile } from "../../render/types";
import { dataBagKey } from "../router";
import type { RouterInfo, RouterLifecycle, VirtualRouter } from "../types";
import { createControlLink, type ControlLink } from "./control-link";
import { detectDataPlane } from "./dataplane";
import { runSync, waitFor } from "./exec";
import { destroyNamespaces, listNamespaces, NETNS_WORK_ROOT, onInterrupt } from "./namespaces";
import { ping, type PingResult } from "./ping";
import { parseStrokeStatus } from "../../push/sa-status";
import { Instance, type DataPlane } from "./strongswan-instance";
import { Topology, type BranchNodes } from "./topology";
import { baseRuleset, nsExec, VrNetfilter } from "./vr-netfilter";
import { createSshdKeys, startSshd } from "./vr-sshd";
import type { Reconfiguration } from "./vr-site2site";
import { site2siteOf, singleLifecycle } from "./router-life";
import { RouterVm, type RouterVmView, type VrAccess } from "./router-vm";
import { buildPair } from "./pair-topology";
import { failVm, Keepalived, primaryVm, redundantLifecycle, setBackup, setPrimary, waitForPrimary } from "./redundancy";

export type { RouterVmView, VrAccess } from "./router-vm";

export interface NetnsRouterOptions {
  /** The VPC's source-NAT / VPN gateway IP. @default "198.51.100.10" (the local cloud's seeded VPC) */
  publicIp?: string;
  /** @default "eth1" */
  publicInterface?: string;
  /** @default "10.1.0.0/16" (the seeded VPC) */
  vpcCidr?: string;
  /** The tier the guest host sits in. @default "10.1.1.0/24" */
  guestCidr?: string;
  /** Keys are written to `<keyBase>.host_ed25519` and `<keyBase>.login_ed25519` (0600). @default - in the router's work dir */
  keyBase?: string;
  /** 4 hex chars naming the namespaces `s2s<runId><2>-…` (the e2e run id, so its leftover check covers them). @default - random */
  runId?: string;
  /**
   * A redundant VPC (`redundantvpcrouter`): two router VMs, `<prefix>-vr` (PRIMARY at creation) and `<prefix>-vr2`,
   * with keepalived's failover (redundancy.ts). The second VM's host key is `<keyBase>2.host_ed25519`. @default false
   */
  redundant?: boolean;
}

export class NetnsRouter implements VirtualRouter {
  readonly cpes = new Map<string, Instance>();
  /** Every reconfiguration, oldest first (for tests and the demo). */
  readonly reconfigurations: Reconfiguration[] = [];
  readonly log: string[] = [];
  /** The router VMs: one, or two for a redundant VPC (index 0 is PRIMARY at creation). */
  readonly vmList: RouterVm[] = [];
  /** The VPC this router serves (listRouters): set by the caller, else the first VPC it is asked about. */
  vpcId: string | undefined;
  /** The API's view of this router's life (listRouters, rebootRouter, stopRouter, startRouter, restartVPC). */
  lifecycle!: RouterLifecycle;
  private keepalived: Keepalived | undefined;
  private unregister: () => void = () => undefined;
  private closed = false;

  private constructor(
    readonly prefix: string,
    readonly dir: string,
    readonly topo: Topology,
    readonly dataplane: DataPlane,
    readonly vpcCidr: string,
    readonly redundant: boolean,
  ) {}

  static async create(options: NetnsRouterOptions = {}): Promise<NetnsRouter> {
    if (process.getuid?.() !== 0) throw new Error("local-cloud --vr netns needs root (network namespaces, mounts, iptables); run it with sudo, or use --vr memory");
    const runId = options.runId ?? randomBytes(2).toString("hex");
    const prefix = `s2s${runId}${randomBytes(1).toString("hex")}`;
    const dir = join(NETNS_WORK_ROOT, prefix);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Owner first, namespaces second: the e2e sweeper never mistakes a router being built for a dead one.
    writeFileSync(join(dir, "owner.pid"), `${process.pid}\n`);
    const publicInterface = options.publicInterface ?? "eth1";
    const topo = new Topology(prefix, { vr: { publicIp: options.publicIp ?? "198.51.100.10", publicInterface, guestCidr: options.guestCidr ?? "10.1.1.0/24" }, branches: [] });
    const { dataplane } = detectDataPlane(`${prefix}-probe`);
    const router = new NetnsRouter(prefix, dir, topo, dataplane, options.vpcCidr ?? "10.1.0.0/16", options.redundant === true);
    router.unregister = onInterrupt(() => router.destroySync());
    try {
      await router.build(options.keyBase ?? join(dir, "vr"));
    } catch (e) {
      router.destroySync();
      throw e;
    }
    return router;
  }

  private async build(keyBase: string): Promise<void> {
    const namespaces = this.redundant ? [this.topo.vr, `${this.prefix}-vr2`] : [this.topo.vr];
    for (const [i, ns] of namespaces.entries()) {
      const link = `s2sc${this.prefix.slice(3)}${i === 0 ? "" : i + 1}`;
      this.vmList.push(new RouterVm(i, ns, this.dir, i === 0 ? keyBase : `${keyBase}${i + 1}`, link, 4 + i, this.redundant));
    }
    if (this.redundant) {
      await this.topo.build({ withoutVr: true });
      await buildPair(this.topo, namespaces);
    } else await this.topo.build();
    mkdirSync(dirname(keyBase), { recursive: true, mode: 0o700 });
    for (const vm of this.vmList) await this.buildVm(vm);
    if (!this.redundant) {
      this.lifecycle = singleLifecycle(this);
      return;
    }
    const [first, second] = this.vmList as [RouterVm, RouterVm];
    await setBackup(this, second);
    first.role = "PRIMARY";
    await setPrimary(this, first);
    this.keepalived = new Keepalived(this);
    this.keepalived.start();
    this.lifecycle = redundantLifecycle(this, this.keepalived);
  }

  private async buildVm(vm: RouterVm): Promise<void> {
    vm.link = createControlLink(vm.ns, vm.linkName);
    vm.netfilter = new VrNetfilter(nsExec(vm.ns));
    vm.netfilter.installBase(this.baseRules(vm));
    vm.vr = new Instance(vm.diskName, vm.ns, join(this.dir, "inst", vm.diskName), "stroke", this.dataplane);
    vm.vr.prepare();
    // A VM of a pair boots into keepalived's BACKUP: guest NIC up, public NIC down, no ipsec (redundancy.ts).
    if (this.redundant) nsExec(vm.ns)(["ip", "link", "set", "eth2", "up"]);
    else await vm.vr.start();
    vm.keys = createSshdKeys(vm.keyBase, vm.index === 0 ? {} : { loginKeyFile: this.vms0.keys.loginKeyFile });
    vm.sshdPid = await startSshd(vm.vr, vm.sshdDir, vm.keys, vm.link.vrAddress);
    vm.s2s = site2siteOf(this, vm);
    vm.setAccess(this.topo.publicIp, this.topo.publicInterface);
    vm.backupSince = performance.now();
  }

  /** @internal The first VM: the only one of a plain VPC, PRIMARY at creation in a pair. */
  get vms0(): RouterVm {
    return this.vmList[0]!;
  }

  // The single-VM surface older callers use: always the first VM (for a pair: the one PRIMARY at creation).
  /** How the provider reaches the (first) router VM: what the CLI writes into the credentials file under `vr`. */
  get access(): VrAccess {
    return this.vms0.access;
  }
  get vr(): Instance {
    return this.vms0.vr;
  }
  get link(): ControlLink {
    return this.vms0.link;
  }
  get sshdPid(): number {
    return this.vms0.sshdPid;
  }
  get routerId(): string {
    return this.vms0.routerId;
  }
  get state(): "Running" | "Stopped" {
    return this.vms0.state;
  }
  get boots(): number {
    return this.vms0.boots;
  }

  /** Every VM of this router, as listRouters shows it plus how to reach it. */
  vms(): RouterVmView[] {
    return this.vmList.map((vm) => vm.view());
  }

  /** The VM that is PRIMARY now with set_primary finished (charon running); a plain VPC's only VM. */
  primary(): RouterVmView | undefined {
    return this.redundant ? primaryVm(this)?.view() : this.vms0.view();
  }

  /** Resolves with the PRIMARY's view once one has finished set_primary (a failover in progress: the new one). */
  waitForPrimary(timeoutMs: number): Promise<RouterVmView> {
    return waitForPrimary(this, timeoutMs);
  }

  /** Test hook (not an API): VM `id` crashes without CloudStack knowing (listRouters keeps it Running, redundantstate UNKNOWN). */
  failRouter(id: string): Promise<void> {
    if (!this.redundant) return Promise.reject(new Error("failRouter models a VM of a redundant pair; this router is not redundant"));
    return failVm(this, id);
  }

  info(): RouterInfo {
    return this.vms0.info(this.topo.publicIp);
  }

  /** @internal The router's standard rules (what CloudStack's boot configuration installs). */
  baseRules(vm: RouterVm = this.vms0): string {
    return baseRuleset({ publicInterface: this.topo.publicInterface, guestInterface: "eth2", controlInterface: vm.link.vrInterface, vpcCidr: this.vpcCidr, dataplane: this.dataplane });
  }

  /** @internal One reconfiguration at a time per VM, as the VR's update_config serialises them (the first VM's queue). */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.vms0.serial(fn);
  }

  /** @internal `fn` once every VM's queue has reached it (router-wide operations: re-creating a pair). */
  serialAll<T>(fn: () => Promise<T>): Promise<T> {
    return this.vmList.reduceRight<() => Promise<T>>((inner, vm) => () => vm.serial(inner), fn)();
  }

  /**
   * CloudStack sends the data bag to every router VM of the VPC (contract §2: redundant ones included) and fails the
   * start/stop when one of them is not Running (the others have applied it by then); on a BACKUP the files and rules
   * are written, nothing is loaded.
   */
  applySite2SiteVpn(_vpcId: string, bag: Site2SiteVpnDataBag): Promise<void> {
    if (this.closed) return Promise.reject(new Error("netns VR is closed"));
    return Promise.all(this.vmList.map((vm) => vm.serial(() => this.applyOn(vm, bag)))).then(() => undefined);
  }

  private async applyOn(vm: RouterVm, bag: Site2SiteVpnDataBag): Promise<void> {
    const prefix = this.redundant ? `${vm.name}: ` : "";
    if (this.closed) throw new Error("netns VR is closed");
    if (vm.state === "Stopped") throw new Error("Unable to apply site 2 site VPN configuration, virtual router is not in the right state");
    if (vm.crashed) {
      this.log.push(`${prefix}site2sitevpn ${dataBagKey(bag)} failed: the router VM does not answer`);
      throw new Error(`Unable to apply site 2 site VPN configuration on router ${vm.name}: it does not answer`);
    }
    try {
      this.reconfigurations.push(await vm.s2s.apply(bag));
    } catch (e) {
      // CloudStack shows only "Failed to apply site-to-site VPN"; the router keeps the reason, as a VR's log does.
      this.log.push(`${prefix}site2sitevpn ${dataBagKey(bag)} failed: ${(e as Error).message}`);
      throw e;
    }
  }

  /**
   * As checkbatchs2svpn.sh: ESTABLISHED in the real `ipsec statusall` for `vpn-<ip>`, or the dynamic peer's
   * connection. CloudStack asks only the PRIMARY of a redundant pair (contract §2.11); none: every peer down.
   */
  async checkConnections(_vpcId: string, peers: string[]): Promise<Record<string, boolean>> {
    const vm = this.redundant ? primaryVm(this) : this.vms0;
    if (!vm || vm.state === "Stopped") return Object.fromEntries(peers.map((p) => [p, false]));
    const sas = parseStrokeStatus((await vm.vr.exec(["ipsec", "statusall"], { timeoutMs: 10_000, allowFail: this.redundant })).stdout);
    const report: Record<string, boolean> = {};
    for (const peer of peers) {
      const entry = [...vm.s2s.databag.values()].find((b) => dataBagKey(b) === peer);
      const match = entry?.dynamic_peer ? (n: string) => n.startsWith(`${dynamicConnectionName(peer)}-`) : (n: string) => n === `vpn-${peer}`;
      report[peer] = sas.some((s) => match(s.name) && s.state === "ESTABLISHED");
    }
    return report;
  }

  /** Adds a branch: a CPE namespace on the internet bridge with `wanIp`, and a LAN host behind it on `lanCidr`. */
  addBranch(spec: { name: string; wanIp: string; lanCidr: string; nat?: boolean }): Promise<BranchNodes> {
    return this.topo.addBranch(spec);
  }

  /** Moves a branch CPE to a new WAN address (a dynamic-IP peer getting a new lease). */
  setWanIp(name: string, ip: string): Promise<void> {
    return this.topo.setCpeWanIp(name, ip);
  }

  /** The branch's strongSwan instance (prepared on first use, started by startCpe). */
  cpe(name: string): Instance {
    let inst = this.cpes.get(name);
    if (!inst) {
      inst = new Instance(`cpe-${name}`, this.topo.branch(name).cpe, join(this.dir, "inst", `cpe-${name}`), "stroke", this.dataplane);
      inst.prepare();
      this.cpes.set(name, inst);
    }
    return inst;
  }

  /** Writes a rendered CPE config (e.g. renderPeer's files) into the branch's instance, with the files' modes. */
  writeCpeConfig(name: string, files: readonly RenderedFile[]): void {
    const inst = this.cpe(name);
    for (const f of files) inst.writeFile(f.path, f.content, f.mode);
  }

  startCpe(name: string): Promise<void> {
    return this.cpe(name).start();
  }

  /** ICMP from the guest host (`"guest"`) or a branch's LAN host (its name) to `to`. */
  ping(from: string, to: string, count = 3): Promise<PingResult> {
    return ping(from === "guest" ? this.topo.guest : this.topo.branch(from).lan, to, count);
  }

  get guestHostIp(): string {
    return this.topo.guestHostIp;
  }

  /** Namespaces of this router (including any a failed build left half made). */
  namespaces(): string[] {
    return listNamespaces().filter((n) => n.startsWith(`${this.prefix}-`));
  }

  /** Synchronous teardown (signal handlers): every process in our namespaces, the namespaces, the work dir. */
  destroySync(): void {
    this.closed = true;
    this.keepalived?.stop();
    destroyNamespaces(this.namespaces());
    if (process.env.S2S_KEEP_LOGS !== "1") rmSync(this.dir, { recursive: true, force: true });
  }

  /** Removes everything; returns what is still left (must be empty). */
  async close(): Promise<{ namespaces: string[]; controlLink: boolean }> {
    this.keepalived?.stop();
    await Promise.all(this.vmList.map((vm) => vm.idle()));
    this.unregister();
    this.destroySync();
    // The kernel tears a namespace down asynchronously; the root end of each control link goes with it.
    const linkUp = (): boolean => this.vmList.some((vm) => vm.link !== undefined && runSync(["ip", "link", "show", vm.link.rootInterface]).code === 0);
    await waitFor("the control links to disappear with the router namespaces", () => !linkUp(), { timeoutMs: 10_000 }).catch(() => undefined);
    return { namespaces: this.namespaces(), controlLink: linkUp() };
  }
}
