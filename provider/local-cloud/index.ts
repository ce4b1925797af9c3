/**
 * The embedded local CloudStack endpoint: the 13 site-to-site VPN commands plus the small VPC world they need,
 * with CloudStack's envelopes, error texts, signing, async jobs, router data bags and status checks.
 */
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { dirname } from "node:path";
import { createUserAccount, emptyWorldState, seededVpcOf, seedWorld } from "./accounts";
import { buildCatalog } from "./api-catalog";
import { reconnectAfterRestart, runStatusCheck, type RouterEnv } from "./connection-lifecycle";
import { FaultInjector } from "./faults";
import { failInterruptedJobs, JobRunner } from "./jobs";
import { loadState } from "./persistence";
import { InMemoryRouter } from "./router";
import { SerialQueue } from "./serial-queue";
import { API_PATH, createRequestListener } from "./server";
import type { LocalCloud, LocalCloudOptions } from "./types";
import { World } from "./world";

export type { ApiVariant, FaultOptions, LocalCloud, LocalCloudOptions, SeededVpc, VirtualRouter } from "./types";
export { InMemoryRouter } from "./router";
export { CorruptStateError } from "./persistence";

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : port);
    });
  });
}

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const variant = options.variant ?? "4.22";
  const host = options.host ?? "127.0.0.1";
  const stateFile = options.stateFile;
  const loaded = stateFile === undefined ? undefined : loadState(stateFile);
  if (loaded !== undefined && loaded.variant !== variant) {
    throw new Error(
      `local-cloud state file ${stateFile} belongs to the ${loaded.variant} API variant, not ${variant}; ` +
        `start with --variant ${loaded.variant} or use another state file`,
    );
  }
  if (stateFile !== undefined) mkdirSync(dirname(stateFile), { recursive: true, mode: 0o700 });
  const world = new World(loaded ?? emptyWorldState(variant), stateFile);
  if (loaded === undefined) seedWorld(world);
  else failInterruptedJobs(world);
  world.persist();

  const faults = new FaultInjector(options.faults);
  const queue = new SerialQueue();
  const jobs = new JobRunner(world, faults, queue);
  const env: RouterEnv = { world, router: options.router ?? new InMemoryRouter() };
  const catalog = buildCatalog(variant);
  const server = createServer(createRequestListener({ world, variant, catalog, faults, jobs, env }));
  const port = await listen(server, host, options.port ?? 0);
  if (loaded !== undefined) void queue.run(() => reconnectAfterRestart(env));
  const statusTimer = setInterval(() => {
    void queue.run(() => runStatusCheck(env)).catch(() => undefined);
  }, options.statusCheckIntervalMs ?? 1000);
  statusTimer.unref();

  const admin = world.account(world.state.adminAccountId);
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}${API_PATH}`,
    variant,
    admin: { apiKey: admin.apiKey, secretKey: admin.secretKey, account: admin.name, domainId: world.domainOf(admin.domainId).uuid },
    seededVpc: seededVpcOf(world, admin.id),
    async createAccount(name) {
      const account = createUserAccount(world, name);
      return {
        account: account.name,
        accountId: account.uuid,
        domainId: world.domainOf(account.domainId).uuid,
        apiKey: account.apiKey,
        secretKey: account.secretKey,
        vpc: seededVpcOf(world, account.id),
      };
    },
    setFaults(next) {
      faults.set(next);
    },
    close() {
      closed ??= (async () => {
        clearInterval(statusTimer);
        jobs.close();
        await queue.idle();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        world.persist();
      })();
      return closed;
    },
  };
}
