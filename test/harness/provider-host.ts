// A gRPC client for the SDK's own dynamic-provider host, speaking exactly the ResourceProvider RPCs the engine
// uses, with the SDK's generated stubs and Struct class (one google-protobuf copy: pulumi-host.md §1).
// This layer is deliberately raw: values go over the wire as given. Secret stripping/re-marking, check-failure
// errors and lifecycle rules belong to the engine emulation (engine.ts), so tests can also send what the real
// engine never would (wrapped secrets, no Configure) and pin the host's reaction.
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { spawnHost } from "./host-process";
import { SECRET_SIG, SIG_KEY, type PropertyMap } from "./wire";

/** A config value; `{ secret }` is sent wrapped, as the engine marshals Configure with KeepSecrets. */
export type ConfigValue = string | { secret: string };

export interface ProviderHostOptions {
  /** The program directory: host cwd; `require()` in the serialized provider resolves from here. */
  programDir: string;
  /** Pulumi project name: `PULUMI_NODEJS_PROJECT`/`PULUMI_PROJECT`, and the namespace of bare config keys. */
  project: string;
  /**
   * Stack config. Keys without `:` are namespaced with `project` (`apiUrl` → `cloudstack-s2s:apiUrl`).
   * @default - no config
   */
  config?: Record<string, ConfigValue>;
  /** Extra environment for the host (merged over this process's environment, as the engine passes its own). */
  env?: Record<string, string>;
  /** Launch through the `pulumi-resource-pulumi-nodejs` sh shim, as the engine does. @default false */
  viaShim?: boolean;
  /** Per-call deadline. @default 30000 */
  callTimeoutMs?: number;
}

export type DiffChanges = "UNKNOWN" | "NONE" | "SOME";
export interface CheckFailure {
  property: string;
  reason: string;
}
export interface CheckResult {
  inputs: PropertyMap;
  failures: CheckFailure[];
}
export interface DiffResult {
  changes: DiffChanges;
  replaces: string[];
  deleteBeforeReplace: boolean;
  diffs: string[];
  stables: string[];
  /** Present only when the provider reported a detailed diff (the 3.248 dynamic host never does). */
  detailedDiff?: Record<string, { kind: number; inputDiff: boolean }>;
}

export interface ProviderHost {
  readonly port: number;
  readonly pgid: number;
  readonly project: string;
  /** Namespaced stack config this host was started with (what `configure()` sends by default). */
  readonly config: Record<string, ConfigValue>;
  getPluginInfo(): Promise<{ version: string }>;
  /** Configure with namespaced keys, secrets wrapped. Required before any call if the provider has `configure()`. */
  configure(config?: Record<string, ConfigValue>): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }>;
  check(req: { urn: string; olds: PropertyMap; news: PropertyMap; randomSeed?: Uint8Array }): Promise<CheckResult>;
  diff(req: { urn: string; id: string; olds: PropertyMap; news: PropertyMap; oldInputs?: PropertyMap }): Promise<DiffResult>;
  create(req: { urn: string; properties: PropertyMap; preview?: boolean }): Promise<{ id: string; outs: PropertyMap }>;
  read(req: { urn: string; id: string; properties: PropertyMap; inputs?: PropertyMap }): Promise<{ id: string; outs: PropertyMap; inputs?: PropertyMap }>;
  update(req: { urn: string; id: string; olds: PropertyMap; news: PropertyMap; oldInputs?: PropertyMap; preview?: boolean }): Promise<{ outs: PropertyMap }>;
  delete(req: { urn: string; id: string; properties: PropertyMap; oldInputs?: PropertyMap }): Promise<void>;
  /** Provider/host console output and stderr so far (useful in failure messages). */
  output(): string;
  /** Closes the channel and kills the host's whole process group; idempotent. */
  stop(): Promise<void>;
}

/** A failed RPC, with the gRPC status and the host's recent output (stack traces of provider errors land there). */
export class HostCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly details: string,
    readonly hostOutput: string,
  ) {
    super(`${method}: ${code} ${grpc.status[code] ?? ""}: ${details}`);
    this.name = "HostCallError";
  }
}

export function namespaceConfig(project: string, config: Record<string, ConfigValue> = {}): Record<string, ConfigValue> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k.includes(":") ? k : `${project}:${k}`, v]));
}

