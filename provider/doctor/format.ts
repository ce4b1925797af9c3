/** Text for people (cause → evidence quoted → fix) and the JSON shape `{"findings":[…]}`. */
import { CAUSES, type Finding } from "./causes";

export function formatFindings(findings: readonly Finding[], output: "text" | "json"): string {
  if (output === "json") return `${JSON.stringify({ findings }, null, 2)}\n`;
  if (findings.length === 0) return "No connection attempt found in this log.\n";
  return findings
    .map((f) => {
      const lines = [`[${f.side}] ${f.connection}${f.peerAddress && !f.connection.includes(f.peerAddress) ? ` (peer ${f.peerAddress})` : ""}: ${f.cause} — ${CAUSES[f.cause]}`];
      for (const e of f.evidence) lines.push(`    > ${e}`);
      for (const d of f.detail ?? []) lines.push(`      ${d}`);
      lines.push(`    fix: ${f.fix}${f.field && !f.fix.includes(f.field) ? ` [${f.field}]` : ""}`);
      return lines.join("\n");
    })
    .join("\n\n")
    .concat("\n");
}
