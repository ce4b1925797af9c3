import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withModelReference } from "../model/docs-tables";

// `npm run docs`: refreshes the generated model reference in README.md (dist/provider/cli → ../../..).
const readme = join(__dirname, "..", "..", "..", "README.md");
writeFileSync(readme, withModelReference(readFileSync(readme, "utf8")));
process.stdout.write(`updated ${readme}\n`);
