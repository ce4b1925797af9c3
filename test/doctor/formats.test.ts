/**
 * The same charon lines read from the three places operators find them — charon's filelog, syslog (the CloudStack
 * VR logs charon to the daemon facility) and the journal — give the same diagnosis; other programs' lines are ignored.
 */
import { describe, expect, it } from "vitest";
import { diagnoseLog, parseCharonLog } from "../../provider/doctor";
import { fixtureLog } from "./helpers";

/** The lab's filelog line `11:47:07.395 05[IKE] text` as syslog or journal would write it. */
function asSyslog(log: string, kind: "syslog" | "journal" | "iso"): string {
  return log
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const m = /^(\d\d:\d\d:\d\d)\.\d+ (.*)$/.exec(l)!;
      if (kind === "syslog") return `Dec  2 ${m[1]} r-4-VM charon: ${m[2]}`;
      if (kind === "journal") return `Dec 02 ${m[1]} r-4-VM charon[2211]: ${m[2]}`;
      return `2026-12-02T${m[1]}.123456+00:00 r-4-VM charon: ${m[2]}`;
    })
    .join("\n");
}

describe("log formats", () => {
  const names = ["healthy.vr.charonlog", "psk-wrong.vr.charonlog", "ike-proposal.vr.charonlog", "peer-gone.vr.charonlog", "source-not-allowed.peer.charonlog"];
  it.each(names.flatMap((n) => (["syslog", "journal", "iso"] as const).map((k) => [n, k] as const)))("%s as %s", (name, kind) => {
    const plain = diagnoseLog(fixtureLog(name));
    const other = diagnoseLog(asSyslog(fixtureLog(name), kind));
    expect(other.side).toBe(plain.side);
    expect(other.findings.map((f) => [f.cause, f.connection])).toEqual(plain.findings.map((f) => [f.cause, f.connection]));
    expect(other.findings.length).toBeGreaterThan(0);
  });

  it("skips other programs' lines in a mixed syslog, even ones that look like charon's", () => {
    const mixed = [
      "Dec  2 11:47:07 r-4-VM sshd[812]: 05[IKE] 203.0.113.99 is initiating an IKE_SA",
      "Dec  2 11:47:07 r-4-VM kernel: [ 12.3] 07[NET] received packet: from 203.0.113.99[500] to 198.51.100.10[500]",
      asSyslog(fixtureLog("healthy.vr.charonlog"), "syslog"),
      "Dec  2 11:47:08 r-4-VM systemd[1]: Started Session 3.",
    ].join("\n");
    const d = diagnoseLog(mixed);
    expect(d.findings.map((f) => f.cause)).toEqual(["established"]);
    expect(JSON.stringify(d)).not.toContain("203.0.113.99");
    expect(parseCharonLog(mixed).filter((l) => l.raw.includes("203.0.113.99"))).toEqual([]);
  });

  it("reads the <conn|N> prefix of ike_name = yes logs", () => {
    const [line] = parseCharonLog("Dec  2 11:47:07 vr charon: 06[IKE] <vpn-branch|7> authentication of 'a@b.c' with pre-shared key successful");
    expect(line).toMatchObject({ thread: 6, group: "IKE", conn: "vpn-branch", ikeSaId: 7, text: "authentication of 'a@b.c' with pre-shared key successful" });
    const [unnamed] = parseCharonLog("06[IKE] <3> 203.0.113.5 is initiating an IKE_SA");
    expect(unnamed).toMatchObject({ ikeSaId: 3, text: "203.0.113.5 is initiating an IKE_SA" });
    expect(unnamed!.conn).toBeUndefined();
  });

  it("an empty or foreign log yields no finding and says so", () => {
    expect(diagnoseLog("").findings).toEqual([]);
    expect(diagnoseLog("hello\nworld\n").lines).toBe(0);
  });
});
