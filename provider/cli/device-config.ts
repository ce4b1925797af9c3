import { lstat } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { makeIssue, type Issue } from "../model/issues";
import { resolveSitePsk } from "../model/site";
import { DEVICE_VENDORS, deviceConfigText, tryRenderDeviceConfig, type DeviceFile } from "../render/device";
import { UsageError, parseArgs, stringOption } from "./args";
import { printIssues, type Io } from "./output";
import { writeFileSafely } from "./safe-write";
import { loadSiteFile } from "./site-files";


function vendorList(): string {
  const width = Math.max(...DEVICE_VENDORS.map((v) => v.id.length));
  return `${DEVICE_VENDORS.map((v) => `${v.id.padEnd(width)}  ${v.title}`).join("\n")}\n`;
}

/** Where each file of a multi-file export goes: the first at `out`, the others beside it with their extension. */
export function outputPaths(out: string, files: readonly DeviceFile[]): string[] {
  const stem = basename(out, extname(out));
  return files.map((f, i) => (i === 0 ? out : join(dirname(out), `${stem}${extname(f.name)}`)));
}

/** Writes one export file with its mode from the first byte, never through a link (cli/safe-write.ts). */
export async function writePrivately(target: string, content: string, mode: number): Promise<void> {
  const existing = await lstat(target).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? undefined : Promise.reject(e)));
  if (existing?.isDirectory()) throw new UsageError(`${target} is a directory; --out names a file`);
  await writeFileSafely(dirname(target), target, content, mode);
}

/** `device-config SITE_FILE --vendor NAME [--out FILE] [--include-psk]` and `device-config --vendor list`. */
export async function runDeviceConfig(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, ["vendor", "out"], ["include-psk"]);
  const vendor = stringOption(args, "vendor");
  if (vendor === "list") {
    if (args.positionals.length > 0 || args.options.size > 1) throw new UsageError("--vendor list takes no site file and no other option");
    io.out(vendorList());
    return 0;
  }
  const [file, ...extra] = args.positionals;
  if (!file || extra.length > 0) throw new UsageError("device-config needs exactly one site file (or --vendor list)");
  if (!vendor) throw new UsageError(`--vendor is required: one of ${DEVICE_VENDORS.map((v) => v.id).join(", ")} (or --vendor list)`);
  const includePsk = args.options.get("include-psk") === true;

  const loaded = await loadSiteFile(file);
  if (!loaded.site) {
    printIssues(io, `${file}: `, loaded.issues);
    return 2;
  }
  const warnings: Issue[] = loaded.issues.filter((i) => i.severity === "warning");
  let psk: string | undefined;
  if (includePsk) {
    const resolved = resolveSitePsk(loaded.site, io.env);
    warnings.push(...resolved.issues.filter((i) => i.severity === "warning"));
    const errors = resolved.issues.filter((i) => i.severity === "error");
    if (errors.length > 0 || resolved.psk === undefined) {
      printIssues(io, `${file}: `, [...warnings, ...(errors.length > 0 ? errors : [makeIssue("customerGateway.ipsecPsk", "psk-unavailable", "could not be resolved")])]);
      return 2;
    }
    psk = resolved.psk;
  }
  const result = tryRenderDeviceConfig(loaded.site, vendor, psk === undefined ? {} : { psk });
  if (!result.config) {
    printIssues(io, `${file}: `, [...warnings, ...result.issues]);
    return 2;
  }
  printIssues(io, `${file}: `, warnings);
  const out = stringOption(args, "out");
  if (out === undefined) {
    io.out(deviceConfigText(result.config));
    return 0;
  }
  const paths = outputPaths(out, result.config.files);
  for (const [i, f] of result.config.files.entries()) {
    const mode = f.secret ? 0o600 : 0o644;
    await writePrivately(paths[i]!, f.content, mode);
    io.out(`wrote ${paths[i]} (mode 0${mode.toString(8)})${f.secret ? (psk === undefined ? " - pre-shared key is a placeholder" : " - contains the pre-shared key") : ""}\n`);
  }
  return 0;
}
