/**
 * What a vendor cannot express is an error naming the vendor, the field, the value and the nearest supported
 * alternative — all problems of a site at once, never a silent approximation, and never the key.
 */
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../provider/model/issues";
import { DEVICE_VENDOR_IDS, renderDeviceConfig, tryRenderDeviceConfig } from "../../../provider/render/device";
import { dynamicDeviceSite, staticDeviceSite, TEST_PSK } from "./sites";

const messages = (site: Parameters<typeof tryRenderDeviceConfig>[0], vendor: string, psk?: string) => tryRenderDeviceConfig(site, vendor, psk === undefined ? {} : { psk }).issues.map((i) => i.message);

describe("unsupported input is an error, with the nearest supported alternative", () => {
  it.each(["cisco-iosxe", "juniper-srx", "mikrotik-routeros7"])("%s: a DN identity (certificate-only there)", (vendor) => {
    const [m, ...rest] = messages(dynamicDeviceSite("C=FR, O=Example, CN=branch", "dn"), vendor);
    expect(rest).toEqual([]);
    expect(m).toMatch(new RegExp(`^\`customerGateway\\.peer\\.remoteId\` "C=FR, O=Example, CN=branch" cannot be expressed for ${vendor}: .*dn identity.*; nearest supported: an fqdn or email identity`));
  });

  it.each(["strongswan-swanctl", "strongswan-ipsec", "libreswan", "vyos", "fortigate"])("%s: renders a DN identity", (vendor) => {
    expect(messages(dynamicDeviceSite("C=FR, O=Example, CN=branch", "dn"), vendor)).toEqual([]);
  });

  it.each([
    ["cisco-iosxe", "modp8192 (group 18)", "modp4096 (group 16)"],
    ["juniper-srx", "modp6144 (group 17)", "modp4096 (group 16)"],
  ])("%s: a DH group the platform lacks names the nearest one it has", (vendor, wanted, nearest) => {
    const group = wanted.split(" ")[0]!;
    const m = messages(dynamicDeviceSite("branch@example.com", "email", { ikePolicy: `aes256-sha256;${group}`, espPolicy: `aes256-sha256;${group}` }), vendor);
    expect(m).toEqual([
      `\`customerGateway.ikePolicy\` "${group}" cannot be expressed for ${vendor}: ${vendor} has no DH group ${wanted}; nearest supported: ${nearest}`,
      `\`customerGateway.espPolicy\` "${group}" cannot be expressed for ${vendor}: ${vendor} has no DH group ${wanted} for PFS; nearest supported: ${nearest}`,
    ]);
  });

  it("libreswan 4.10 refuses modp1024 (checked with its algparse); nearest modp1536", () => {
    const m = messages(dynamicDeviceSite("branch@example.com", "email", { ikePolicy: "aes256-sha256;modp1024", allowLegacyCrypto: true }), "libreswan");
    expect(m).toEqual(['`customerGateway.ikePolicy` "modp1024" cannot be expressed for libreswan: libreswan has no DH group modp1024 (group 2); nearest supported: modp1536 (group 5)']);
  });

  it("mikrotik-routeros7: sha384 and a DN at once, all problems in one answer", () => {
    const m = messages(dynamicDeviceSite("C=FR, CN=b", "dn", { ikePolicy: "aes256-sha384;modp2048" }), "mikrotik-routeros7");
    expect(m).toHaveLength(2);
    expect(m[0]).toContain("`customerGateway.peer.remoteId`");
    expect(m[1]).toBe('`customerGateway.ikePolicy` "sha384" cannot be expressed for mikrotik-routeros7: mikrotik-routeros7 has no IKE integrity algorithm sha384; nearest supported: sha256');
  });

  it.each([
    ["fortigate", 120],
    ["cisco-iosxe", 120],
    ["juniper-srx", 180],
  ])("%s: a 60 s lifetime below the platform's minimum names the minimum", (vendor, min) => {
    const m = messages(dynamicDeviceSite("branch@example.com", "email", { ikeLifetime: 60, espLifetime: 60 }), vendor);
    expect(m.some((x) => x.startsWith(`\`customerGateway.ikeLifetime\` 60 cannot be expressed for ${vendor}`) && x.endsWith(`nearest supported: ${min}`))).toBe(true);
    expect(m.some((x) => x.startsWith(`\`customerGateway.espLifetime\` 60 cannot be expressed for ${vendor}`))).toBe(true);
  });

  it.each(["cisco-iosxe", "juniper-srx", "vyos", "mikrotik-routeros7"])("%s: ESP proposals with two PFS groups (one per policy there)", (vendor) => {
    const m = messages(dynamicDeviceSite("branch@example.com", "email", { espPolicy: "aes256-sha256;modp2048,aes128-sha256;modp3072" }), vendor);
    expect(m.join("\n")).toMatch(/`customerGateway\.espPolicy` "modp2048,modp3072" cannot be expressed .* one PFS group/);
  });

  it("mikrotik-routeros7 / fortigate: proposal lists that are not a cross product would be widened: refused", () => {
    const site = dynamicDeviceSite("branch@example.com", "email", { ikePolicy: "aes256-sha256;modp2048,aes128-sha256;modp3072" });
    expect(messages(site, "mikrotik-routeros7").join("\n")).toMatch(/`customerGateway\.ikePolicy` .* would be widened/);
    expect(messages(site, "fortigate").join("\n")).toMatch(/`customerGateway\.ikePolicy` .* would be widened/);
    // a true cross product is fine
    expect(messages(dynamicDeviceSite("branch@example.com", "email", { ikePolicy: "aes256-sha256;modp2048,aes128-sha256;modp2048" }), "fortigate")).toEqual([]);
  });

  it.each(DEVICE_VENDOR_IDS)("%s: a static site pinned to IKEv1 is refused (exports are IKEv2 only)", (vendor) => {
    const m = messages(staticDeviceSite({ ikeVersion: "ikev1" }), vendor);
    expect(m).toContain(`\`customerGateway.ikeVersion\` "ikev1" cannot be expressed for ${vendor}: device configurations are IKEv2 only; nearest supported: "ikev2" (or "ike", which lets the VPC side accept IKEv2)`);
  });

  it("a key with characters a vendor's CLI misreads is refused without ever quoting the key", () => {
    const psk = "Canary?with space-0123456789abcdef";
    const site = dynamicDeviceSite("branch@example.com", "email", { ipsecPsk: psk });
    const cisco = messages(site, "cisco-iosxe", psk);
    expect(cisco).toEqual(['`customerGateway.ipsecPsk` cannot be expressed for cisco-iosxe: the key contains "?", a space, which the IOS CLI reads as a help request or an argument separator; nearest supported: a key without these characters (`cloudstack-s2s psk` makes one)']);
    expect(messages(site, "fortigate", psk).join()).toContain('the key contains "?"');
    for (const m of [...cisco, ...messages(site, "fortigate", psk)]) expect(m).not.toContain("Canary");
    // without the key (placeholder) there is nothing to judge
    expect(messages(site, "cisco-iosxe")).toEqual([]);
  });

  it("an unknown vendor names the known ones; renderDeviceConfig throws a ValidationError with every issue", () => {
    expect(messages(dynamicDeviceSite("branch@example.com", "email"), "cisco-ios")[0]).toMatch(/`vendor` "cisco-ios" is not a known device; use one of strongswan-swanctl, .*fortigate/);
    expect(() => renderDeviceConfig(dynamicDeviceSite("C=FR, CN=b", "dn", { ikePolicy: "aes256-sha384;modp2048" }), "mikrotik-routeros7")).toThrow(ValidationError);
  });
});

describe("the pre-shared key", () => {
  it.each(DEVICE_VENDOR_IDS)("%s: without psk the export holds a marked placeholder, never the site's literal key", (vendor) => {
    const config = renderDeviceConfig(dynamicDeviceSite("branch@example.com", "email"), vendor);
    const text = config.files.map((f) => f.content).join("\n");
    expect(text).not.toContain(TEST_PSK);
    expect(text).toContain("CHANGE-ME-psk-of-customerGateway.ipsecPsk");
    expect(text).toMatch(/PRE-SHARED KEY NOT INCLUDED/);
    expect(config.files.some((f) => f.secret)).toBe(true);
  });
});
