import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadGatewayAccess } from "../../provider/cli/gateway-access-input";

const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAsecretkeymaterial\n-----END OPENSSH PRIVATE KEY-----\n";
const PIN = "SHA256:" + "A".repeat(43);

function dir(): string {
  return mkdtempSync(join(tmpdir(), "s2s-access-"));
}

describe("gateway access input (file or environment, never argv)", () => {
  it("reads a file whose privateKeyFile is relative to the file", () => {
    const d = dir();
    writeFileSync(join(d, "id"), KEY, { mode: 0o600 });
    writeFileSync(join(d, "gw.yaml"), `host: 169.254.0.2\nport: 3922\nprivateKeyFile: id\nhostKey: "${PIN}"\n`, { mode: 0o600 });
    const a = loadGatewayAccess(join(d, "gw.yaml"), {});
    expect(a?.ssh.privateKey).toBe(KEY);
    expect(a?.ssh.host).toBe("169.254.0.2");
  });

  it("fails when a file holding a private key is readable by others, without echoing the key", () => {
    const d = dir();
    const f = join(d, "gw.json");
    writeFileSync(f, JSON.stringify({ host: "h", privateKey: KEY, hostKey: PIN }));
    chmodSync(f, 0o644);
    expect(() => loadGatewayAccess(f, {})).toThrow(/readable by others \(mode 644\); run chmod 600/);
    try {
      loadGatewayAccess(f, {});
    } catch (e) {
      expect(String(e)).not.toContain("secretkeymaterial");
    }
  });

  it("fails when a key file is readable by others", () => {
    const d = dir();
    writeFileSync(join(d, "id"), KEY, { mode: 0o644 });
    chmodSync(join(d, "id"), 0o644);
    writeFileSync(join(d, "gw.yaml"), `host: h\nprivateKeyFile: id\nhostKey: "${PIN}"\n`, { mode: 0o600 });
    expect(() => loadGatewayAccess(join(d, "gw.yaml"), {})).toThrow(/privateKeyFile.*chmod 600/);
  });

  it("reads the document from S2S_GATEWAY_SSH and names every problem by field", () => {
    const a = loadGatewayAccess(undefined, { S2S_GATEWAY_SSH: JSON.stringify({ host: "h", privateKey: KEY, hostKey: PIN }) });
    expect(a?.source).toBe("S2S_GATEWAY_SSH");
    expect(() => loadGatewayAccess(undefined, { S2S_GATEWAY_SSH: JSON.stringify({ host: "h", privateKey: "not a key secretish", hostKey: "nope" }) })).toThrow(/ssh\.hostKey[\s\S]*ssh\.privateKey/);
    try {
      loadGatewayAccess(undefined, { S2S_GATEWAY_SSH: JSON.stringify({ host: "h", privateKey: "not a key secretish", hostKey: "nope" }) });
    } catch (e) {
      expect(String(e)).not.toContain("secretish");
    }
  });

  it("reads a redundant pair: secondRouter with its own privateKeyFile (checked like the first), or inheriting the first's key", () => {
    const d = dir();
    writeFileSync(join(d, "id"), KEY, { mode: 0o600 });
    writeFileSync(join(d, "id2"), KEY.replace("secretkeymaterial", "otherkeymaterial"), { mode: 0o600 });
    writeFileSync(join(d, "gw.yaml"), `host: 169.254.0.2\nprivateKeyFile: id\nhostKey: "${PIN}"\nsecondRouter:\n  host: 169.254.0.3\n  privateKeyFile: id2\n  hostKey: "SHA256:${"B".repeat(43)}"\n`, { mode: 0o600 });
    const a = loadGatewayAccess(join(d, "gw.yaml"), {});
    expect(a?.ssh.secondRouter).toEqual({ host: "169.254.0.3", privateKey: expect.stringContaining("otherkeymaterial"), hostKey: `SHA256:${"B".repeat(43)}` });
    chmodSync(join(d, "id2"), 0o644);
    expect(() => loadGatewayAccess(join(d, "gw.yaml"), {})).toThrow(/secondRouter\.privateKeyFile.*chmod 600/);
    expect(() => loadGatewayAccess(undefined, { S2S_GATEWAY_SSH: JSON.stringify({ host: "h", privateKey: KEY, hostKey: PIN, secondRouter: { host: "h2", hostKey: "nope" } }) })).toThrow(/ssh\.secondRouter\.hostKey/);
  });

  it("returns undefined when nothing is given", () => {
    expect(loadGatewayAccess(undefined, {})).toBeUndefined();
  });
});
