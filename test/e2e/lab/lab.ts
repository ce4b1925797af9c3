/**
 * The e2e lab: a topology of network namespaces, a base VR firewall and any number of independent strongSwan
 * instances, owned by one process under a unique prefix and torn down completely by destroy() — or by the signal
 * handlers if the run is interrupted. Knows nothing of vitest, so benchmarks (ts-node) use it too.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { destroyNamespaces, LAB_ROOT, listNamespaces, onInterrupt, strayDaemons } from "./cleanup";
import { VrFirewall, type FirewallTuple } from "./firewall";
import { Instance, type DataPlane, type InstanceMode } from "./instance";
import { assertPrerequisites, detectDataPlane } from "./preflight";
import { Topology, type TopologySpec } from "./topology";

export interface RenderedFile {
  path: string;
  mode: number;
  content: string;
}

/** What the project's renderers hand to a gateway; `removeFiles`/`firewall` only exist for the VR renderer. */
export interface GatewayChange {
  files: RenderedFile[];
  removeFiles?: string[];
  firewall?: FirewallTuple[];
  commands: string[];
  /** The renderer's word on failures: best-effort commands (CloudStack's VR) never stop the apply. */
  bestEffort?: boolean;
}

export interface CommandOutcome {
  command: string;
  code: number;
  stdout: string;
  stderr: string;
}

export interface LabOptions {
  topology: TopologySpec;
  /** 4 hex chars shared by all labs of one test run (the e2e global setup provides it). */
  runId?: string;
}

export class Lab {
  readonly instances = new Map<string, Instance>();
  private unregister: () => void = () => undefined;

  private constructor(
    readonly prefix: string,
    readonly dir: string,
    readonly topo: Topology,
    readonly dataplane: DataPlane,
    readonly dataplaneReason: string,
    readonly fw: VrFirewall,
  ) {}

  static async create(options: LabOptions): Promise<Lab> {
    assertPrerequisites();
    const runId = options.runId ?? process.env.S2S_E2E_RUN ?? randomBytes(2).toString("hex");
    if (!/^[0-9a-f]{4}$/.test(runId)) throw new Error(`run id ${runId} must be 4 hex chars`);
    const prefix = `s2s${runId}${randomBytes(4).toString("hex").slice(0, 2)}`;
    const dir = join(LAB_ROOT, prefix);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Owner first, namespaces second: a sweeper must never mistake a lab being built for a dead one.
    writeFileSync(join(dir, "owner.pid"), `${process.pid}\n`);
    const topo = new Topology(prefix, options.topology);
    const { dataplane, reason } = detectDataPlane(`${prefix}-probe`);
    const fw = new VrFirewall(topo.vr, dir, topo.publicInterface, "eth2", vpcOf(topo.guestCidr), dataplane);
    const lab = new Lab(prefix, dir, topo, dataplane, reason, fw);
    lab.unregister = onInterrupt(() => lab.destroySync());
    try {
      await topo.build();
      await fw.installBase();
    } catch (e) {
      lab.destroySync();
      throw e;
    }
    return lab;
  }

  /** Starts a strongSwan instance in namespace `ns` (`vr`, or a branch name for its CPE). */
  async startInstance(name: string, ns: string, mode: InstanceMode, setup?: (inst: Instance) => void): Promise<Instance> {
    if (this.instances.has(name)) throw new Error(`instance ${name} exists`);
    const inst = new Instance(name, ns, join(this.dir, "inst", name), mode, this.dataplane);
    inst.prepare();
    setup?.(inst);
    this.instances.set(name, inst);
    await inst.start();
    return inst;
  }

  startVr(mode: InstanceMode, setup?: (inst: Instance) => void): Promise<Instance> {
    return this.startInstance("vr", this.topo.vr, mode, setup);
  }

  /** Starts the CPE of `branch`; `setup` writes its config before the daemon starts (auto=start initiates at once). */
  startCpe(branch: string, setup?: (inst: Instance) => void, mode: InstanceMode = "stroke"): Promise<Instance> {
    return this.startInstance(`cpe-${branch}`, this.topo.branch(branch).cpe, mode, setup);
  }

  /** Kills an instance (no IKE DELETE is sent) and forgets it, so its namespace can host another one. */
  async stopInstance(name: string): Promise<void> {
    await this.instance(name).kill();
    this.instances.delete(name);
  }

  instance(name: string): Instance {
    const inst = this.instances.get(name);
    if (!inst) throw new Error(`no instance ${name}`);
    return inst;
  }

  /**
   * Applies a rendered change to an instance as a gateway would: files written (with their modes) and removed,
   * firewall tuples reconciled for `owner` (VR only), then the commands in the renderer's order. A failing command
   * throws with its output, unless the change is best effort or `keepGoing` (then every command runs and the caller
   * may assert on the exit codes).
   */
  async apply(inst: Instance, change: GatewayChange, owner?: string, options: { keepGoing?: boolean } = {}): Promise<CommandOutcome[]> {
    for (const f of change.files) inst.writeFile(f.path, f.content, f.mode);
    for (const p of change.removeFiles ?? []) inst.removeFile(p);
    if (change.firewall !== undefined) {
      if (inst.ns !== this.topo.vr) throw new Error("firewall tuples only apply to the VR");
      await this.fw.reconcile(owner ?? "default", change.firewall);
    }
    const outcomes: CommandOutcome[] = [];
    if (change.bestEffort !== true && options.keepGoing !== true && change.commands.length > 0) {
      // One shell for the whole sequence, as a pusher runs it over one SSH session; `set -e` stops at a failure.
      const r = await inst.sh(`set -e\n${change.commands.join("\n")}`);
      return [{ command: change.commands.join("\n"), ...r }];
    }
    for (const command of change.commands) {
      const r = await inst.sh(command, { allowFail: options.keepGoing === true || change.bestEffort === true });
      outcomes.push({ command, ...r });
    }
    return outcomes;
  }

  /** Synchronous teardown (signal handlers): kills everything in our namespaces, deletes them and the lab dir. */
  destroySync(): void {
    destroyNamespaces(this.ownNamespaces());
    if (process.env.S2S_KEEP_LOGS !== "1") rmSync(this.dir, { recursive: true, force: true });
  }

  /** Every namespace that carries this lab's prefix (including any a failed build left half made). */
  ownNamespaces(): string[] {
    return listNamespaces().filter((n) => n.startsWith(`${this.prefix}-`));
  }

  /** Tears down and returns what is still left (namespaces, charon/starter PIDs): both must be empty. */
  async destroy(): Promise<{ namespaces: string[]; daemons: number[] }> {
    this.unregister();
    this.destroySync();
    return { namespaces: this.ownNamespaces(), daemons: strayDaemons(this.prefix) };
  }
}

function vpcOf(guestCidr: string): string {
  const [a, b] = guestCidr.split(".");
  return `${a}.${b}.0.0/16`;
}
