// A tiny stand-in for the Pulumi engine's deployment of dynamic resources: per-resource state (inputs and outputs
// with secrets marked the way the engine marks them) and the step logic of pkg/resource/deploy/step_generator.go,
// driven over real gRPC against the SDK's host. What it does not emulate is listed in test/harness/README.md.
import type { ProviderHost, DiffResult, CheckFailure } from "./provider-host";
import type { SerializedProvider } from "./serialize";
import { EngineError, CheckFailedError } from "./engine-errors";
import {
  annotateSecrets,
  containsUnknowns,
  markAdditionalSecretOutputs,
  propertyEquals,
  secret,
  stripSecrets,
  toPropertyMap,
  type PropertyMap,
} from "./wire";

export interface ResourceState {
  urn: string;
  id: string;
  /** Checked inputs in engine form (secrets wrapped), `__provider` included. */
  inputs: PropertyMap;
  /** Outputs in engine form after annotateSecrets + additionalSecretOutputs, `__provider` included. */
  outputs: PropertyMap;
  additionalSecretOutputs: string[];
}

export type StepOp = "create" | "update" | "replace" | "same" | "delete" | "refresh";
/** One RPC as the engine sent it (after secret stripping): what a provider actually received. */
export interface CallRecord {
  method: "check" | "diff" | "create" | "read" | "update" | "delete";
  urn: string;
  request: Record<string, unknown>;
}

export interface EngineOptions {
  host: ProviderHost;
  provider: SerializedProvider | string;
  /** Resource type token. @default provider.type ?? "pulumi-nodejs:dynamic:Resource" */
  type?: string;
  /** @default "test" */
  stack?: string;
  /** Resource option applied to every resource. @default provider.additionalSecretOutputs ?? [] */
  additionalSecretOutputs?: string[];
}

export interface UpOptions {
  /** Per-resource override of EngineOptions.additionalSecretOutputs. */
  additionalSecretOutputs?: string[];
}

export interface UpResult {
  op: Exclude<StepOp, "delete" | "refresh">;
  state: ResourceState;
  diff?: DiffResult;
}

export interface PreviewResult {
  op: "create" | "update" | "replace" | "same";
  /** Checked inputs (may contain the unknown sentinel). */
  inputs: PropertyMap;
  diff?: DiffResult;
}

export interface RefreshResult {
  /** "same"/"update": outputs unchanged/changed; "delete": Read returned an empty id, resource dropped from state. */
  op: "same" | "update" | "delete";
  state?: ResourceState;
}

/** Creates an engine; Configure is sent (once, with the host's stack config) before the first provider call. */
export function createEngine(opts: EngineOptions): Engine {
  return new Engine(opts);
}

export class Engine {
  readonly calls: CallRecord[] = [];
  private readonly resources = new Map<string, ResourceState>();
  private configured?: Promise<unknown>;
  private readonly providerInput: PropertyMap[string];
  private readonly type: string;
  private readonly stack: string;
  private readonly defaultAso: string[];

  constructor(private readonly opts: EngineOptions) {
    const p = typeof opts.provider === "string" ? { text: opts.provider, containsSecrets: false } : opts.provider;
    // The SDK registers `__provider` as a secret Output when the closure captured a secret.
    this.providerInput = p.containsSecrets ? secret(p.text) : p.text;
    this.type = opts.type ?? (typeof opts.provider === "object" ? opts.provider.type : undefined) ?? "pulumi-nodejs:dynamic:Resource";
    this.stack = opts.stack ?? "test";
    this.defaultAso = opts.additionalSecretOutputs ?? (typeof opts.provider === "object" ? opts.provider.additionalSecretOutputs : undefined) ?? [];
  }

  urn(name: string): string {
    return `urn:pulumi:${this.stack}::${this.opts.host.project}::${this.type}::${name}`;
  }

  /** Current state of a resource (engine form), or undefined when it is not in the stack. */
  state(name: string): ResourceState | undefined {
    return this.resources.get(name);
  }

