import { checkGatewayPlacement } from "../model/placement";
import { UsageError, parseArgs } from "./args";
import type { Io } from "./output";
import { printIssues } from "./output";
import { loadSiteFile } from "./site-files";

/** `validate FILE…`: every problem of every file, then the rules across sites that share a VPN gateway. */
export async function runValidate(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, []);
  if (args.positionals.length === 0) throw new UsageError("validate needs at least one site file");
  const loaded = await Promise.all(args.positionals.map(loadSiteFile));
  let errors = 0;
  for (const l of loaded) {
    printIssues(io, `${l.file}: `, l.issues);
    errors += l.issues.filter((i) => i.severity === "error").length;
  }
  const placed = loaded.flatMap((l) => (l.site ? [{ source: l.file, site: l.site }] : []));
  const across = checkGatewayPlacement(placed);
  printIssues(io, "", across);
  errors += across.length;
  if (errors > 0) {
    io.err(`${errors} problem${errors === 1 ? "" : "s"} in ${loaded.length} file${loaded.length === 1 ? "" : "s"}\n`);
    return 2;
  }
  io.out(`${loaded.length} site file${loaded.length === 1 ? "" : "s"} valid\n`);
  return 0;
}
