/**
 * Every error text the endpoint produces, quoted from CloudStack (contract §1.5, §2, §3) — typos, double spaces and
 * missing spaces included, because clients match on them. Placeholders follow the "main" manager: VO `toString()`
 * where main uses `%s` of a VO, the internal numeric id where the object no longer exists.
 */

// --- parameter processing (ParamProcessWorker, contract §1.5) ---
export const missingParameter = (api: string, param: string): string =>
  `Unable to execute API command ${api} due to missing parameter ${param}`;
export const invalidParameterFormat = (api: string, value: string, param: string): string =>
  `Unable to execute API command ${api} due to invalid value ${value} for parameter ${param}`;
export const unknownEntity = (api: string, param: string, value: string): string =>
  `Unable to execute API command ${api} due to invalid value. Invalid parameter ${param} value=${value} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`;
export const tooLong = (api: string, field: string, max: number): string =>
  `Unable to execute API command ${api} due to invalid value. Value greater than max allowed length ${max} for param: ${field}`;
export const emptyArg = (param: string): string => `Empty or null value provided for API arg: ${param}`;
export const unknownCommand = (command: string): string => `Unknown API command: ${command}`;

// --- authentication and limits (contract §3) ---
export const UNABLE_TO_VERIFY = "unable to verify user credentials and/or request signature";
export const apiLimitReached = (retryAfterMs: number): string =>
  `The given user has reached his/her account api limit, please retry after ${retryAfterMs} ms.`;

// --- customer gateway (contract §2.1, §2.7) ---
export const invalidGateway = (gateway: string): string => `The customer gateway ip/Domain ${gateway} is invalid!`;
export const invalidCidrList = (list: string): string =>
  `The customer gateway peer cidr list ${list} contains an invalid cidr!`;
/** `update` lacks the space after "policy" (contract §2.7). */
export const invalidIkePolicy = (policy: string, forUpdate: boolean): string =>
  `The customer gateway IKE policy${forUpdate ? "" : " "}${policy} is invalid!  Verify the required Diffie Hellman (DH) group is specified.`;
export const invalidEspPolicy = (policy: string, forUpdate: boolean): string =>
  `The customer gateway ESP policy${forUpdate ? "" : " "}${policy} is invalid!`;
export const invalidIkeLifetime = (value: number): string => `The IKE lifetime ${value} of vpn connection is invalid!`;
export const invalidEspLifetime = (value: number): string => `The ESP lifetime ${value} of vpn connection is invalid!`;
export const customerGatewayNameTaken = (name: string): string => `The customer gateway with name ${name} already exists!`;
export const tooManySubnets = (limit: number): string => `Too many subnets of customer gateway! The limit is ${limit}`;
export const subnetsOverlap = (a: string, b: string): string =>
  `The subnet of customer gateway ${a} is overlapped with another subnet ${b} of customer gateway!`;
export const customerGatewayNotFoundForUpdate = (id: number): string => `Find to find customer gateway with id ${id}`;
export const customerGatewayNotFoundForDelete = (id: number): string => `Fail to find customer gateway with ${id} !`;
export const customerGatewayInUse = (gateway: string): string =>
  `Unable to delete VPN customer gateway ${gateway} because there is still related VPN connections!`;
/** Java's message for `"aes128-sha1;".split(";")[1]` (contract §2.2). */
export const ARRAY_INDEX_OUT_OF_BOUNDS = "Index 1 out of bounds for length 1";

// --- dynamic-peer variant (apache/cloudstack#13512; wording ours, in CloudStack's style) ---
export const gatewayRequiredForStaticPeer = (): string =>
  "The customer gateway ip/Domain is required unless dynamicpeer is true!";
export const gatewayForbiddenForDynamicPeer = (gateway: string): string =>
  `The customer gateway ip/Domain ${gateway} must be empty when dynamicpeer is true!`;
export const remoteIdRequired = (): string =>
  "The customer gateway remote id (IKE identity) is required when dynamicpeer is true!";
export const invalidRemoteId = (remoteId: string): string =>
  `The customer gateway remote id ${remoteId} is invalid! Use an IPv4/IPv6 address, an FQDN, an email address or a distinguished name.`;
export const wildcardRemoteId = (remoteId: string, problem: string): string =>
  `The customer gateway remote id ${JSON.stringify(remoteId)} ${problem}.`;
