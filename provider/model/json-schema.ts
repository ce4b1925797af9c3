import { z } from "zod";
import { siteSchema } from "./site";

export const SCHEMA_ID = "https://cloudstack-s2s.invalid/schema/site.json";

/**
 * schema.json: the JSON Schema (2020-12) of a site file, generated from the zod site schema so the two cannot
 * drift (test/schema.test.ts fails when the committed file differs). Regenerate with `npm run schema`.
 */
export function siteJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(siteSchema, { io: "input", target: "draft-2020-12", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    $comment: "GENERATED from provider/model/site.ts by `npm run schema` - do not edit",
    ...schema,
    $id: SCHEMA_ID,
  };
}

export function siteJsonSchemaText(): string {
  return `${JSON.stringify(siteJsonSchema(), null, 2)}\n`;
}
