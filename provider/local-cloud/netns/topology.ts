/**
 * Declarative lab topology: a CloudStack-like VPC virtual router (VR), an "internet" router with a bridge for the
 * branches, branch CPEs (optionally behind a NAT namespace) and one LAN host per branch. Every link is a veth
 * created with both ends already inside lab namespaces (`ip -n A link add … peer … netns B`), so no namespace is
 * ever linked to the root namespace and no packet can leave the lab. Addresses are documentation/test ranges.
 */
import { run } from "./exec";

export interface BranchSpec {
  /** Short name ([a-z0-9], ≤ 6 chars): it becomes part of namespace and interface names. */
  name: string;
  /** CPE WAN address on the internet bridge (203.0.113.0/24); with `nat`, the NAT's public address instead. */
  wanIp: string;
  /** Branch LAN, e.g. 192.168.11.0/24: the CPE gets .1, the LAN host .10. */
  lanCidr: string;
  /** Put the CPE behind a masquerading NAT namespace; the CPE then sits on 100.64.<natIndex>.2/24. */
  nat?: boolean;
}

export interface TopologySpec {
  vr?: {
    /** @default 198.51.100.10 (on 198.51.100.0/24, internet side .1) */
    publicIp?: string;
    /** @default eth1, the VR renderer's default public interface */
    publicInterface?: string;
    /** Guest tier; the VR gets .1 and the guest host .10. @default 10.1.1.0/24 (inside VPC 10.1.0.0/16) */
    guestCidr?: string;
  };
  branches: BranchSpec[];
}

export const INET_BRIDGE_GW = "203.0.113.1";

export interface BranchNodes {
  spec: BranchSpec;
  cpe: string;
  lan: string;
  nat?: string;
  /** Address the CPE's WAN interface has now (changes with setCpeWanIp). */
  cpeWanIp: string;
  cpeLanIp: string;
  lanHostIp: string;
}

function hostIn(cidr: string, last: number): string {
  const [net] = cidr.split("/");
  const octets = (net ?? "").split(".");
  octets[3] = String(last);
  return octets.join(".");
}

export class Topology {
  readonly vr: string;
  readonly guest: string;
  readonly inet: string;
  readonly publicIp: string;
  readonly publicInterface: string;
  readonly guestCidr: string;
  readonly guestHostIp: string;
  readonly branches = new Map<string, BranchNodes>();
  /** Every namespace this topology created, in creation order. */
  readonly namespaces: string[] = [];

  constructor(
    readonly prefix: string,
    readonly spec: TopologySpec,
  ) {
    this.vr = `${prefix}-vr`;
    this.guest = `${prefix}-guest`;
    this.inet = `${prefix}-inet`;
    this.publicIp = spec.vr?.publicIp ?? "198.51.100.10";
    this.publicInterface = spec.vr?.publicInterface ?? "eth1";
    this.guestCidr = spec.vr?.guestCidr ?? "10.1.1.0/24";
    this.guestHostIp = hostIn(this.guestCidr, 10);
    spec.branches.forEach((b) => this.register(b));
  }

  private register(b: BranchSpec): BranchNodes {
    if (!/^[a-z0-9]{1,6}$/.test(b.name)) throw new Error(`branch name ${b.name} must match [a-z0-9]{1,6}`);
    if (this.branches.has(b.name)) throw new Error(`branch ${b.name} exists already`);
    const nodes: BranchNodes = {
      spec: b,
      cpe: `${this.prefix}-cpe-${b.name}`,
      lan: `${this.prefix}-lan-${b.name}`,
      ...(b.nat ? { nat: `${this.prefix}-nat-${b.name}` } : {}),
      cpeWanIp: b.nat ? `100.64.${this.branches.size + 1}.2` : b.wanIp,
      cpeLanIp: hostIn(b.lanCidr, 1),
      lanHostIp: hostIn(b.lanCidr, 10),
    };
    this.branches.set(b.name, nodes);
    return nodes;
  }

  /** Adds a branch (CPE + LAN host, optionally behind NAT) to a topology that is already built. */
  async addBranch(spec: BranchSpec): Promise<BranchNodes> {
    const nodes = this.register(spec);
    await this.buildBranch(nodes);
    return nodes;
  }

  branch(name: string): BranchNodes {
    const b = this.branches.get(name);
    if (!b) throw new Error(`no branch ${name}`);
    return b;
  }

  private async ns(name: string, forward: boolean): Promise<void> {
    await run(["ip", "netns", "add", name]);
    this.namespaces.push(name);
    await run(["ip", "-n", name, "link", "set", "lo", "up"]);
    if (forward) await run(["ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv4.ip_forward=1"]);
  }

  /** veth between two lab namespaces, addressed and up. `addrA`/`addrB` are CIDR-suffixed or undefined. */
  private async link(nsA: string, ifA: string, addrA: string | undefined, nsB: string, ifB: string, addrB: string | undefined): Promise<void> {
    await run(["ip", "-n", nsA, "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", nsB]);
    if (addrA) await run(["ip", "-n", nsA, "addr", "add", addrA, "dev", ifA]);
    if (addrB) await run(["ip", "-n", nsB, "addr", "add", addrB, "dev", ifB]);
    await run(["ip", "-n", nsA, "link", "set", ifA, "up"]);
    await run(["ip", "-n", nsB, "link", "set", ifB, "up"]);
  }

