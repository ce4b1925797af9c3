/**
 * The object Pulumi serializes into `__provider` for every resource of this package. It holds two strings and the
 * provider config read in `configure()`; each method `require`s the compiled implementation at call time
 * (`<runtime>/resources/impl/<implementation>`) and delegates to it. Keeping the serialized part this small is
 * what makes it safe to serialize: no schema, client, agent or module object is captured (pulumi-host.md §2.7), and
 * the behaviour lives in ordinary compiled modules that are unit-tested on their own.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderContext, ResourceImplementation } from "./impl/context";

/** Stack config keys (under the program's project namespace, e.g. `branch-dynamic:apiUrl`). */
export const CONFIG_KEYS = { apiUrl: "apiUrl", apiKey: "apiKey", secretKey: "secretKey" } as const;

export class DelegatingProvider implements pulumi.dynamic.ResourceProvider {
  /** Filled by `configure()` inside the host; never serialized with a value (it is empty at `pulumi up` time). */
  private context: ProviderContext = { credentials: {} };

  constructor(
    /** See runtime-location.ts: a package path, `./relative` to the program directory, or an absolute path. */
    readonly runtime: string,
    /** File name under `resources/impl/`, e.g. `customer-gateway`. */
    readonly implementation: string,
  ) {}

  private load(): ResourceImplementation {
    // Resolved from the program directory (the host's cwd): relative forms are made absolute first, because the
    // serialized module has no file name of its own to resolve against.
    const base = this.runtime.startsWith(".") ? require("node:path").resolve(process.cwd(), this.runtime) : this.runtime;
    return require(`${base}/resources/impl/${this.implementation}`) as ResourceImplementation;
  }

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    const get = (key: string): string | undefined => {
      const value = req.config.get(key);
      return typeof value === "string" && value !== "" ? value : undefined;
    };
    const credentials: ProviderContext["credentials"] = {};
    const apiUrl = get("apiUrl");
    const apiKey = get("apiKey");
    const secretKey = get("secretKey");
    if (apiUrl !== undefined) credentials.apiUrl = apiUrl;
    if (apiKey !== undefined) credentials.apiKey = apiKey;
    if (secretKey !== undefined) credentials.secretKey = secretKey;
    this.context = { credentials };
  }

  check(olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
    return this.load().check(this.context, olds, news);
  }

  diff(id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
    return this.load().diff(this.context, id, olds, news);
  }

  create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
    return this.load().create(this.context, inputs);
  }

  read(id: string, props: any): Promise<pulumi.dynamic.ReadResult> {
    return this.load().read(this.context, id, props);
  }

  update(id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
    return this.load().update(this.context, id, olds, news);
  }

  delete(id: string, props: any): Promise<void> {
    return this.load().delete(this.context, id, props);
  }
}
