import type { SshAccessSpec } from "../model/gateway-access";
import type { GatewayHost } from "./gateway-host";
import { connectSshGateway } from "./ssh-gateway-host";

/** Opens the pinned SSH session an access spec describes (the VpnGateway's `ssh`, or a CLI access document). */
export function connectAccess(ssh: SshAccessSpec): Promise<GatewayHost> {
  return connectSshGateway({
    host: ssh.host,
    privateKey: ssh.privateKey,
    hostKey: ssh.hostKey,
    ...(ssh.port !== undefined ? { port: ssh.port } : {}),
    ...(ssh.username !== undefined ? { username: ssh.username } : {}),
    ...(ssh.jump ? { jump: ssh.jump } : {}),
  });
}

/** One SSH session to the gateway for `fn`, always closed afterwards (front ends open one per call). */
export async function withGateway<T>(ssh: SshAccessSpec, fn: (host: GatewayHost) => Promise<T>): Promise<T> {
  const host = await connectAccess(ssh);
  try {
    return await fn(host);
  } finally {
    await host.close().catch(() => undefined);
  }
}
