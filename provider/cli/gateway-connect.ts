/** Opens the pinned SSH session to a router from CLI gateway access (file or environment, never argv). */
import type { SshAccessSpec } from "../model/gateway-access";
import { connectSshGateway, type GatewayHost } from "../push";
import { UsageError } from "./args";
import { loadGatewayAccess } from "./gateway-access-input";
import type { Io } from "./output";

export async function withCliGateway<T>(file: string | undefined, io: Io, fn: (host: GatewayHost) => Promise<T>): Promise<T> {
  const access = loadGatewayAccess(file, io.env);
  if (!access) throw new UsageError("gateway SSH access is needed: --gateway-ssh FILE, or S2S_GATEWAY_SSH_FILE / S2S_GATEWAY_SSH in the environment");
  const ssh: SshAccessSpec = access.ssh;
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
