/**
 * VpnConnection.deviceConfig through the real Pulumi SDK (a program under setMocks in a ts-node child): a secret
 * output holding the branch configuration for the chosen vendor (default strongswan-swanctl), key included.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "../..");

function program(vendor?: string): { isSecret?: boolean; text?: string; error?: string } {
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", join(__dirname, "helpers/device-config-program.ts"), ...(vendor ? [vendor] : [])], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return JSON.parse(r.stdout || JSON.stringify({ error: r.stderr.slice(-2000) })) as { isSecret?: boolean; text?: string; error?: string };
}

describe("VpnConnection.deviceConfig", () => {
  it("is a secret with the swanctl configuration by default, and the chosen vendor's otherwise", () => {
    const def = program();
    expect(def.error).toBeUndefined();
    expect(def.isSecret).toBe(true);
    expect(def.text).toContain("strongSwan 5.9+ (swanctl.conf)");
    expect(def.text).toContain('id = "@vpn-198-51-100-10.s2s.invalid"');
    expect(def.text).toContain(`secret = 0s${Buffer.from("ProgramCanary-0123456789abcdefghij").toString("base64")}`);
    const cisco = program("cisco-iosxe");
    expect(cisco.isSecret).toBe(true);
    expect(cisco.text).toContain("identity local email branch@example.com");
    expect(cisco.text).toContain("pre-shared-key ProgramCanary-0123456789abcdefghij");
  }, 120_000);
});
