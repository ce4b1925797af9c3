/** What every resource of this package takes besides its own fields. */
import * as pulumi from "@pulumi/pulumi";

/**
 * Which CloudStack to talk to, for this resource only (all three values; stored as a secret). Pass one object to
 * every resource of a cloud, another to the resources of a second cloud or account.
 *
 * @default - stack config `cloudstack-s2s:apiUrl`/`apiKey`/`secretKey` (else the 0.1.0 keys `<project>:apiUrl`…),
 *   else CLOUDSTACK_API_URL / CLOUDSTACK_API_KEY / CLOUDSTACK_SECRET_KEY
 */
export interface CloudStackSettingsArgs {
  /** API endpoint, e.g. `https://cloud.example.com/client/api`. */
  url: pulumi.Input<string>;
  apiKey: pulumi.Input<string>;
  secretKey: pulumi.Input<string>;
}

export interface CommonArgs {
  /** Per-resource CloudStack settings; see {@link CloudStackSettingsArgs}. */
  cloudstack?: pulumi.Input<CloudStackSettingsArgs>;
}

/** Props every resource registers: the settings as a secret, and the outputs added by the runtime. */
export function commonProps(args: CommonArgs): Record<string, unknown> {
  return { cloudstack: args.cloudstack === undefined ? undefined : pulumi.secret(args.cloudstack), schemaVersion: undefined };
}

export function withSecretOutputs(opts: pulumi.CustomResourceOptions | undefined, keys: string[]): pulumi.CustomResourceOptions {
  return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...keys, "cloudstack"] };
}
