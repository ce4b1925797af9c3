/**
 * A redundant VPC's two router VMs (`redundantvpcrouter`) as CloudStack's systemvm runs them
 * (cs/CsRedundant.py, templates/keepalived.conf.templ; docs/local-cloud-router-life.md):
 * - set_primary: public NIC up, default route, `ipsec restart` (charon starts, runs its start-scripts and loads
 *   /etc/ipsec.d/*.conf), and keepalived's tier gateway address; set_backup: public NIC down, `ipsec stop`.
 *   conntrackd, dnsmasq, xl2tpd and the password server are not modelled;
 * - keepalived: a timer per pair applies vrrp.ts (adverts every 1 s, master-down 3.609 s, nopreempt);
 * - the life-cycle API: stopRouter/rebootRouter/startRouter act on one VM (a rebooted or started VM comes back as
 *   BACKUP); restartVPC cleanup=true re-creates both; failRouter (a test hook) halts a VM behind CloudStack's back.
 */
import type { RouterLifecycle } from "../types";
import { waitFor } from "./exec";
import type { NetnsRouter } from "./netns-router";
import { releasePublicAndGateway, takePublicAndGateway } from "./pair-topology";
import { bootRouter, charonRunning, haltRouter, recreateRouter } from "./router-life";
import type { RouterVm, RouterVmView } from "./router-vm";
import { CLOUDSTACK_VRRP, electPrimary, lastAdvertAt, masterDownIntervalMs, type VrrpConfig } from "./vrrp";

/** CsRedundant.set_primary (the parts that matter to a site-to-site VPN). */
export async function setPrimary(r: NetnsRouter, vm: RouterVm): Promise<void> {
  await takePublicAndGateway(r.topo, vm.ns);
  if (charonRunning(vm)) await vm.vr.exec(["ipsec", "stop"], { allowFail: true, timeoutMs: 15_000 });
  await vm.vr.start();
}

/** CsRedundant.set_backup: public NIC down, `service ipsec stop`. */
export async function setBackup(r: NetnsRouter, vm: RouterVm): Promise<void> {
  await releasePublicAndGateway(r.topo, vm.ns);
  if (charonRunning(vm)) {
    await vm.vr.exec(["ipsec", "stop"], { allowFail: true, timeoutMs: 15_000 });
    if (charonRunning(vm)) await vm.vr.kill();
  }
}

/** keepalived on both VMs of a pair, as one timer over their states (the adverts are not sent as packets). */
export class Keepalived {
  private timer: NodeJS.Timeout | undefined;
  private last = performance.now();
  paused = false;
  readonly downMs: number;
  private readonly advertMs: number;

  constructor(
    private readonly r: NetnsRouter,
    config: VrrpConfig = CLOUDSTACK_VRRP,
  ) {
    this.downMs = masterDownIntervalMs(config);
    this.advertMs = config.advertIntS * 1000;
  }

