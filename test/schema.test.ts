import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { siteJsonSchema } from "../provider/model/json-schema";

const root = join(__dirname, "..");
const committed = JSON.parse(readFileSync(join(root, "schema.json"), "utf8")) as Record<string, unknown>;
const exampleDir = join(root, "examples", "sites");
const examples = readdirSync(exampleDir).filter((f) => f.endsWith(".yaml"));

describe("schema.json", () => {
  it("is exactly what the zod site schema generates (run `npm run schema` after changing the model)", () => {
    expect(committed).toEqual(siteJsonSchema());
  });

  it("is a valid JSON Schema 2020-12 document with titles and descriptions", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    expect(() => ajv.compile(committed)).not.toThrow();
    expect(committed.title).toBeTruthy();
    const cg = (committed.properties as Record<string, { properties: Record<string, { description?: string }> }>).customerGateway!;
    expect(cg.properties.cidrList!.description).toMatch(/subnets/);
  });

  it.each(examples)("accepts examples/sites/%s, which points its language server at it", (file) => {
    const text = readFileSync(join(exampleDir, file), "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../../schema.json");
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(committed);
    expect(validate(parseYaml(text)), JSON.stringify(validate.errors)).toBe(true);
  });

  it("rejects a site with an unknown field or a missing peer, as editors should flag it", () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(committed);
    const site = parseYaml(readFileSync(join(exampleDir, examples[0]!), "utf8")) as Record<string, Record<string, unknown>>;
    expect(validate({ ...site, typo: 1 })).toBe(false);
    const { peer: _peer, ...noPeer } = site.customerGateway!;
    expect(validate({ ...site, customerGateway: noPeer })).toBe(false);
  });
});
