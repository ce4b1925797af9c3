/**
 * Secrets on the gateway that this project did not write (CloudStack's `ipsec.vpn-*.secrets`, its remote-access
 * `ipsec.any.secrets`, anything an operator added) are tried by charon for every lookup one of their selectors
 * matches. A dynamic connection presents its own identity (model/responder-id.ts), so an address-keyed line
 * cannot match it; what still could is a line with no selector or a wildcard one (older CloudStack releases write
 * `: PSK` or `<ip> %any : PSK` for remote access), or one keyed by a branch's own ID (an IPv4 ID that is also a
 * static peer's address). The push reads only the selectors — never a key — and refuses to go on in those cases.
 */
import { wildcardIdProblem } from "../model/ike-id";
import { isIpv6 } from "../model/net";
import * as ipaddr from "ipaddr.js";
import { IPSEC_DIR } from "./gateway-state";
import type { GatewayHost } from "./gateway-host";

export interface ForeignSecret {
  file: string;
  selectors: string[];
}

const FOREIGN_FILE = /^(?!s2s-)[A-Za-z0-9._-]+\.secrets$/;

/**
 * Prints `file<TAB>selectors` per secret line: the text before the first whitespace-delimited `:` (strongSwan's own
 * separator), so the key, which follows it, never leaves the gateway — even a key that itself holds ` : PSK`.
 * Comments, includes, blank lines and continuation lines (a key on the next line) are skipped. `paths` are fixed
 * strings or globs the remote shell expands; nothing from the gateway is ever put into the command.
 */
export function selectorsCommand(paths: readonly string[]): string {
  const program = String.raw`/^[ 	]*(#|include[ 	]|$)/ { next } /^[ 	]*:/ { print FILENAME "	"; next } { i = match($0, /[ 	]:([ 	]|$)/); if (i > 0) print FILENAME "	" substr($0, 1, i - 1) }`;
  return `awk '${program}' ${paths.join(" ")} 2>/dev/null; true`;
}

/** Every secret's selectors on the router, own files included (what `doctor` compares a branch's ID with). */
export const ALL_SECRET_SELECTORS = selectorsCommand(["/etc/ipsec.secrets", `${IPSEC_DIR}/*.secrets`]);

/** Splits a selector list the way stroke does: whitespace-separated, double quotes keep a DN together. */
export function splitSelectors(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

export function parseForeignSecrets(stdout: string): ForeignSecret[] {
  return stdout
    .split("\n")
    .filter((l) => l.includes("\t"))
    .map((l) => {
      const tab = l.indexOf("\t");
      return { file: l.slice(0, tab), selectors: splitSelectors(l.slice(tab + 1)) };
    });
}

export async function readForeignSecrets(host: GatewayHost): Promise<ForeignSecret[]> {
  const files = (await host.list(IPSEC_DIR)).filter((n) => FOREIGN_FILE.test(n)).map((n) => `${IPSEC_DIR}/${n}`);
  const r = await host.exec(selectorsCommand(["/etc/ipsec.secrets", ...files]));
  return parseForeignSecrets(r.stdout);
}

function comparable(id: string): string {
  const bare = id.startsWith("@") ? id.slice(1) : id;
  return isIpv6(bare) ? ipaddr.IPv6.parse(bare).toNormalizedString() : bare.toLowerCase();
}

/** Why each foreign secret could authenticate one of `ids` (the pushed peers' IDs and the VPC side's own). */
export function foreignSecretConflicts(secrets: readonly ForeignSecret[], ids: readonly string[]): string[] {
  const wanted = new Map(ids.map((id) => [comparable(id), id]));
  const problems: string[] = [];
  for (const s of secrets) {
    if (s.selectors.length === 0) {
      problems.push(`${s.file} holds a secret with no selector: strongSwan tries it for every identity, so whoever knows that key could authenticate as any branch. Give it selectors (CloudStack's current remote-access VPN writes \`<router IP> : PSK\`) or remove it`);
      continue;
    }
    for (const sel of s.selectors) {
      if (wildcardIdProblem(sel) !== undefined && sel.trim() !== "") {
        problems.push(`${s.file} holds a secret keyed by ${JSON.stringify(sel)}, a wildcard: strongSwan tries it for every identity, so whoever knows that key could authenticate as any branch. Remove that selector or the secret`);
      } else if (wanted.has(comparable(sel))) {
        problems.push(`${s.file} holds a secret keyed by ${JSON.stringify(sel)}, which is also the identity ${JSON.stringify(wanted.get(comparable(sel)))} of a pushed connection: that key would authenticate it too. Give the branch an ID no other secret names (e.g. an e-mail or FQDN ID)`);
      }
    }
  }
  return problems;
}
