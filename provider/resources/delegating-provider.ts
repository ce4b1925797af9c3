/**
 * The object Pulumi serializes into `__provider` for every resource of this package. It holds strings only — the
 * module specifier of the frozen runtime entry (runtime/v1.ts), the resource implementation's name, the config
 * keys to read — plus the config read in `configure()`. Every method `require`s the runtime entry at call time and
 * hands it the SDK's arguments, so the serialized text carries no logic that could go stale: state written today
 * keeps working with whatever release is installed when it is refreshed or deleted (pulumi-host.md §2.7 explains
 * why nothing else may be captured).
 */
import type * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "../model/cloudstack-settings";

/** Stack config keys: `cloudstack-s2s:<key>` (preferred), or `<project>:<key>` as in 0.1.0. */
export const CONFIG_KEYS = { apiUrl: "apiUrl", apiKey: "apiKey", secretKey: "secretKey" } as const;
export { CONFIG_NAMESPACE };

export class DelegatingProvider implements pulumi.dynamic.ResourceProvider {
  /** Filled by `configure()` inside the host; empty when serialized (at `pulumi up` time nothing is read yet). */
  private config: Record<string, string> = {};
  constructor(
    /** Module specifier of runtime/v1: `cloudstack-s2s/runtime/v1`, `./…` relative to the program, or absolute. */
    readonly entry: string,
    /** `customer-gateway`, `vpn-gateway` or `vpn-connection`. */
    readonly implementation: string,
    /**
     * Config keys to read, namespaced and project-relative (`cloudstack-s2s:apiUrl`, `apiUrl`, …). Passed in, not
     * computed here: the constructor is serialized too, and must reference no module.
     */
    readonly configKeys: string[],
  ) {}

  private invoke(method: string, args: unknown[]): Promise<any> {
    // Relative forms are resolved against the program directory (the host's cwd): the serialized module has no
    // file name of its own.
    const spec = this.entry.startsWith(".") ? require("node:path").resolve(process.cwd(), this.entry) : this.entry;
    return require(spec).invoke({ resource: this.implementation, method, config: this.config, args });
  }

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    const config: Record<string, string> = {};
    for (const key of this.configKeys) {
      const value = req.config.get(key);
      if (typeof value === "string" && value !== "") config[key] = value;
    }
    this.config = config;
  }

  check(olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
    return this.invoke("check", [olds, news]);
  }

  diff(id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
    return this.invoke("diff", [id, olds, news]);
  }

  create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
    return this.invoke("create", [inputs]);
  }

  read(id: string, props: any): Promise<pulumi.dynamic.ReadResult> {
    return this.invoke("read", [id, props]);
  }

  update(id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
    return this.invoke("update", [id, olds, news]);
  }

  delete(id: string, props: any): Promise<void> {
    return this.invoke("delete", [id, props]);
  }
}
