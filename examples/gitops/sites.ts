// Loads and checks every site file; all problems of all files are reported at once (the model does the checking).
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import type { Issue } from "../../provider/model/issues";
import { checkGatewayPlacement, type PlacedSite } from "../../provider/model/placement";
import { parseSite, resolveSitePsk } from "../../provider/model/site";

export interface LoadedSite extends PlacedSite {
  psk: string;
}

export function loadSites(dir: string, env: Record<string, string | undefined> = process.env): LoadedSite[] {
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const problems: string[] = [];
  const sites: LoadedSite[] = [];
  const report = (source: string, issues: Issue[]) => problems.push(...issues.filter((i) => i.severity === "error").map((i) => `${source}: ${i.message}`));
  for (const file of files) {
    const parsed = parseSite(parseYaml(fs.readFileSync(path.join(dir, file), "utf8")));
    if (!parsed.site) {
      report(file, parsed.issues);
      continue;
    }
    if (!parsed.site.vpnGateway.vpcId) problems.push(`${file}: \`vpnGateway.vpcId\` is required to deploy the site with Pulumi`);
    const { psk, issues } = resolveSitePsk(parsed.site, env);
    report(file, issues);
    if (psk !== undefined) sites.push({ source: file, site: parsed.site, psk });
  }
  problems.push(...checkGatewayPlacement(sites).map((i) => i.message));
  if (problems.length > 0) throw new Error(`site files in ${dir} are invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return sites;
}
