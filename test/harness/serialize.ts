// Produce the `__provider` text the way `pulumi up` does: in a separate Node process under ts-node with the project's
// tsconfig (never inside vitest, pulumi-host.md §2.1/§2.7).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "./host-process";

export interface SerializeProviderOptions {
  /** Absolute path of the .ts (or .js) module. */
  module: string;
  /**
   * Name of the export: a provider object (serialized with `serializeFunction(() => provider, { allowSecrets: true })`)
   * or a `pulumi.dynamic.Resource` subclass (constructed under `setMocks`; its registered `__provider` is taken).
   */
  export: string;
  /** Constructor args when `export` is a resource class. @default {} */
  resourceArgs?: Record<string, unknown>;
  /** @default <project root>/tsconfig.json */
  tsconfig?: string;
  /**
   * Type-check while loading, as Pulumi does unless the tsconfig sets `noCheck` or PULUMI_NODEJS_TRANSPILE_ONLY=true.
   * Off by default: `tsc --noEmit` already checks, and type checking does not change the serialized text.
   * @default false
   */
  typeCheck?: boolean;
  /** Extra environment for the child (e.g. NODE_OPTIONS=--preserve-symlinks). */
  env?: Record<string, string>;
  /** @default 60000 */
  timeoutMs?: number;
}

export interface SerializedProvider {
  /** The CommonJS module text that the host loads with `requireFromString(text).handler()`. */
  text: string;
  /** True when the closure captured a secret Output: the engine then stores `__provider` as a secret. */
  containsSecrets: boolean;
  /** Resource type token (resource-class export only), e.g. `pulumi-nodejs:dynamic/toy:File`. */
  type?: string;
  /** `additionalSecretOutputs` the resource class registers with (resource-class export only). */
  additionalSecretOutputs?: string[];
  /** Wall time of the child process, ts-node start-up included. */
  ms: number;
}

/** Serialization failed in the child: `message` carries the SDK's capture chain. */
export class SerializeError extends Error {
  override name = "SerializeError";
}

const CHILD = path.join(__dirname, "serialize-child.ts");
const TS_NODE_REGISTER = path.join(PROJECT_ROOT, "node_modules", "ts-node", "register", "index.js");

export async function serializeProvider(opts: SerializeProviderOptions): Promise<SerializedProvider> {
  if (!path.isAbsolute(opts.module)) throw new Error(`module must be an absolute path, got ${opts.module}`);
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "harness-serialize-"));
  const outFile = path.join(tmp, "result.json");
  const request = { module: opts.module, export: opts.export, resourceArgs: opts.resourceArgs, outFile };
  try {
    const { code, output } = await runChild(
      [TS_NODE_REGISTER, CHILD, JSON.stringify(request)],
      {
        ...process.env,
        TS_NODE_PROJECT: opts.tsconfig ?? path.join(PROJECT_ROOT, "tsconfig.json"),
        TS_NODE_TRANSPILE_ONLY: opts.typeCheck ? "false" : "true",
        ...opts.env,
      },
      opts.timeoutMs ?? 60_000,
    );
    const result = fs.existsSync(outFile) ? (JSON.parse(fs.readFileSync(outFile, "utf8")) as Record<string, unknown>) : undefined;
    if (!result) throw new SerializeError(`serializer child exited ${code} without a result:\n${output}`);
    if (!result.ok) throw new SerializeError(`${String(result.error)}\n${output}`.trim());
    const serialized: SerializedProvider = {
      text: String(result.text),
      containsSecrets: result.containsSecrets === true,
      ms: Date.now() - started,
    };
    if (typeof result.type === "string") serialized.type = result.type;
    if (Array.isArray(result.additionalSecretOutputs)) serialized.additionalSecretOutputs = result.additionalSecretOutputs as string[];
    return serialized;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// Runs `node -r ts-node/register …` in its own process group so a timeout (or a hung closure walk) kills everything.
function runChild(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", ...args], { cwd: PROJECT_ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const killGroup = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      reject(new SerializeError(`serializer child timed out after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once("error", (e) => (clearTimeout(timer), reject(e)));
    child.once("exit", (code) => {
      clearTimeout(timer);
      killGroup(); // nothing should survive the child, but never leave a grandchild behind
      resolve({ code, output });
    });
  });
}
