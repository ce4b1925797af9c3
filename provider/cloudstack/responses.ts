/**
 * zod schemas for the response fields the provider reads (contract §1.3, §1.4). Objects are loose: fields we do
 * not type are kept as CloudStack sent them, so newer CloudStack versions pass through untouched. Keys keep
 * CloudStack's lowercase spelling so they match its docs and its error texts.
 */
import { z } from "zod";

// Gson writes longs and booleans as JSON numbers/booleans; a proxy or older version may send strings.
const numberLike = z.union([z.number(), z.string().regex(/^-?\d+$/).transform(Number)]);
const booleanLike = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

const ownerFields = {
  account: z.string().optional(),
  domainid: z.string().optional(),
  domain: z.string().optional(),
  domainpath: z.string().optional(),
  projectid: z.string().optional(),
  project: z.string().optional(),
  removed: z.string().optional(),
  // Set on list items whose own async job is still pending (`buildAsyncListResponse`).
  jobid: z.string().optional(),
  jobstatus: numberLike.optional(),
};

/** The customer gateway's settings; a connection response repeats them (contract §1.3). */
const peerSettingsFields = {
  gateway: z.string().optional(),
  cidrlist: z.string().optional(),
  ipsecpsk: z.string().optional(),
  ikepolicy: z.string().optional(),
  esppolicy: z.string().optional(),
  ikelifetime: numberLike.optional(),
  esplifetime: numberLike.optional(),
  dpd: booleanLike.optional(),
  forceencap: booleanLike.optional(),
  splitconnections: booleanLike.optional(),
  ikeversion: z.string().optional(),
};

export const vpnCustomerGatewaySchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  ...peerSettingsFields,
  obsoleteparameters: z.string().optional(),
  excludedparameters: z.string().optional(),
  // dynamic-peer extension
  remoteid: z.string().optional(),
  dynamicpeer: booleanLike.optional(),
  sourcecidrlist: z.string().optional(),
  ...ownerFields,
});
export type VpnCustomerGateway = z.infer<typeof vpnCustomerGatewaySchema>;

export const vpnGatewaySchema = z.looseObject({
  id: z.string(),
  publicip: z.string().optional(),
  vpcid: z.string().optional(),
  vpcname: z.string().optional(),
  fordisplay: booleanLike.optional(),
  ...ownerFields,
});
export type VpnGateway = z.infer<typeof vpnGatewaySchema>;

export const VPN_CONNECTION_STATES = ["Pending", "Connecting", "Connected", "Disconnected", "Error", "Removed"] as const;

export const vpnConnectionSchema = z.looseObject({
  id: z.string(),
  s2svpngatewayid: z.string().optional(),
  s2scustomergatewayid: z.string().optional(),
  publicip: z.string().optional(),
  ...peerSettingsFields,
  // A string, not an enum: a newer CloudStack may add states and the provider must still read the object.
  state: z.string().optional(),
  passive: booleanLike.optional(),
  created: z.string().optional(),
  fordisplay: booleanLike.optional(),
  ...ownerFields,
});
export type VpnConnection = z.infer<typeof vpnConnectionSchema>;

export const vpcSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  displaytext: z.string().optional(),
  cidr: z.string().optional(),
  state: z.string().optional(),
  zoneid: z.string().optional(),
  zonename: z.string().optional(),
  vpcofferingid: z.string().optional(),
  networkdomain: z.string().optional(),
  ...ownerFields,
});
export type Vpc = z.infer<typeof vpcSchema>;

export const publicIpAddressSchema = z.looseObject({
  id: z.string(),
  ipaddress: z.string().optional(),
  issourcenat: booleanLike.optional(),
  isstaticnat: booleanLike.optional(),
  vpcid: z.string().optional(),
  zoneid: z.string().optional(),
  state: z.string().optional(),
  associatednetworkid: z.string().optional(),
  ...ownerFields,
});
export type PublicIpAddress = z.infer<typeof publicIpAddressSchema>;

export const zoneSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  networktype: z.string().optional(),
  allocationstate: z.string().optional(),
});
export type Zone = z.infer<typeof zoneSchema>;

export const vpcOfferingSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  displaytext: z.string().optional(),
  state: z.string().optional(),
  isdefault: booleanLike.optional(),
});
export type VpcOffering = z.infer<typeof vpcOfferingSchema>;

export const apiParamSchema = z.looseObject({
  name: z.string(),
  required: booleanLike.optional(),
  type: z.string().optional(),
  since: z.string().optional(),
  description: z.string().optional(),
});
export const apiSchema = z.looseObject({
  name: z.string(),
  isasync: booleanLike.optional(),
  since: z.string().optional(),
  params: z.array(apiParamSchema).optional(),
});
export type ApiDescription = z.infer<typeof apiSchema>;

export const capabilitySchema = z.looseObject({
  cloudstackversion: z.string().optional(),
  apilimitinterval: numberLike.optional(),
  apilimitmax: numberLike.optional(),
});
export type Capability = z.infer<typeof capabilitySchema>;

/** The reply to any `create*`: the entity is persisted, the job does the rest. */
export const asyncCreateSchema = z.looseObject({ id: z.string().optional(), jobid: z.string() });
/** The reply to `delete*`, `update*`, `reset*`. */
export const asyncJobRefSchema = z.looseObject({ jobid: z.string() });

export const JOB_STATUS = { pending: 0, succeeded: 1, failed: 2, cancelled: 3 } as const;

export const asyncJobResultSchema = z.looseObject({
  jobid: z.string().optional(),
  cmd: z.string().optional(),
  jobstatus: numberLike,
  jobresultcode: numberLike.optional(),
  jobresulttype: z.string().optional(),
  jobresult: z.record(z.string(), z.unknown()).optional(),
  jobinstanceid: z.string().optional(),
  created: z.string().optional(),
  completed: z.string().optional(),
});
export type AsyncJobResult = z.infer<typeof asyncJobResultSchema>;

/** `SuccessResponse` inside a delete job's `jobresult`. */
export const successSchema = z.looseObject({ success: booleanLike.optional(), displaytext: z.string().optional(), details: z.string().optional() });
