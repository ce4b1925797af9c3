/**
 * Gateway SSH access for CLI commands that act on a router (push, unpush, reconcile, doctor, status). It comes from
 * a file or the environment, never from argv (process lists are world-readable):
 *   --gateway-ssh FILE           YAML/JSON file, mode 0600 or stricter when it holds a private key
 *   S2S_GATEWAY_SSH_FILE=FILE    the same, from the environment
 *   S2S_GATEWAY_SSH='{…}'         the document itself (JSON/YAML text), from the environment
 * The document is the VpnGateway's `ssh` object (model/gateway-access.ts); `privateKeyFile` (a path, relative to
 * the document's folder) may stand in for `privateKey`, in `jump` and `secondRouter` (a redundant VPC's other
 * router) too. Optional `publicInterface` beside them.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { gatewayAccessIssues, type SshAccessSpec } from "../model/gateway-access";
import { UsageError } from "./args";

export interface GatewayAccessInput {
  ssh: SshAccessSpec;
  publicInterface?: string;
  /** Where it came from, for messages (never the content). */
  source: string;
}

export type AccessEnv = Record<string, string | undefined>;

function readPrivateKeyFile(path: string, field: string, source: string): string {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (e) {
    throw new UsageError(`${source}: \`${field}\` ${JSON.stringify(path)} cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  if ((mode & 0o077) !== 0) throw new UsageError(`${source}: \`${field}\` ${JSON.stringify(path)} is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`);
  return readFileSync(path, "utf8");
}

function withKeys(doc: Record<string, unknown>, baseDir: string, source: string, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = { ...doc };
  if (typeof out.privateKeyFile === "string") {
    if (out.privateKey !== undefined) throw new UsageError(`${source}: set either \`${prefix}privateKey\` or \`${prefix}privateKeyFile\`, not both`);
    out.privateKey = readPrivateKeyFile(resolve(baseDir, out.privateKeyFile), `${prefix}privateKeyFile`, source);
    delete out.privateKeyFile;
  }
  if (out.jump && typeof out.jump === "object") out.jump = withKeys(out.jump as Record<string, unknown>, baseDir, source, `${prefix}jump.`);
  if (out.secondRouter && typeof out.secondRouter === "object") out.secondRouter = withKeys(out.secondRouter as Record<string, unknown>, baseDir, source, `${prefix}secondRouter.`);
  return out;
}

/** Parses and validates an access document; throws a UsageError listing every problem (no secret in it). */
export function parseGatewayAccess(text: string, source: string, baseDir: string): GatewayAccessInput {
  let doc: unknown;
  try {
    doc = parseYaml(text, { uniqueKeys: true });
  } catch {
    // The parser's message may quote a line of the document, which can hold a private key.
    throw new UsageError(`${source} is not valid YAML/JSON`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new UsageError(`${source} must be an object {host, port, username, privateKey|privateKeyFile, hostKey, jump?}`);
  const { publicInterface, ...ssh } = withKeys(doc as Record<string, unknown>, baseDir, source);
  const input = { ssh, ...(publicInterface !== undefined ? { publicInterface } : {}) };
  const issues = gatewayAccessIssues(input);
  if (issues.length > 0) throw new UsageError(`${source} has problems:\n${issues.map((i) => `  - ${i.message}`).join("\n")}`);
  return { ssh: ssh as unknown as SshAccessSpec, ...(typeof publicInterface === "string" ? { publicInterface } : {}), source };
}

/** From `--gateway-ssh FILE`, else the environment; undefined when none is given. */
export function loadGatewayAccess(file: string | undefined, env: AccessEnv = process.env): GatewayAccessInput | undefined {
  const path = file ?? env.S2S_GATEWAY_SSH_FILE;
  if (path !== undefined) {
    const source = file !== undefined ? `--gateway-ssh ${path}` : `S2S_GATEWAY_SSH_FILE ${path}`;
    let text: string;
    let mode: number;
    try {
      mode = statSync(path).mode;
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw new UsageError(`${source} cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
    if (/PRIVATE KEY-----/.test(text) && (mode & 0o077) !== 0) {
      throw new UsageError(`${source} holds a private key and is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`);
    }
    return parseGatewayAccess(text, source, dirname(resolve(path)));
  }
  const inline = env.S2S_GATEWAY_SSH;
  if (inline !== undefined && inline.trim() !== "") return parseGatewayAccess(inline, "S2S_GATEWAY_SSH", process.cwd());
  return undefined;
}
