/** Opens the pinned SSH session to a router from CLI gateway access (file or environment, never argv). */
import type { GatewayHost } from "../push/gateway-host";
import { withActiveRouter } from "../push/routers";
import { UsageError } from "./args";
import { loadGatewayAccess } from "./gateway-access-input";
import type { Io } from "./output";

export async function withCliGateway<T>(file: string | undefined, io: Io, fn: (host: GatewayHost) => Promise<T>): Promise<T> {
  const access = loadGatewayAccess(file, io.env);
  if (!access) throw new UsageError("gateway SSH access is needed: --gateway-ssh FILE, or S2S_GATEWAY_SSH_FILE / S2S_GATEWAY_SSH in the environment");
  // A redundant pair: the router whose strongSwan runs (the PRIMARY) is the one that carries the tunnels.
  return withActiveRouter(access.ssh, (host) => fn(host));
}
