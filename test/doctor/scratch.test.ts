import { readFileSync, readdirSync } from "node:fs";
import { it } from "vitest";
import { diagnoseLog, formatFindings } from "../../provider/doctor";
it("print", () => {
  for (const f of readdirSync("test/fixtures/doctor").filter((f) => f.endsWith(".log")).sort()) {
    const d = diagnoseLog(readFileSync(`test/fixtures/doctor/${f}`, "utf8"));
    console.log(f, d.side, d.attempts, JSON.stringify(d.findings.map((x) => `${x.cause}@${x.connection}`)));
    if (process.env.V) console.log(formatFindings(d.findings, "text"));
  }
});