  start(): void {
    this.last = performance.now();
    this.timer = setInterval(() => this.tick(), 100);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A PRIMARY just finished set_primary (or was made one at creation): its adverts count from now. */
  advertised(): void {
    this.last = performance.now();
  }

  private tick(): void {
    const now = performance.now();
    const vms = this.r.vmList;
    if (vms.some((v) => v.role === "PRIMARY")) {
      this.last = lastAdvertAt(this.last, now, this.advertMs);
      return;
    }
    if (this.paused) return;
    const index = electPrimary(vms, this.last, now, this.downMs);
    if (index === undefined) return;
    const vm = vms[index]!;
    // keepalived enters MASTER (and advertises) at once; notify_primary runs set_primary, which CloudStack's
    // checkrouter.sh reports as PRIMARY only once it has finished (listRouters shows BACKUP meanwhile).
    vm.role = "PRIMARY";
    vm.promoting = true;
    this.last = now;
    const started = now;
    void vm.serial(async () => {
      if (vm.role !== "PRIMARY") return;
      try {
        await setPrimary(this.r, vm);
        this.r.log.push(`${vm.name}: set_primary done in ${Math.round(performance.now() - started)} ms`);
      } catch (e) {
        this.r.log.push(`${vm.name}: set_primary failed: ${(e as Error).message}`);
      } finally {
        vm.promoting = false;
      }
    });
  }
}

/** The VM that is PRIMARY with set_primary finished (charon running), if any. */
export function primaryVm(r: NetnsRouter): RouterVm | undefined {
  return r.vmList.find((v) => v.role === "PRIMARY" && !v.promoting && v.state === "Running");
}

export async function waitForPrimary(r: NetnsRouter, timeoutMs: number): Promise<RouterVmView> {
  const vm = await waitFor("a PRIMARY router VM with set_primary finished", () => primaryVm(r), { timeoutMs, intervalMs: 25 }, () => r.vmList.map((v) => `${v.name}: ${v.role}${v.promoting ? " (set_primary running)" : ""} ${v.state}`).join("; "));
  return vm.view();
}

function find(r: NetnsRouter, id: string): RouterVm {
  const vm = r.vmList.find((v) => v.routerId === id);
  if (!vm) throw new Error(`router ${id} is not a VM of this redundant VPC (${r.vmList.map((v) => v.routerId).join(", ")})`);
  return vm;
}

/** Runs `fn` on VM `id`'s queue. */
function onVm(r: NetnsRouter, id: string, fn: (vm: RouterVm) => Promise<void>): Promise<void> {
  try {
    const vm = find(r, id);
    return vm.serial(() => fn(vm));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** failRouter: the VM dies (power loss, kernel panic) without CloudStack being told. */
export function failVm(r: NetnsRouter, id: string): Promise<void> {
  return onVm(r, id, async (vm) => {
    haltRouter(r, vm);
    vm.crashed = true;
  });
}

/** restartVPC cleanup=true on a pair: both VMs re-created (new namespaces, disks, host keys, ids); the first is made PRIMARY. */
async function recreatePair(r: NetnsRouter, keepalived: Keepalived): Promise<void> {
  keepalived.paused = true;
  try {
    await r.serialAll(async () => {
      for (const vm of r.vmList) {
        vm.role = "DOWN";
        await recreateRouter(r, vm);
      }
      const first = r.vmList[0]!;
      first.role = "PRIMARY";
      first.promoting = true;
      try {
        await setPrimary(r, first);
      } finally {
        first.promoting = false;
        keepalived.advertised();
      }
    });
  } finally {
    keepalived.paused = false;
  }
}

export function redundantLifecycle(r: NetnsRouter, keepalived: Keepalived): RouterLifecycle {
  return {
    listRouters: (vpcId) => {
      r.vpcId ??= vpcId;
      return r.vpcId === vpcId ? r.vmList.map((vm) => vm.info(r.topo.publicIp)) : [];
    },
    rebootRouter: (id) =>
      onVm(r, id, async (vm) => {
        haltRouter(r, vm);
        await bootRouter(r, vm);
      }),
    stopRouter: (id) =>
      onVm(r, id, async (vm) => {
        haltRouter(r, vm);
        vm.state = "Stopped";
        vm.crashed = false;
      }),
    // CloudStack starts only a Stopped VM; a crashed one it still believes Running (rebootRouter revives it).
    startRouter: (id) => onVm(r, id, async (vm) => (vm.state === "Running" ? undefined : bootRouter(r, vm))),
    restartVpc: async (vpcId, cleanup) => {
      if (vpcId !== r.vpcId) return;
      if (cleanup) return recreatePair(r, keepalived);
      await Promise.all(r.vmList.filter((vm) => vm.state === "Running" && !vm.crashed).map((vm) => vm.serial(async () => void r.reconfigurations.push(await vm.s2s.apply()))));
    },
  };
}
