import { z } from "zod";
import { issuesFromZod, type Issue } from "./issues";

/** How long a connection with `waitForEstablished` waits for its tunnel. */
export const DEFAULT_ESTABLISHED_TIMEOUT_SECONDS = 300;

/** Inputs that steer the provider rather than describe a CloudStack object (Pulumi resources only). */
export const adoptionOptionsSchema = z.strictObject({
  adoptExisting: z.boolean().optional().meta({
    description: "Take over an existing object found by its unique key (name in the account; the VPC; the gateway pair) instead of failing; the output `adopted` reports it. @default false",
  }),
});

export const connectionOptionsSchema = adoptionOptionsSchema.extend({
  waitForEstablished: z.boolean().optional().meta({
    description: "Wait until the tunnel is established; if it is not within `establishedTimeoutSeconds`, the create fails and the connection is removed again. @default false",
  }),
  establishedTimeoutSeconds: z.number().int().min(1).max(3600).optional().meta({
    description: `How long \`waitForEstablished\` waits, in seconds. @default ${DEFAULT_ESTABLISHED_TIMEOUT_SECONDS}`,
  }),
});

/**
 * The option fields of a resource's inputs, checked with their schema. `skip` says which values are not known yet
 * (a preview): they are checked on the real run.
 */
export function optionIssues(schema: z.ZodObject, inputs: Record<string, unknown>, skip: (value: unknown) => boolean): Issue[] {
  const fields = Object.fromEntries(Object.keys(schema.shape).filter((k) => inputs[k] !== undefined && !skip(inputs[k])).map((k) => [k, inputs[k]]));
  const parsed = schema.safeParse(fields);
  return parsed.success ? [] : issuesFromZod(parsed.error, fields);
}
