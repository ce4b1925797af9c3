import { readFileSync } from "node:fs";
import { it } from "vitest";
import { groupAttempts } from "../../provider/doctor/attempts";
import { parseCharonLog } from "../../provider/doctor/parse";
it("p", () => {
  const g = groupAttempts(parseCharonLog(readFileSync("test/fixtures/doctor/healthy.peer.log", "utf8")));
  for (const a of g.attempts) console.log("ATTEMPT", a.role, a.remote, a.conn, a.partial, a.lines.slice(0, 4).map((l) => l.raw).join("\n"));
  console.log([...g.configs]);
});
