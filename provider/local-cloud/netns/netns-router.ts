/**
 * A real virtual router for the local cloud (`local-cloud --vr netns`, root only): the VPC router is a network
 * namespace with strongSwan (starter/stroke, like the VR), iptables and OpenSSH on 169.254.x.2:3922, next to an
 * "internet" router with a bridge, a guest host in the VPC tier, and branch CPEs added on demand. CloudStack's data
 * bags are applied the way its VR applies them (vr-site2site.ts, vr-netfilter.ts); the status check reads the real
 * `ipsec statusall`. The provider reaches the router over the control link (control-link.ts) for SSH only.
 */
import { randomBytes, randomUUID } from "node:crypto";
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
import { createSshdKeys, startSshd, type SshdKeys } from "./vr-sshd";
import { VrSite2Site, type Reconfiguration } from "./vr-site2site";
import { bootRouter, haltRouter, recreateRouter } from "./router-life";

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
}

/** How the provider reaches the router: what the CLI writes into the credentials file under `vr`. */
export interface VrAccess {
  sshHost: string;
  sshPort: number;
  /** Host key pin, `SHA256:…`. */
  hostKey: string;
  privateKeyFile: string;
  publicIp: string;
  publicInterface: string;
}

export class NetnsRouter implements VirtualRouter {
  readonly cpes = new Map<string, Instance>();
  /** Every reconfiguration, oldest first (for tests and the demo). */
  readonly reconfigurations: Reconfiguration[] = [];
  readonly log: string[] = [];
  access!: VrAccess;
  sshdPid = 0;
  vr!: Instance;
  link!: ControlLink;
  /** CloudStack's id of the router VM (listRouters): a re-created router gets a new one. */
  routerId = randomUUID();
  /** `Running`, or `Stopped` between a stopRouter and a startRouter. */
  state: "Running" | "Stopped" = "Running";
  /** Boots of this router VM (1 after create; a reboot adds one; a re-created router starts at 1 again). */
  boots = 1;
  /** The VM's number in its name (`r-<n>-VM`); a re-created router is another VM. */
  vmNumber = 4;
  /** The VPC this router serves (listRouters): set by the caller, else the first VPC it is asked about. */
  vpcId: string | undefined;
  keys!: SshdKeys;
  /** @internal (router-life.ts) */
  s2s!: VrSite2Site;
  /** @internal (router-life.ts) */
  netfilter!: VrNetfilter;
  private queue: Promise<unknown> = Promise.resolve();
  private unregister: () => void = () => undefined;
  private closed = false;

  private constructor(
    readonly prefix: string,
    readonly dir: string,
    readonly topo: Topology,
    readonly dataplane: DataPlane,
    readonly vpcCidr: string,
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
    const router = new NetnsRouter(prefix, dir, topo, dataplane, options.vpcCidr ?? "10.1.0.0/16");
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
    await this.topo.build();
    this.link = createControlLink(this.topo.vr, `s2sc${this.prefix.slice(3)}`);
    this.netfilter = new VrNetfilter(nsExec(this.topo.vr));
    this.netfilter.installBase(this.baseRules());
    this.vr = new Instance("vr", this.topo.vr, join(this.dir, "inst", "vr"), "stroke", this.dataplane);
    this.vr.prepare();
    await this.vr.start();
    mkdirSync(dirname(keyBase), { recursive: true, mode: 0o700 });
    this.keyBase = keyBase;
    this.keys = createSshdKeys(keyBase);
    this.sshdPid = await startSshd(this.vr, join(this.dir, "sshd"), this.keys, this.link.vrAddress);
    this.s2s = new VrSite2Site(this.vr, this.netfilter, this.topo.publicIp, this.topo.publicInterface, (l) => this.log.push(l));
    this.setAccess();
  }

  /** @internal */
  keyBase = "";

  info(): RouterInfo {
    return { id: this.routerId, name: `r-${this.vmNumber}-VM`, state: this.state, publicIp: this.topo.publicIp, linkLocalIp: this.link.vrAddress, redundantState: "UNKNOWN", isRedundant: false };
  }

  /** The API's view of this router's life (listRouters, rebootRouter, stopRouter, startRouter, restartVPC). */
  readonly lifecycle: RouterLifecycle = {
    listRouters: (vpcId) => {
      this.vpcId ??= vpcId;
      return this.vpcId === vpcId ? [this.info()] : [];
    },
    rebootRouter: (id) => this.mine(id, () => this.reboot()),
    stopRouter: (id) => this.mine(id, () => this.stop()),
    startRouter: (id) => this.mine(id, () => this.startRouter()),
    restartVpc: (vpcId, cleanup) => (vpcId !== this.vpcId ? Promise.resolve() : cleanup ? this.recreate() : this.serial(async () => void this.reconfigurations.push(await this.s2s.apply()))),
  };