export const degenerateGateway = (gateway: string, problem: string): string =>
  `The customer gateway ip ${gateway} ${problem}.`;
export const remoteIdOnlyForDynamicPeer = (): string =>
  "The customer gateway remote id can only be set when dynamicpeer is true!";
export const invalidSourceCidrList = (list: string): string =>
  `The customer gateway source cidr list ${list} contains an invalid cidr!`;
export const sourceCidrListOnlyForDynamicPeer = (): string =>
  "The customer gateway source cidr list can only be set when dynamicpeer is true!";
export const duplicateRemoteId = (remoteId: string, vpnGateway: string): string =>
  `The dynamic peer remote id ${remoteId} is already used by another VPN connection of vpn gateway ${vpnGateway}; peers with the same remote id cannot be told apart!`;

// --- VPN gateway (contract §2.3, §2.8) ---
export const invalidVpc = (vpcId: number): string => `Invalid VPC ${vpcId} for site to site vpn gateway creation!`;
export const vpnGatewayExists = (vpc: string): string => `The VPN gateway of VPC ${vpc} already exists!`;
export const notSourceNatIp = (ip: string): string => `Cannot use requested IP ${ip} as it is not the Source NAT IP`;
export const noSourceNatIp = (vpc: string): string =>
  `No source NAT IP found for VPC ${vpc}; Site-to-Site VPN requires the VPC source NAT IP`;
export const vpnGatewayNotFoundForDelete = (id: number): string => `Fail to find vpn gateway with ${id} !`;
export const vpnGatewayNotFoundForUpdate = (id: number): string => `Fail to find vpn gateway with ${id}`;
export const vpnGatewayInUse = (gateway: string): string =>
  `Unable to delete VPN gateway ${gateway} because there is still related VPN connections!`;

// --- VPN connection (contract §2.4–§2.6) ---
export const customerGatewayNotFound = (id: number): string =>
  `Unable to find specified Site to Site VPN customer gateway ${id} !`;
export const vpnGatewayNotFound = (id: number): string => `Unable to find specified Site to Site VPN gateway ${id} !`;
export const differentOwners = (): string =>
  "VPN connection can only be established between same account's VPN gateway and customer gateway!";
export const connectionExists = (customerGateway: string, vpnGateway: string): string =>
  `The vpn connection with customer gateway ${customerGateway} and vpn gateway ${vpnGateway} already exists!`;
export const overlapsVpcCidr = (customerGateway: string, cidr: string, vpcCidr: string): string =>
  `The subnets of customer gateway ${customerGateway} subnet ${cidr} is overlapped with VPC cidr ${vpcCidr}!`;
export const tooManyConnections = (limit: number): string =>
  `There are too many VPN connections with current VPN gateway! The limit is ${limit}`;
export const overlapsOtherConnection = (cidr: string, otherName: string, otherCidr: string): string =>
  `The new connection's remote subnet ${cidr} is overlapped with existed VPN connection to customer gateway ${otherName}'s subnet ${otherCidr}`;
export const wrongStateToStart = (): string =>
  "Site to site VPN connection with specified connectionId not in correct state(pending or disconnected) to process!";
export const pendingCannotStop = (): string =>
  "Site to site VPN connection with specified id is currently Pending, unable to Disconnect!";
export const FAILED_TO_APPLY = "Failed to apply site-to-site VPN";
export const connectionNotFound = (id: number, action: "delete" | "reset" | null): string =>
  action === null ? `Fail to find site to site VPN connection ${id}` : `Fail to find site to site VPN connection ${id} to ${action}!`;

// --- access (AccountManagerImpl / DomainChecker) ---
export const noPermission = (caller: string, entity: string): string =>
  `${caller} does not have permission to operate with resource ${entity}`;
export const notAuthorizedForJob = (caller: string, jobId: number): string =>
  `Account ${caller} is not authorized to see job id=${jobId}`;
export const accountNeedsDomain = (): string => "Account must be specified with domainId parameter";
export const accountNotFound = (name: string): string => `Unable to find account by name ${name} in domain with specified id`;

// --- VPC world ---
export const invalidVpcCidr = (cidr: string): string => `Invalid CIDR specified ${cidr}`;
export const listApisNotFound = (): string =>
  "Api Discovery plugin was unable to find an api by that name or process any apis";

// --- fault injection (not CloudStack texts: they say they are injected) ---
export const injectedJobFailure = (): string => "Injected job failure (local-cloud fault injection); nothing was changed";
