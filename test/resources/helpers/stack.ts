/**
 * One "stack" for the resource lifecycle tests: a local CloudStack, the three resource providers serialized the
 * way `pulumi up` does (ts-node child, with CLOUDSTACK_S2S_RUNTIME at a fresh build), one SDK host configured with
 * the stack config keys the README documents, and an engine per resource type.
 */
import * as path from "node:path";
import { CloudStackClient } from "../../../provider/cloudstack";
import { startLocalCloud, type ApiVariant, type LocalCloud, InMemoryRouter } from "../../../provider/local-cloud";
import { createEngine, PROJECT_ROOT, serializeProvider, startProviderHost, type Engine, type ProviderHost, type SerializedProvider } from "../../harness";
import { ensureRuntimeBuild } from "./runtime-build";

export const RESOURCES_MODULE = path.join(PROJECT_ROOT, "provider", "resources", "index.ts");

export interface Providers {
  customerGateway: SerializedProvider;
  vpnGateway: SerializedProvider;
  vpnConnection: SerializedProvider;
}

let cached: Promise<Providers> | undefined;

/** Serializes the three resource classes once per test file (about a second each). */
export function serializeResources(): Promise<Providers> {
  cached ??= (async () => {
    const runtime = await ensureRuntimeBuild();
    const env = { CLOUDSTACK_S2S_RUNTIME: runtime };
    const [customerGateway, vpnGateway, vpnConnection] = await Promise.all([
      serializeProvider({ module: RESOURCES_MODULE, export: "CustomerGateway", resourceArgs: { peer: { type: "static", gateway: "203.0.113.1" }, cidrList: ["192.168.1.0/24"], ipsecPsk: "x" }, env }),
      serializeProvider({ module: RESOURCES_MODULE, export: "VpnGateway", resourceArgs: { vpcId: "v" }, env }),
      serializeProvider({ module: RESOURCES_MODULE, export: "VpnConnection", resourceArgs: { vpnGateway: "a", customerGateway: "b" }, env }),
    ]);
    return { customerGateway: customerGateway!, vpnGateway: vpnGateway!, vpnConnection: vpnConnection! };
  })();
  return cached;
}

export interface Stack {
  cloud: LocalCloud;
  router: InMemoryRouter;
  host: ProviderHost;
  providers: Providers;
  cgw: Engine;
  vgw: Engine;
  conn: Engine;
  /** An API client of the admin, for out-of-band changes and for checking what CloudStack holds. */
  client: CloudStackClient;
  stop(): Promise<void>;
}

export async function startStack(variant: ApiVariant): Promise<Stack> {
  const providers = await serializeResources();
  const router = new InMemoryRouter();
  const cloud = await startLocalCloud({ variant, router, statusCheckIntervalMs: 100 });
  const host = await startProviderHost({
    programDir: PROJECT_ROOT,
    project: "cloudstack-s2s",
    config: { apiUrl: cloud.url, apiKey: cloud.admin.apiKey, secretKey: { secret: cloud.admin.secretKey } },
    // The provider must take its credentials from the stack config: the environment offers wrong ones.
    env: { CLOUDSTACK_API_URL: "http://127.0.0.1:1/client/api", CLOUDSTACK_API_KEY: "wrong", CLOUDSTACK_SECRET_KEY: "wrong" },
  });
  const client = new CloudStackClient({ apiUrl: cloud.url, apiKey: cloud.admin.apiKey, secretKey: cloud.admin.secretKey });
  return {
    cloud,
    router,
    host,
    providers,
    cgw: createEngine({ host, provider: providers.customerGateway }),
    vgw: createEngine({ host, provider: providers.vpnGateway }),
    conn: createEngine({ host, provider: providers.vpnConnection }),
    client,
    async stop() {
      client.close();
      await host.stop();
      await cloud.close();
    },
  };
}

/** A dynamic-peer PSK long enough for the model's floor (test value, not a real key). */
export const TEST_PSK = "test-psk-0123456789-abcdefghijklmnop";
export const OTHER_PSK = "other-psk-0123456789-abcdefghijklmno";
