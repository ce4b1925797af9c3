/**
 * The public surface of the embedded local CloudStack endpoint. `index.ts` re-exports these types; they live in a
 * module of their own so the implementation files can import them without an import cycle through `index.ts`.
 */
import type { Site2SiteVpnDataBag } from "../model/databag";

/** `4.22` is stock CloudStack; `dynamic-peer` adds the customer-gateway API proposed in apache/cloudstack#13512. */
export type ApiVariant = "4.22" | "dynamic-peer";

export interface FaultOptions {
  /** All randomness derives from this (deterministic). */
  seed: number;
  /** Added to every HTTP reply. */
  latencyMs?: number;
  /** How long each async job stays jobstatus 0 before completing. */
  jobDurationMs?: number;
  /** 0..1: reply 503 (before doing anything). */
  http5xxRate?: number;
  /** 0..1: destroy the socket (before doing anything). */
  connectionResetRate?: number;
  /** 0..1: a job fails with 530 (nothing changed). */
  jobFailureRate?: number;
  /** CloudStack-style API limit: over N req/s -> HTTP 429. */
  throttlePerSecond?: number;
}

/** A router VM as listRouters shows it. */
export interface RouterInfo {
  id: string;
  name: string;
  state: "Running" | "Stopped";
  publicIp: string;
  linkLocalIp: string;
  /** `UNKNOWN` for a non-redundant router; `PRIMARY`/`BACKUP` in a redundant pair. */
  redundantState: "UNKNOWN" | "PRIMARY" | "BACKUP";
  isRedundant: boolean;
}

/** What a router implementation that models the router's life offers (the netns router does; memory does not). */
export interface RouterLifecycle {
  listRouters(vpcId: string): RouterInfo[];
  rebootRouter(routerId: string): Promise<void>;
  stopRouter(routerId: string): Promise<void>;
  startRouter(routerId: string): Promise<void>;
  /** restartVPC: `cleanup` re-creates the router(s); otherwise CloudStack re-applies the whole configuration. */
  restartVpc(vpcId: string, cleanup: boolean): Promise<void>;
}

export interface VirtualRouter {
  /** Present when the router models its life (listRouters, rebootRouter, stopRouter, startRouter, restartVPC). */
  lifecycle?: RouterLifecycle;
  /** Called with the data bag exactly when CloudStack sends one (connection start/stop, customer gateway update). Throw => the start/stop fails (534, state Error). */
  applySite2SiteVpn(vpcId: string, bag: Site2SiteVpnDataBag): Promise<void>;
  /** As checkbatchs2svpn.sh: for each peer key (peer_gateway_ip, or peer_id for dynamic peers) whether `ipsec status` shows ESTABLISHED. */
  checkConnections(vpcId: string, peers: string[]): Promise<Record<string, boolean>>;
}

export interface LocalCloudOptions {
  /** @default "127.0.0.1" */
  host?: string;
  /** @default 0 (ephemeral) */
  port?: number;
  /** @default "4.22" */
  variant?: ApiVariant;
  /** Persist state here (atomic writes, mode 0600). @default - memory only */
  stateFile?: string;
  faults?: FaultOptions;
  /** @default - an InMemoryRouter */
  router?: VirtualRouter;
  /** Router status-check task period (CloudStack `router.check.interval`). @default 1000 */
  statusCheckIntervalMs?: number;
}

export interface SeededVpc {
  id: string;
  name: string;
  cidr: string;
  publicIp: string;
  publicIpId: string;
  zoneId: string;
}

export interface LocalCloud {
  /** e.g. "http://127.0.0.1:40123/client/api" */
  url: string;
  variant: ApiVariant;
  admin: { apiKey: string; secretKey: string; account: string; domainId: string };
  seededVpc: SeededVpc;
  /** Each new account gets its own seeded VPC too. */
  createAccount(name: string): Promise<{
    account: string;
    accountId: string;
    domainId: string;
    apiKey: string;
    secretKey: string;
    vpc: LocalCloud["seededVpc"];
  }>;
  setFaults(faults: FaultOptions | undefined): void;
  close(): Promise<void>;
}
