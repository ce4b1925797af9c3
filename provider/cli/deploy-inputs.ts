/**
 * What push / unpush / reconcile read besides the site files, each from a file or the environment (never argv,
 * whose contents every local user can list): CloudStack credentials, the router's SSH access, and the PSK.
 */
import { readFileSync, statSync } from "node:fs";
import { CloudStackClient, type CloudStackCredentials } from "../cloudstack";
import { makeIssue, type Issue } from "../model/issues";
import { resolveSitePsk, type SiteSpec } from "../model/site";
import { pskProblems } from "../model/psk";
import { UsageError } from "./args";
import type { AccessEnv } from "./gateway-access-input";

/** Reads a file that holds a secret: it must not be readable by group or others. */
export function readSecretFile(path: string, what: string): string {
  let mode: number;
  let text: string;
  try {
    mode = statSync(path).mode;
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`${what} ${JSON.stringify(path)} cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  if ((mode & 0o077) !== 0) throw new UsageError(`${what} ${JSON.stringify(path)} is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`);
  return text;
}

/** `--credentials-file FILE` ({"url","apiKey","secretKey"}, as `local-cloud` writes it), else CLOUDSTACK_*. */
export function cloudStackClient(file: string | undefined, env: AccessEnv): CloudStackClient {
  let explicit: Partial<CloudStackCredentials> = {};
  if (file !== undefined) {
    let doc: { url?: unknown; apiKey?: unknown; secretKey?: unknown };
    try {
      doc = JSON.parse(readSecretFile(file, "--credentials-file")) as typeof doc;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--credentials-file ${JSON.stringify(file)} is not JSON {"url","apiKey","secretKey"}`);
    }
    const missing = (["url", "apiKey", "secretKey"] as const).filter((k) => typeof doc[k] !== "string" || doc[k] === "");
    if (missing.length > 0) throw new UsageError(`--credentials-file ${JSON.stringify(file)} lacks ${missing.map((k) => `"${k}"`).join(", ")}`);
    explicit = { apiUrl: doc.url as string, apiKey: doc.apiKey as string, secretKey: doc.secretKey as string };
  }
  try {
    return new CloudStackClient({ ...explicit, env });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The site's key: `--psk-file FILE` when given, else the site's `{ env: NAME }` (or, discouraged, literal) key. */
export function sitePsk(site: SiteSpec, pskFile: string | undefined, env: AccessEnv): { psk?: string; issues: Issue[] } {
  if (pskFile === undefined) return resolveSitePsk(site, env);
  const psk = readSecretFile(pskFile, "--psk-file").replace(/\r?\n$/, "");
  const problems = pskProblems(psk, { dynamicPeer: site.customerGateway.peer.type === "dynamic" });
  return problems.length > 0 ? { issues: problems.map((p) => makeIssue("customerGateway.ipsecPsk", "invalid-psk", `(from --psk-file) ${p}`)) } : { psk, issues: [] };
}
