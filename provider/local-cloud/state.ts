/**
 * The local cloud's whole world as one JSON-serialisable value, validated with zod when it is read back from disk.
 * Rows keep CloudStack's two identities: an internal numeric `id` (what "classic" messages and
 * `ResourceUnavailableException` print) and the public `uuid`. Removed rows stay, marked `removed`, because
 * CloudStack's parameter lookup still resolves their UUIDs (contract §1.1).
 */
import { z } from "zod";

const row = { id: z.number().int().positive(), uuid: z.string().min(1), created: z.string(), removed: z.string().optional() };
const owned = { accountId: z.number().int(), domainId: z.number().int() };

export const domainSchema = z.object({ ...row, name: z.string(), path: z.string() });
export const accountSchema = z.object({
  ...row,
  name: z.string(),
  domainId: z.number().int(),
  /** 1 = root admin, 0 = normal user (CloudStack `Account.Type`). */
  type: z.union([z.literal(0), z.literal(1)]),
  userId: z.number().int(),
  userUuid: z.string(),
  apiKey: z.string().min(1),
  secretKey: z.string().min(1),
});
export const zoneSchema = z.object({ ...row, name: z.string() });
export const vpcOfferingSchema = z.object({ ...row, name: z.string() });
export const vpcSchema = z.object({
  ...row,
  ...owned,
  name: z.string(),
  displayText: z.string(),
  cidr: z.string(),
  zoneId: z.number().int(),
  vpcOfferingId: z.number().int(),
});
export const publicIpSchema = z.object({
  ...row,
  ...owned,
  address: z.string(),
  vlanGateway: z.string(),
  zoneId: z.number().int(),
  vpcId: z.number().int(),
  sourceNat: z.boolean(),
});
export const customerGatewaySchema = z.object({
  ...row,
  ...owned,
  name: z.string(),
  gateway: z.string().optional(),
  cidrList: z.string(),
  ipsecPsk: z.string(),
  ikePolicy: z.string(),
  espPolicy: z.string(),
  ikeLifetime: z.number().int(),
  espLifetime: z.number().int(),
  dpd: z.boolean(),
  forceEncap: z.boolean(),
  splitConnections: z.boolean(),
  ikeVersion: z.string(),
  dynamicPeer: z.boolean().optional(),
  remoteId: z.string().optional(),
  sourceCidrList: z.string().optional(),
});
export const connectionStateSchema = z.enum(["Pending", "Connecting", "Connected", "Disconnected", "Error", "Removed"]);
export const vpnGatewaySchema = z.object({
  ...row,
  ...owned,
  vpcId: z.number().int(),
  publicIpId: z.number().int(),
  forDisplay: z.boolean(),
});
export const connectionSchema = z.object({
  ...row,
  ...owned,
  vpnGatewayId: z.number().int(),
  customerGatewayId: z.number().int(),
  state: connectionStateSchema,
  passive: z.boolean(),
  forDisplay: z.boolean(),
});
export const jobSchema = z.object({
  ...row,
  accountId: z.number().int(),
  userId: z.number().int(),
  command: z.string(),
  cmdClass: z.string(),
  status: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  resultCode: z.number().int(),
  result: z.unknown().optional(),
  instanceType: z.string().optional(),
  instanceId: z.string().optional(),
  completed: z.string().optional(),
});

export const STATE_VERSION = 1;

export const worldStateSchema = z.object({
  version: z.literal(STATE_VERSION),
  variant: z.enum(["4.22", "dynamic-peer"]),
  /** Next internal id per table, and the public-IP pool cursor. */
  sequences: z.record(z.string(), z.number().int()),
  adminAccountId: z.number().int(),
  domains: z.array(domainSchema),
  accounts: z.array(accountSchema),
  zones: z.array(zoneSchema),
  vpcOfferings: z.array(vpcOfferingSchema),
  vpcs: z.array(vpcSchema),
  publicIps: z.array(publicIpSchema),
  customerGateways: z.array(customerGatewaySchema),
  vpnGateways: z.array(vpnGatewaySchema),
  connections: z.array(connectionSchema),
  jobs: z.array(jobSchema),
});

export type Domain = z.infer<typeof domainSchema>;
export type Account = z.infer<typeof accountSchema>;
export type Zone = z.infer<typeof zoneSchema>;
export type VpcOffering = z.infer<typeof vpcOfferingSchema>;
export type Vpc = z.infer<typeof vpcSchema>;
export type PublicIp = z.infer<typeof publicIpSchema>;
export type CustomerGateway = z.infer<typeof customerGatewaySchema>;
export type VpnGateway = z.infer<typeof vpnGatewaySchema>;
export type ConnectionState = z.infer<typeof connectionStateSchema>;
export type Connection = z.infer<typeof connectionSchema>;
export type Job = z.infer<typeof jobSchema>;
export type WorldState = z.infer<typeof worldStateSchema>;

/** Tables whose rows can be named by a UUID parameter. */
export type EntityTable =
  | "domains"
  | "accounts"
  | "zones"
  | "vpcOfferings"
  | "vpcs"
  | "publicIps"
  | "customerGateways"
  | "vpnGateways"
  | "connections"
  | "jobs";
