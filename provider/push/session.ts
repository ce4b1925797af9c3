import type { SshAccessSpec } from "../model/gateway-access";
import type { GatewayHost } from "./gateway-host";
import { connectSshGateway } from "./ssh-gateway-host";

/** One SSH session to the gateway for `fn`, always closed afterwards (front ends open one per call). */
export async function withGateway<T>(ssh: SshAccessSpec, fn: (host: GatewayHost) => Promise<T>): Promise<T> {
  const host = await connectSshGateway({
    host: ssh.host,
    privateKey: ssh.privateKey,
    hostKey: ssh.hostKey,
    ...(ssh.port !== undefined ? { port: ssh.port } : {}),
    ...(ssh.username !== undefined ? { username: ssh.username } : {}),
    ...(ssh.jump ? { jump: ssh.jump } : {}),
  });
  try {
    return await fn(host);
  } finally {
    await host.close().catch(() => undefined);
  }
}