  private mine(id: string, fn: () => Promise<void>): Promise<void> {
    if (id !== this.routerId) return Promise.reject(new Error(`router ${id} is not this router (${this.routerId})`));
    return fn();
  }

  /** @internal The router's standard rules (what CloudStack's boot configuration installs). */
  baseRules(): string {
    return baseRuleset({ publicInterface: this.topo.publicInterface, guestInterface: "eth2", controlInterface: this.link.vrInterface, vpcCidr: this.vpcCidr, dataplane: this.dataplane });
  }

  /** @internal */
  setAccess(): void {
    this.access = { sshHost: this.link.vrAddress, sshPort: 3922, hostKey: this.keys.hostKeyFingerprint, privateKeyFile: this.keys.loginKeyFile, publicIp: this.topo.publicIp, publicInterface: this.topo.publicInterface };
  }

  /**
   * rebootRouter: the disk stays (every file under /etc), everything volatile goes — processes (charon, sshd, any
   * watcher), iptables, conntrack, XFRM state, /run — then the router boots: its standard firewall, strongSwan
   * (`ipsec start`, which runs charon's start-scripts), sshd with the same host key, and CloudStack's complete
   * configuration again (the data bag re-applied, CsNetfilters included). Resolves when SSH answers again.
   */
  reboot(): Promise<void> {
    return this.serial(async () => {
      haltRouter(this);
      await bootRouter(this);
    });
  }

  /** stopRouter: the router is off (no process, no rule, no SA) until startRouter (a boot). */
  stop(): Promise<void> {
    return this.serial(async () => {
      haltRouter(this);
      this.state = "Stopped";
    });
  }

  startRouter(): Promise<void> {
    return this.serial(async () => {
      if (this.state === "Running") return;
      await bootRouter(this);
    });
  }

  /**
   * restartVPC with cleanup=true: a new router from the template in place of this one — a new namespace, a new
   * disk (no pushed file), a new SSH host key, a new router id — with the same public IP and tier, and the same
   * control address (see docs/local-cloud-router-life.md); CloudStack then sends it the complete configuration.
   */
  recreate(): Promise<void> {
    return this.serial(() => recreateRouter(this));
  }

  /** One reconfiguration at a time, as the VR's update_config serialises them. */
  /** @internal */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  applySite2SiteVpn(_vpcId: string, bag: Site2SiteVpnDataBag): Promise<void> {
    return this.serial(async () => {
      if (this.closed) throw new Error("netns VR is closed");
      if (this.state === "Stopped") throw new Error("Unable to apply site 2 site VPN configuration, virtual router is not in the right state");
      try {
        this.reconfigurations.push(await this.s2s.apply(bag));
      } catch (e) {
        // CloudStack shows only "Failed to apply site-to-site VPN"; the router keeps the reason, as a VR's log does.
        this.log.push(`site2sitevpn ${dataBagKey(bag)} failed: ${(e as Error).message}`);
        throw e;
      }
    });
  }

  /** As checkbatchs2svpn.sh: ESTABLISHED in the real `ipsec statusall` for `vpn-<ip>`, or the dynamic peer's connection. */
  async checkConnections(_vpcId: string, peers: string[]): Promise<Record<string, boolean>> {
    if (this.state === "Stopped") return Object.fromEntries(peers.map((p) => [p, false]));
    const sas = parseStrokeStatus((await this.vr.exec(["ipsec", "statusall"], { timeoutMs: 10_000 })).stdout);
    const report: Record<string, boolean> = {};
    for (const peer of peers) {
      const entry = [...this.s2s.databag.values()].find((b) => dataBagKey(b) === peer);
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
    destroyNamespaces(this.namespaces());
    if (process.env.S2S_KEEP_LOGS !== "1") rmSync(this.dir, { recursive: true, force: true });
  }

  /** Removes everything; returns what is still left (must be empty). */
  async close(): Promise<{ namespaces: string[]; controlLink: boolean }> {
    await this.queue;
    this.unregister();
    this.destroySync();
    // The kernel tears a namespace down asynchronously; the root end of the control link goes with it.
    const linkUp = (): boolean => this.link !== undefined && runSync(["ip", "link", "show", this.link.rootInterface]).code === 0;
    await waitFor("the control link to disappear with the router namespace", () => !linkUp(), { timeoutMs: 10_000 }).catch(() => undefined);
    return { namespaces: this.namespaces(), controlLink: linkUp() };
  }
}
