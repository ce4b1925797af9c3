/**
 * One provider object per resource type, made once per program. Only strings are captured (runtime location and
 * implementation name), so serialization is cheap and cached by the SDK per object.
 */
import { DelegatingProvider } from "./delegating-provider";
import { configKeysToRead } from "./connection-settings";
import { runtimeLocation } from "./runtime-location";

const instances = new Map<string, DelegatingProvider>();

export function providerFor(implementation: "customer-gateway" | "vpn-gateway" | "vpn-connection"): DelegatingProvider {
  let provider = instances.get(implementation);
  if (!provider) {
    provider = new DelegatingProvider(runtimeLocation(), implementation, configKeysToRead());
    instances.set(implementation, provider);
  }
  return provider;
}

/** Module of the type tokens: `pulumi-nodejs:dynamic/cloudstack-s2s:<Type>`. */
export const TYPE_MODULE = "cloudstack-s2s";
