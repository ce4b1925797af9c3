/** A PSK never reaches doctor's output: not the site's own key, not a key written in a log line. */
import { describe, expect, it } from "vitest";
import { diagnoseLog, formatFindings, redactText } from "../../provider/doctor";
import { FIXTURE_KEY, fixtureLog, fixtureSite } from "./helpers";

describe("redaction", () => {
  it("the site's key, pasted by mistake into the branch's ID field, is not echoed back", () => {
    // The branch's operator put the key where the ID goes: the router logs it as the ID it received.
    const log = fixtureLog("id-wrong.vr.charonlog").replace(/other@example\.com/g, FIXTURE_KEY);
    expect(log).toContain(FIXTURE_KEY);
    const d = diagnoseLog(log, { site: fixtureSite("site-a") });
    expect(d.findings.map((f) => f.cause)).toEqual(["id-mismatch"]);
    for (const output of ["text", "json"] as const) {
      const text = formatFindings(d.findings, output);
      expect(text).not.toContain(FIXTURE_KEY);
      expect(text).toContain("<redacted>");
    }
  });

  it("keys written as assignments in log lines are redacted even when the site does not know them", () => {
    const log = `${fixtureLog("psk-wrong.vr.charonlog")}\n11:47:09.441 10[IKE] tried 1 shared key for '198.51.100.10' - 'branch-a@example.com' PSK "unknown-key-abcdefghijklmnop", but MAC mismatched`;
    const text = formatFindings(diagnoseLog(log).findings, "json");
    expect(text).not.toContain("unknown-key-abcdefghijklmnop");
  });

  it("redactText covers ipsec.secrets, swanctl, YAML and hex/base64 forms of a known key", () => {
    expect(redactText(`a@b : PSK "s3cr3t-value-xyz"`, [])).toBe("a@b : PSK <redacted>");
    expect(redactText("secret = 0x0011223344", [])).toBe("secret = <redacted>");
    expect(redactText("ipsecPsk: plain-key-text", [])).toBe("ipsecPsk: <redacted>");
    expect(redactText(`x ${Buffer.from(FIXTURE_KEY).toString("hex")} y`, [FIXTURE_KEY])).toBe("x <redacted> y");
    expect(redactText(`x ${Buffer.from(FIXTURE_KEY).toString("base64")} y`, [FIXTURE_KEY])).toBe("x <redacted> y");
    // cause codes and ordinary words survive
    expect(redactText("psk-mismatch: the pre-shared keys differ", [])).toBe("psk-mismatch: the pre-shared keys differ");
  });
});
