import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Scans every process's command line (root namespace and all others: /proc shows them all) while `during` runs,
 * so a secret passed as an argument, even for a few milliseconds, is caught. Returns the scan count (to prove the
 * watch really ran) and the first command line that held the secret ("" when none did).
 */
export async function watchCommandLines(secret: string, during: () => Promise<unknown>): Promise<{ scans: number; seen: string }> {
  let seen = "";
  let scans = 0;
  let running = true;
  const scanner = (async () => {
    while (running) {
      for (const p of readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
        try {
          const cmd = readFileSync(`/proc/${p}/cmdline`, "latin1");
          if (!seen && cmd.includes(secret)) seen = cmd.replace(/\0/g, " ");
        } catch {
          /* the process exited between readdir and read */
        }
      }
      scans++;
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  try {
    await during();
  } finally {
    running = false;
    await scanner;
  }
  return { scans, seen };
}

/** Shell history files (any name containing "history") directly under `dirs` that contain the secret. */
export function historiesContaining(secret: string, dirs: readonly string[]): string[] {
  return dirs
    .flatMap((d) => readdirSync(d).filter((f) => /history/i.test(f)).map((f) => join(d, f)))
    .filter((h) => statSync(h).isFile() && readFileSync(h, "latin1").includes(secret));
}