  names(): string[] {
    return [...this.resources.keys()];
  }

  /** Carries a resource's state over from another engine (as a stack's checkpoint survives a package upgrade). */
  importState(name: string, state: ResourceState): void {
    this.resources.set(name, state);
  }

  /** `pulumi up` for one resource: Check → (Create | Diff → Update | replace | same). */
  async up(name: string, programInputs: Record<string, unknown>, upOpts: UpOptions = {}): Promise<UpResult> {
    const urn = this.urn(name);
    const news = this.programInputs(programInputs);
    if (containsUnknowns(news)) throw new EngineError(`${urn}: unknown inputs are only allowed in preview()`);
    const aso = upOpts.additionalSecretOutputs ?? this.defaultAso;
    const old = this.resources.get(name);
    const inputs = await this.check(urn, name, old?.inputs ?? {}, news);
    if (!old) {
      const state = await this.create(urn, inputs, aso);
      this.resources.set(name, state);
      return { op: "create", state };
    }
    const diff = await this.diff(urn, old, inputs);
    if (diff.changes === "NONE") {
      // SameStep: the new inputs are recorded, the outputs are kept.
      const state = { ...old, inputs, outputs: markAdditionalSecretOutputs(old.outputs, aso), additionalSecretOutputs: aso };
      this.resources.set(name, state);
      return { op: "same", state, diff };
    }
    if (diff.replaces.length === 0) {
      const { outs } = await this.send("update", urn, { id: old.id, olds: old.outputs, news: inputs, oldInputs: old.inputs }, (r) =>
        this.opts.host.update({ urn, ...r } as Parameters<ProviderHost["update"]>[0]),
      );
      const state = { ...old, inputs, outputs: this.markOutputs(outs, inputs, aso), additionalSecretOutputs: aso };
      this.resources.set(name, state);
      return { op: "update", state, diff };
    }
    // Replacement: the engine re-checks with no olds so defaults are regenerated for the new physical resource.
    const replacementInputs = await this.check(urn, name, {}, news);
    if (diff.deleteBeforeReplace) {
      await this.deletePhysical(old);
      this.resources.delete(name);
      const state = await this.create(urn, replacementInputs, aso);
      this.resources.set(name, state);
      return { op: "replace", state, diff };
    }
    // Create-before-delete: if the create fails the old resource stays in state untouched.
    const state = await this.create(urn, replacementInputs, aso);
    this.resources.set(name, state);
    await this.deletePhysical(old);
    return { op: "replace", state, diff };
  }

  /**
   * `pulumi preview`: Check and Diff only, unknown inputs (the UNKNOWN sentinel) allowed. Create/Update are not sent
   * because the dynamic host answers supportsPreview=false. State is not changed.
   */
  async preview(name: string, programInputs: Record<string, unknown>): Promise<PreviewResult> {
    const urn = this.urn(name);
    const news = this.programInputs(programInputs);
    const old = this.resources.get(name);
    const inputs = await this.check(urn, name, old?.inputs ?? {}, news);
    if (!old) return { op: "create", inputs };
    const diff = await this.diff(urn, old, inputs);
    const op = diff.changes === "NONE" ? "same" : diff.replaces.length > 0 ? "replace" : "update";
    return { op, inputs, diff };
  }

  /** `pulumi refresh` for one resource: Read; an empty id drops it from state (so a later destroy sends no Delete). */
  async refresh(name: string): Promise<RefreshResult> {
    const old = this.mustGet(name);
    const res = await this.send("read", old.urn, { id: old.id, properties: old.outputs, inputs: old.inputs }, (r) =>
      this.opts.host.read({ urn: old.urn, ...r } as Parameters<ProviderHost["read"]>[0]),
    );
    if (res.id === "") {
      this.resources.delete(name);
      return { op: "delete" };
    }
    const outputs = markAdditionalSecretOutputs(annotateSecrets(res.outs, old.outputs), old.additionalSecretOutputs);
    const inputs = res.inputs ? annotateSecrets(res.inputs, old.inputs) : old.inputs;
    const state = { ...old, id: res.id, inputs, outputs };
    this.resources.set(name, state);
    return { op: propertyEquals(outputs, old.outputs) && propertyEquals(inputs, old.inputs) ? "same" : "update", state };
  }

