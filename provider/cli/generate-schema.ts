import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { siteJsonSchemaText } from "../model/json-schema";

// `npm run schema`: rewrites schema.json at the package root (dist/provider/cli → ../../..).
const target = join(__dirname, "..", "..", "..", "schema.json");
writeFileSync(target, siteJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
