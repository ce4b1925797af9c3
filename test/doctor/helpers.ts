/** Loads the doctor fixtures: charon logs captured by test/e2e/doctor.test.ts and the sites they belong to. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseSite, type SiteSpec } from "../../provider/model/site";

export const FIXTURES = join(__dirname, "..", "fixtures", "doctor");

export function fixtureLog(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

/** A fixture site; `keyForEnv` replaces a `{ env: NAME }` key (the e2e lab gives each run fresh keys). */
export function fixtureSite(name: string, keyForEnv?: string): SiteSpec {
  const doc = parse(readFileSync(join(FIXTURES, "sites", `${name}.yaml`), "utf8")) as { customerGateway: { ipsecPsk: unknown } };
  if (keyForEnv !== undefined && typeof doc.customerGateway.ipsecPsk !== "string") doc.customerGateway.ipsecPsk = keyForEnv;
  const parsed = parseSite(doc);
  if (!parsed.site) throw new Error(`fixture site ${name}: ${parsed.issues.map((i) => i.message).join("; ")}`);
  return parsed.site;
}

export const FIXTURE_KEY = "fixture-key-not-secret-0123456789abcdef";