  /** `pulumi destroy` for one resource. Returns false (no RPC) when it is not in state. */
  async destroy(name: string): Promise<boolean> {
    const old = this.resources.get(name);
    if (!old) return false;
    await this.deletePhysical(old);
    this.resources.delete(name);
    return true;
  }

  /** Destroys everything still in state, newest first (as the engine deletes dependents before dependencies). */
  async destroyAll(): Promise<void> {
    for (const name of this.names().reverse()) await this.destroy(name);
  }

  private programInputs(programInputs: Record<string, unknown>): PropertyMap {
    return { ...toPropertyMap(programInputs), __provider: this.providerInput };
  }

  private async check(urn: string, name: string, olds: PropertyMap, news: PropertyMap): Promise<PropertyMap> {
    const res = await this.send("check", urn, { olds, news }, (r) => this.opts.host.check({ urn, ...r } as Parameters<ProviderHost["check"]>[0]));
    const inputs = annotateSecrets(res.inputs, news);
    if (res.failures.length > 0) throw new CheckFailedError(this.type, name, urn, res.failures as CheckFailure[], inputs);
    return inputs;
  }

  private async diff(urn: string, old: ResourceState, inputs: PropertyMap): Promise<DiffResult> {
    const diff = await this.send("diff", urn, { id: old.id, olds: old.outputs, news: inputs, oldInputs: old.inputs }, (r) =>
      this.opts.host.diff({ urn, ...r } as Parameters<ProviderHost["diff"]>[0]),
    );
    // DIFF_UNKNOWN (a provider without diff()): the engine falls back to comparing old and new inputs, and then
    // never replaces.
    if (diff.changes === "UNKNOWN") return { ...diff, changes: propertyEquals(old.inputs, inputs) ? "NONE" : "SOME", replaces: [] };
    // Replace keys only count when the provider also reported changes.
    return diff.changes === "SOME" ? diff : { ...diff, replaces: [] };
  }

  private async create(urn: string, inputs: PropertyMap, aso: string[]): Promise<ResourceState> {
    const { id, outs } = await this.send("create", urn, { properties: inputs }, (r) =>
      this.opts.host.create({ urn, ...r } as Parameters<ProviderHost["create"]>[0]),
    );
    if (id === "") throw new EngineError(`plugin for package 'pulumi-nodejs' returned empty resource.ID from create '${urn}'`);
    return { urn, id, inputs, outputs: this.markOutputs(outs, inputs, aso), additionalSecretOutputs: aso };
  }

  private async deletePhysical(old: ResourceState): Promise<void> {
    await this.send("delete", old.urn, { id: old.id, properties: old.outputs, oldInputs: old.inputs }, (r) =>
      this.opts.host.delete({ urn: old.urn, ...r } as Parameters<ProviderHost["delete"]>[0]),
    );
  }

  private markOutputs(outs: PropertyMap, inputs: PropertyMap, aso: string[]): PropertyMap {
    return markAdditionalSecretOutputs(annotateSecrets(outs, inputs), aso);
  }

  // Every request leaves the engine with secrets stripped (the host accepts none); the record is what was sent.
  private async send<T>(method: CallRecord["method"], urn: string, request: Record<string, unknown>, rpc: (r: Record<string, unknown>) => Promise<T>): Promise<T> {
    await (this.configured ??= this.opts.host.configure());
    const wire = stripSecrets(request);
    this.calls.push({ method, urn, request: wire });
    return rpc(wire);
  }

  private mustGet(name: string): ResourceState {
    const s = this.resources.get(name);
    if (!s) throw new EngineError(`resource '${name}' is not in state`);
    return s;
  }
}