  /** `withoutVr`: the internet, guest and branch parts only (a redundant pair's VMs are wired by pair-topology.ts). */
  async build(options: { withoutVr?: boolean } = {}): Promise<void> {
    const guestPrefix = this.guestCidr.split("/")[1];
    await this.ns(this.inet, true);
    if (!options.withoutVr) await this.ns(this.vr, true);
    await this.ns(this.guest, false);
    await run(["ip", "-n", this.inet, "link", "add", "br0", "type", "bridge"]);
    await run(["ip", "-n", this.inet, "addr", "add", `${INET_BRIDGE_GW}/24`, "dev", "br0"]);
    await run(["ip", "-n", this.inet, "link", "set", "br0", "up"]);
    if (options.withoutVr) {
      for (const b of this.branches.values()) await this.buildBranch(b);
      return;
    }
    await this.link(this.inet, "vr0", "198.51.100.1/24", this.vr, this.publicInterface, `${this.publicIp}/24`);
    await run(["ip", "-n", this.vr, "route", "add", "default", "via", "198.51.100.1"]);
    await this.link(this.vr, "eth2", `${hostIn(this.guestCidr, 1)}/${guestPrefix}`, this.guest, "eth0", `${this.guestHostIp}/${guestPrefix}`);
    await run(["ip", "-n", this.guest, "route", "add", "default", "via", hostIn(this.guestCidr, 1)]);
    for (const b of this.branches.values()) await this.buildBranch(b);
  }

  /**
   * A new router namespace in place of the old one (CloudStack re-creating the VR: same public IP, same tier
   * gateway). The caller has killed the old router's processes; deleting its namespace takes the veths (and so the
   * internet-side and guest-side ends) with it, which are made again here.
   */
  async rebuildVr(): Promise<void> {
    await run(["ip", "netns", "del", this.vr]);
    await run(["ip", "netns", "add", this.vr]);
    await run(["ip", "-n", this.vr, "link", "set", "lo", "up"]);
    await run(["ip", "netns", "exec", this.vr, "sysctl", "-qw", "net.ipv4.ip_forward=1"]);
    const guestPrefix = this.guestCidr.split("/")[1];
    await this.link(this.inet, "vr0", "198.51.100.1/24", this.vr, this.publicInterface, `${this.publicIp}/24`);
    await run(["ip", "-n", this.vr, "route", "add", "default", "via", "198.51.100.1"]);
    await this.link(this.vr, "eth2", `${hostIn(this.guestCidr, 1)}/${guestPrefix}`, this.guest, "eth0", `${this.guestHostIp}/${guestPrefix}`);
    await run(["ip", "-n", this.guest, "route", "add", "default", "via", hostIn(this.guestCidr, 1)]);
  }

  private async buildBranch(b: BranchNodes): Promise<void> {
    const port = `p-${b.spec.name}`;
    await this.ns(b.cpe, true);
    await this.ns(b.lan, false);
    let upstream: string;
    if (b.nat) {
      const natLan = hostIn(`${b.cpeWanIp}/24`, 1);
      await this.ns(b.nat, true);
      await this.link(this.inet, port, undefined, b.nat, "wan0", `${b.spec.wanIp}/24`);
      await run(["ip", "-n", b.nat, "route", "add", "default", "via", INET_BRIDGE_GW]);
      await this.link(b.nat, "lan0", `${natLan}/24`, b.cpe, "wan0", `${b.cpeWanIp}/24`);
      await run(["ip", "netns", "exec", b.nat, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan0", "-j", "MASQUERADE"]);
      upstream = natLan;
    } else {
      await this.link(this.inet, port, undefined, b.cpe, "wan0", `${b.cpeWanIp}/24`);
      upstream = INET_BRIDGE_GW;
    }
    await run(["ip", "-n", this.inet, "link", "set", port, "master", "br0"]);
    await run(["ip", "-n", b.cpe, "route", "add", "default", "via", upstream]);
    const lanPrefix = b.spec.lanCidr.split("/")[1];
    await this.link(b.cpe, "lan0", `${b.cpeLanIp}/${lanPrefix}`, b.lan, "eth0", `${b.lanHostIp}/${lanPrefix}`);
    await run(["ip", "-n", b.lan, "route", "add", "default", "via", b.cpeLanIp]);
  }

  /**
   * Gives a NATed branch's NAT a new public address (the ISP re-maps it; the CPE behind it sees nothing). Removing
   * the old address makes the kernel drop the MASQUERADE mappings that used it, so the CPE's next packet leaves
   * from the new address, as after a carrier-grade NAT re-map.
   */
  async setNatPublicIp(name: string, newIp: string): Promise<void> {
    const b = this.branch(name);
    if (!b.nat) throw new Error(`branch ${name} is not behind NAT`);
    await run(["ip", "-n", b.nat, "addr", "del", `${b.spec.wanIp}/24`, "dev", "wan0"]);
    await run(["ip", "-n", b.nat, "addr", "add", `${newIp}/24`, "dev", "wan0"]);
    await run(["ip", "-n", b.nat, "route", "replace", "default", "via", INET_BRIDGE_GW]);
    await run(["ip", "netns", "exec", b.nat, "conntrack", "-F"], { allowFail: true });
    b.spec = { ...b.spec, wanIp: newIp };
  }

  /**
   * Moves a directly attached CPE to a new WAN address (a dynamic-IP peer getting a new lease). The old address is
   * removed first, as a real re-lease does.
   */
  async setCpeWanIp(name: string, newIp: string): Promise<void> {
    const b = this.branch(name);
    if (b.nat) throw new Error(`branch ${name} is behind NAT; change the NAT's address instead`);
    await run(["ip", "-n", b.cpe, "addr", "del", `${b.cpeWanIp}/24`, "dev", "wan0"]);
    await run(["ip", "-n", b.cpe, "addr", "add", `${newIp}/24`, "dev", "wan0"]);
    await run(["ip", "-n", b.cpe, "route", "replace", "default", "via", INET_BRIDGE_GW]);
    b.cpeWanIp = newIp;
  }
}
