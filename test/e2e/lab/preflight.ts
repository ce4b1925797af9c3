/**
 * What the e2e lab needs from the machine, and which IPsec data plane it can use. Missing prerequisites are a
 * test FAILURE naming the one command that fixes them; only `S2S_E2E=skip` turns the e2e suite off.
 */
import { accessSync, constants, existsSync } from "node:fs";

export const PROVISION_COMMAND = "sudo scripts/provision.sh";

const REQUIRED_FILES: [string, string][] = [
  ["/usr/lib/ipsec/charon", "strongswan-charon"],
  ["/usr/lib/ipsec/starter", "strongswan-starter"],
  ["/usr/sbin/ipsec", "strongswan-starter"],
  ["/etc/ipsec.d", "strongswan-starter"],
  ["/usr/sbin/swanctl", "strongswan-swanctl"],
  ["/etc/swanctl", "strongswan-swanctl"],
  ["/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so", "libcharon-extra-plugins"],
  ["/usr/lib/ipsec/plugins/libstrongswan-vici.so", "strongswan-libcharon"],
  ["/usr/sbin/iptables", "iptables"],
  ["/usr/sbin/iptables-restore", "iptables"],
  ["/usr/sbin/conntrack", "conntrack"],
  ["/usr/bin/ping", "iputils-ping"],
  ["/usr/sbin/ip", "iproute2"],
  ["/usr/sbin/sshd", "openssh-server"],
];

export function e2eSkipped(): boolean {
  return process.env.S2S_E2E === "skip";
}

/** Problems that stop the lab from running; empty when it can. */
export function missingPrerequisites(): string[] {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push("not running as root (network namespaces and mounts need it)");
  for (const [file, pkg] of REQUIRED_FILES) if (!existsSync(file)) problems.push(`${file} missing (package ${pkg})`);
  try {
    accessSync("/dev/net/tun", constants.R_OK | constants.W_OK);
  } catch {
    problems.push("/dev/net/tun is not usable (kernel-libipsec needs TUN)");
  }
  return problems;
}

export function assertPrerequisites(): void {
  const problems = missingPrerequisites();
  if (problems.length > 0) {
    throw new Error(
      `e2e lab cannot run on this machine:\n  - ${problems.join("\n  - ")}\n` +
        `Run \`${PROVISION_COMMAND}\` (as root), then \`npm test\` as root. To skip the e2e suite deliberately: S2S_E2E=skip`,
    );
  }
}

export { detectDataPlane } from "../../../provider/local-cloud/netns/dataplane";