export async function startProviderHost(opts: ProviderHostOptions): Promise<ProviderHost> {
  const config = namespaceConfig(opts.project, opts.config);
  // PULUMI_CONFIG carries plaintext stack config, as the engine sets it for plugins; the 3.248 host ignores it
  // and reads config only from Configure (pulumi-host.md §2.2), so it is here for fidelity, not for function.
  const plainConfig = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : v.secret]));
  const env = {
    ...process.env,
    PULUMI_NODEJS_PROJECT: opts.project,
    PULUMI_PROJECT: opts.project,
    PULUMI_CONFIG: JSON.stringify(plainConfig),
    ...opts.env,
  };
  const proc = await spawnHost({ programDir: opts.programDir, env, viaShim: opts.viaShim });
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${proc.port}`, grpc.credentials.createInsecure());
  const timeoutMs = opts.callTimeoutMs ?? 30_000;

  // Unary call with a deadline; errors become HostCallError carrying the host's output.
  const call = <Req, Res>(method: string, req: Req): Promise<Res> =>
    new Promise((resolve, reject) => {
      const fn = (client as unknown as Record<string, Function>)[method]!.bind(client);
      fn(req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err: grpc.ServiceError | null, res: Res) => {
        if (err) reject(new HostCallError(method, err.code, err.details, proc.output()));
        else resolve(res);
      });
    });
  const struct = (m: PropertyMap | undefined) => Struct.fromJavaScript((m ?? {}) as Parameters<typeof Struct.fromJavaScript>[0]);
  const plain = (s: Struct | undefined) => (s ? (s.toJavaScript() as PropertyMap) : {});

  let stopped = false;
  return {
    port: proc.port,
    pgid: proc.pgid,
    project: opts.project,
    config,
    output: proc.output,
    async getPluginInfo() {
      const res = await call<Empty, { getVersion(): string }>("getPluginInfo", new Empty());
      return { version: res.getVersion() };
    },
    async configure(cfg = config) {
      const args: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(namespaceConfig(opts.project, cfg))) {
        args[k] = typeof v === "string" ? v : { [SIG_KEY]: SECRET_SIG, value: v.secret };
      }
      const req = new provproto.ConfigureRequest();
      req.setArgs(struct(args as PropertyMap));
      // The engine always advertises these (provider_plugin.go Configure); the host ignores them.
      req.setAcceptsecrets(true).setAcceptresources(true).setSendsOldInputs(true).setSendsOldInputsToDelete(true);
      const res = await call<provproto.ConfigureRequest, provproto.ConfigureResponse>("configure", req);
      return { acceptSecrets: res.getAcceptsecrets(), supportsPreview: res.getSupportspreview() };
    },
    async check({ urn, olds, news, randomSeed }) {
      const req = new provproto.CheckRequest().setUrn(urn).setOlds(struct(olds)).setNews(struct(news));
      if (randomSeed) req.setRandomseed(randomSeed);
      const res = await call<provproto.CheckRequest, provproto.CheckResponse>("check", req);
      const failures = res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
      return { inputs: plain(res.getInputs()), failures };
    },
    async diff({ urn, id, olds, news, oldInputs }) {
      const req = new provproto.DiffRequest().setUrn(urn).setId(id).setOlds(struct(olds)).setNews(struct(news));
      if (oldInputs) req.setOldInputs(struct(oldInputs));
      const res = await call<provproto.DiffRequest, provproto.DiffResponse>("diff", req);
      const C = provproto.DiffResponse.DiffChanges;
      const changes: DiffChanges = res.getChanges() === C.DIFF_SOME ? "SOME" : res.getChanges() === C.DIFF_NONE ? "NONE" : "UNKNOWN";
      const result: DiffResult = {
        changes,
        replaces: res.getReplacesList(),
        deleteBeforeReplace: res.getDeletebeforereplace(),
        diffs: res.getDiffsList(),
        stables: res.getStablesList(),
      };
      if (res.getHasdetaileddiff()) {
        result.detailedDiff = Object.fromEntries(
          res.getDetaileddiffMap().toArray().map(([k, d]) => [k, { kind: d.getKind(), inputDiff: d.getInputdiff() }]),
        );
      }
      return result;
    },
    async create({ urn, properties, preview }) {
      const req = new provproto.CreateRequest().setUrn(urn).setProperties(struct(properties)).setPreview(!!preview);
      const res = await call<provproto.CreateRequest, provproto.CreateResponse>("create", req);
      return { id: res.getId(), outs: plain(res.getProperties()) };
    },
    async read({ urn, id, properties, inputs }) {
      const req = new provproto.ReadRequest().setUrn(urn).setId(id).setProperties(struct(properties));
      if (inputs) req.setInputs(struct(inputs));
      const res = await call<provproto.ReadRequest, provproto.ReadResponse>("read", req);
      const newInputs = res.getInputs();
      return { id: res.getId(), outs: plain(res.getProperties()), ...(newInputs ? { inputs: plain(newInputs) } : {}) };
    },
    async update({ urn, id, olds, news, oldInputs, preview }) {
      const req = new provproto.UpdateRequest().setUrn(urn).setId(id).setOlds(struct(olds)).setNews(struct(news));
      req.setPreview(!!preview);
      if (oldInputs) req.setOldInputs(struct(oldInputs));
      const res = await call<provproto.UpdateRequest, provproto.UpdateResponse>("update", req);
      return { outs: plain(res.getProperties()) };
    },
    async delete({ urn, id, properties, oldInputs }) {
      const req = new provproto.DeleteRequest().setUrn(urn).setId(id).setProperties(struct(properties));
      if (oldInputs) req.setOldInputs(struct(oldInputs));
      await call<provproto.DeleteRequest, Empty>("delete", req);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      client.close();
      await proc.kill();
    },
  };
}
