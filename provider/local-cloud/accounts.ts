/**
 * Accounts, their API keys and their seeded VPC. Each account gets a VPC at once so a user (or a CI job) can
 * create a VPN gateway without first learning the VPC API. Admin and seeded rows are created once and persisted,
 * so with a state file the admin keys and the seeded VPC survive restarts.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { STATE_VERSION, type Account, type WorldState } from "./state";
import type { ApiVariant, SeededVpc } from "./types";
import { createVpcWithSourceNat, sourceNatIpsOf } from "./vpc-world";
import type { World } from "./world";

export const ADMIN_ACCOUNT_NAME = "admin";
export const ZONE_NAME = "local-zone";
export const VPC_OFFERING_NAME = "Default VPC offering";
export const SEEDED_VPC_NAME = "local-vpc";

/** CloudStack keys are 86 characters of URL-safe base64 (64 random bytes). */
const newKey = (): string => randomBytes(64).toString("base64url");

export function emptyWorldState(variant: ApiVariant): WorldState {
  return {
    version: STATE_VERSION,
    variant,
    sequences: {},
    adminAccountId: 0,
    domains: [],
    accounts: [],
    zones: [],
    vpcOfferings: [],
    vpcs: [],
    publicIps: [],
    customerGateways: [],
    vpnGateways: [],
    connections: [],
    jobs: [],
  };
}

/** ROOT domain, one zone, one VPC offering and the admin account with its VPC. */
export function seedWorld(world: World): void {
  const domain = { ...world.identity("domains"), name: "ROOT", path: "ROOT" };
  world.state.domains.push(domain);
  world.state.zones.push({ ...world.identity("zones"), name: ZONE_NAME });
  world.state.vpcOfferings.push({ ...world.identity("vpcOfferings"), name: VPC_OFFERING_NAME });
  // CloudStack's SYSTEM account is id 1 and admin id 2; keep that so internal ids in messages look familiar.
  world.nextId("accounts");
  const admin = addAccount(world, ADMIN_ACCOUNT_NAME, 1);
  world.state.adminAccountId = admin.id;
}

function addAccount(world: World, name: string, type: 0 | 1): Account {
  const rootDomain = world.state.domains[0]!;
  const account: Account = {
    ...world.identity("accounts"),
    name,
    domainId: rootDomain.id,
    type,
    userId: world.nextId("users"),
    userUuid: randomUUID(),
    apiKey: newKey(),
    secretKey: newKey(),
  };
  world.state.accounts.push(account);
  const ordinal = world.state.accounts.length;
  createVpcWithSourceNat(world, {
    accountId: account.id,
    domainId: account.domainId,
    name: SEEDED_VPC_NAME,
    displayText: `Seeded VPC of account ${name}`,
    // Distinct per account, so VPC-to-VPC tunnels between accounts never overlap.
    cidr: `10.${ordinal % 250}.0.0/16`,
    zoneId: world.state.zones[0]!.id,
    vpcOfferingId: world.state.vpcOfferings[0]!.id,
  });
  return account;
}

export function seededVpcOf(world: World, accountId: number): SeededVpc {
  const vpc = world.state.vpcs.find((v) => v.accountId === accountId);
  if (!vpc) throw new Error(`local-cloud invariant: account ${accountId} has no seeded VPC`);
  const ip = sourceNatIpsOf(world, vpc.id)[0] ?? world.state.publicIps.find((p) => p.vpcId === vpc.id);
  const zone = world.state.zones.find((z) => z.id === vpc.zoneId)!;
  return { id: vpc.uuid, name: vpc.name, cidr: vpc.cidr, publicIp: ip?.address ?? "", publicIpId: ip?.uuid ?? "", zoneId: zone.uuid };
}

export class AccountNameTakenError extends Error {}

export function createUserAccount(world: World, name: string): Account {
  if (name.trim() === "") throw new Error("local-cloud createAccount: the account name must not be empty");
  if (world.state.accounts.some((a) => a.name === name)) {
    throw new AccountNameTakenError(`local-cloud createAccount: an account named ${name} already exists`);
  }
  const account = addAccount(world, name, 0);
  world.persist();
  return account;
}

export function accountByApiKey(world: World, apiKey: string): Account | undefined {
  return world.state.accounts.find((a) => a.apiKey === apiKey && a.removed === undefined);
}
