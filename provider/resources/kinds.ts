/**
 * Telling this package's resources apart by shape, never with `instanceof`: a program can hold two copies of the
 * Pulumi SDK or of this package (a linked checkout, a nested install), and `instanceof` then misroutes a
 * VpnGateway passed to a VpnConnection as if it were an id. Each resource carries a brand under a registry symbol
 * (`Symbol.for` is shared by every copy in the process); an object without the brand is recognised by the
 * outputs a connection needs from it.
 */
export const KIND = Symbol.for("cloudstack-s2s.resourceKind");

export type ResourceKind = "VpnGateway" | "CustomerGateway" | "VpnConnection";

/** Brands a resource (non-enumerable, so it never shows up as a property). */
export function brand(resource: object, kind: ResourceKind): void {
  Object.defineProperty(resource, KIND, { value: kind, enumerable: false });
}

function isResourceObject(value: unknown): value is Record<PropertyKey, unknown> {
  // Every Pulumi resource of any SDK copy has `urn` and `id` outputs; Outputs and strings do not have `urn`.
  return typeof value === "object" && value !== null && "urn" in value && "id" in value;
}

function hasKind(value: unknown, kind: ResourceKind, shape: readonly string[]): boolean {
  if (!isResourceObject(value)) return false;
  if (value[KIND] === kind) return true;
  return shape.every((key) => key in value);
}

export function isVpnGatewayLike(value: unknown): boolean {
  return hasKind(value, "VpnGateway", ["publicIp", "vpcCidr", "publicInterface", "ssh"]);
}

export function isCustomerGatewayLike(value: unknown): boolean {
  return hasKind(value, "CustomerGateway", ["managedBy", "spec", "ipsecPsk", "cidrList"]);
}
