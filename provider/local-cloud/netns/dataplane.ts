/** Which IPsec data plane this machine can run (strongswan-netns.md §2). */
import { runSync } from "./exec";
import type { DataPlane } from "./strongswan-instance";

let cached: { dataplane: DataPlane; reason: string } | undefined;

/**
 * Kernel XFRM when the kernel can hold an ESP SA (probed with `ip xfrm state add … proto esp` in a throwaway
 * namespace), strongSwan's userspace kernel-libipsec otherwise. `S2S_DATAPLANE=libipsec|kernel` overrides.
 */
export function detectDataPlane(probeNs: string): { dataplane: DataPlane; reason: string } {
  const forced = process.env.S2S_DATAPLANE;
  if (forced === "libipsec" || forced === "kernel") return { dataplane: forced, reason: `forced by S2S_DATAPLANE=${forced}` };
  if (cached) return cached;
  runSync(["ip", "netns", "add", probeNs]);
  try {
    const r = runSync([
      "ip", "-n", probeNs, "xfrm", "state", "add", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp", "spi", "0x100",
      "mode", "tunnel", "enc", "cbc(aes)", "0x00112233445566778899aabbccddeeff", "auth", "hmac(sha1)", "0x00112233445566778899aabbccddeeff00112233",
    ]);
    cached =
      r.code === 0
        ? { dataplane: "kernel", reason: "kernel accepts ESP SAs (ip xfrm state add … proto esp succeeded)" }
        : { dataplane: "libipsec", reason: `kernel has no ESP (ip xfrm state add … proto esp: ${r.stderr.trim() || `exit ${r.code}`})` };
  } finally {
    runSync(["ip", "netns", "del", probeNs]);
  }
  return cached;
}
