/**
 * One router VM of the local cloud's netns VPC router: its namespace, its disk (a strongSwan instance directory),
 * its sshd with its own host key on its own link-local control address, its firewall and its copy of CloudStack's
 * `site2sitevpn` data bag. A plain VPC has one; a redundant VPC (`redundantvpcrouter`) two (redundancy.ts).
 * Each VM keeps its own queue: one reconfiguration at a time per VM, as the VR's update_config serialises them,
 * while the other VM of a pair lives on independently (a failover never waits for the other VM's reboot).
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { RouterInfo } from "../types";
import type { ControlLink } from "./control-link";
import type { Instance } from "./strongswan-instance";
import type { SshdKeys } from "./vr-sshd";
import type { VrNetfilter } from "./vr-netfilter";
import type { VrSite2Site } from "./vr-site2site";

/** How the provider reaches a router VM: what the CLI writes into the credentials file under `vr`. */
export interface VrAccess {
  sshHost: string;
  sshPort: number;
  /** Host key pin, `SHA256:…`. */
  hostKey: string;
  privateKeyFile: string;
  publicIp: string;
  publicInterface: string;
}

/** keepalived's view of a VM of a redundant pair; `DOWN` while it is halted (stopped, crashed, rebooting). */
export type VrrpRole = "PRIMARY" | "BACKUP" | "DOWN";

/** A router VM as tests and the CLI see it. */
export interface RouterVmView {
  id: string;
  name: string;
  /** What listRouters shows: `PRIMARY`/`BACKUP` for a running VM of a redundant pair, else `UNKNOWN`. */
  redundantState: RouterInfo["redundantState"];
  /** CloudStack's VM state (a crashed VM still shows `Running`: see failRouter). */
  state: RouterInfo["state"];
  access: VrAccess;
  namespace: string;
}

export class RouterVm {
  vr!: Instance;
  link!: ControlLink;
  keys!: SshdKeys;
  netfilter!: VrNetfilter;
  s2s!: VrSite2Site;
  access!: VrAccess;
  sshdPid = 0;
  /** CloudStack's id of the router VM (listRouters): a re-created router gets a new one. */
  routerId = randomUUID();
  /** CloudStack's view: `Running`, or `Stopped` between a stopRouter and a startRouter. */
  state: "Running" | "Stopped" = "Running";
  /** Boots of this VM (1 after create; a reboot adds one; a re-created VM starts at 1 again). */
  boots = 1;
  /** Halted without CloudStack knowing (failRouter): listRouters still shows it Running. */
  crashed = false;
  /** Redundant pairs only (redundancy.ts). */
  role: VrrpRole = "BACKUP";
  /** When this VM last became a live BACKUP (keepalived starts its master-down timer then). */
  backupSince = 0;
  /** set_primary is running on this VM. */
  promoting = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    /** 0 = the VM that is PRIMARY at creation (and the only one of a plain VPC). */
    readonly index: number,
    readonly ns: string,
    /** The router's work directory (shared by the VMs of a pair; each VM has its own subdirectories). */
    readonly routerDir: string,
    /** `<keyBase>.host_ed25519` is this VM's host key. */
    readonly keyBase: string,
    /** Root-side name of this VM's control link. */
    readonly linkName: string,
    /** The VM's number in its name (`r-<n>-VM`); a re-created VM is another VM. */
    public vmNumber: number,
    readonly redundant: boolean,
  ) {}

  /** Directory of this VM's sshd config, authorized_keys and log. */
  get sshdDir(): string {
    return join(this.routerDir, this.index === 0 ? "sshd" : `sshd${this.index + 1}`);
  }

  /** Base name of this VM's disk (strongSwan instance) directory under `<routerDir>/inst`. */
  get diskName(): string {
    return this.index === 0 ? "vr" : `vr${this.index + 1}`;
  }

  get name(): string {
    return `r-${this.vmNumber}-VM`;
  }

  /** Processes run: not halted (stopped, crashed, or between the halt and the boot of a reboot). */
  get powered(): boolean {
    return this.role !== "DOWN";
  }

  setAccess(publicIp: string, publicInterface: string): void {
    this.access = { sshHost: this.link.vrAddress, sshPort: 3922, hostKey: this.keys.hostKeyFingerprint, privateKeyFile: this.keys.loginKeyFile, publicIp, publicInterface };
  }

  /** listRouters' redundantstate: CloudStack shows UNKNOWN for a VM that is not Running or that it cannot check. */
  redundantState(): RouterInfo["redundantState"] {
    if (!this.redundant || this.state !== "Running" || this.crashed || this.role === "DOWN") return "UNKNOWN";
    return this.role === "PRIMARY" && !this.promoting ? "PRIMARY" : "BACKUP";
  }

  info(publicIp: string): RouterInfo {
    return { id: this.routerId, name: this.name, state: this.state, publicIp, linkLocalIp: this.link.vrAddress, redundantState: this.redundantState(), isRedundant: this.redundant };
  }

  view(): RouterVmView {
    return { id: this.routerId, name: this.name, redundantState: this.redundantState(), state: this.state, access: this.access, namespace: this.ns };
  }

  serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves when everything queued so far on this VM has run. */
  idle(): Promise<unknown> {
    return this.queue;
  }
}
