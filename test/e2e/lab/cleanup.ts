/**
 * Ownership and cleanup of lab namespaces. Every lab has a unique prefix `s2s<run4><lab2>-` and an owner file
 * (`<labDir>/owner.pid`) written BEFORE its first namespace, so a sweeper can tell a live parallel run (owner alive:
 * leave it) from the leftovers of a dead one (owner gone: remove). Only processes that `ip netns pids` lists inside
 * our own namespaces are ever signalled.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { destroyNamespaces, isAlive, listNamespaces, NETNS_WORK_ROOT } from "../../../provider/local-cloud/netns/namespaces";

export { destroyNamespaces, listNamespaces, namespacePids, onInterrupt } from "../../../provider/local-cloud/netns/namespaces";

/** Where every lab (and every local-cloud netns router) keeps its instance directories, logs and owner file. */
export const LAB_ROOT = NETNS_WORK_ROOT;
/** Matches lab namespaces and lab directories: `s2s` + 4 hex (run) + 2 alnum (lab), then `-<role>` for a namespace. */
export const LAB_PREFIX_RE = /^(s2s[0-9a-f]{4}[0-9a-z]{2})(-|$)/;

function ownerOf(labPrefix: string): number | undefined {
  const file = join(LAB_ROOT, labPrefix, "owner.pid");
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Removes namespaces and lab directories of dead runs: those whose owner process is gone (or that never got an
 * owner file). Returns what it removed, so the caller can report it.
 */
export function sweepDeadLabs(): string[] {
  const swept: string[] = [];
  const byLab = new Map<string, string[]>();
  for (const ns of listNamespaces()) {
    const m = LAB_PREFIX_RE.exec(ns);
    if (m?.[1]) byLab.set(m[1], [...(byLab.get(m[1]) ?? []), ns]);
  }
  const dirs = existsSync(LAB_ROOT) ? readdirSync(LAB_ROOT).filter((d) => LAB_PREFIX_RE.test(d)) : [];
  for (const d of dirs) if (!byLab.has(d)) byLab.set(d, []);
  for (const [lab, namespaces] of byLab) {
    const owner = ownerOf(lab);
    if (owner !== undefined && isAlive(owner)) continue;
    destroyNamespaces(namespaces);
    rmSync(join(LAB_ROOT, lab), { recursive: true, force: true });
    swept.push(lab);
  }
  return swept;
}

/**
 * charon/starter processes that belong to labs whose prefix starts with `prefix`: their mount table holds the
 * bind-mounted instance `run` directory under LAB_ROOT/<lab>/ (works even after their namespace is gone).
 */
export function strayDaemons(prefix: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      if (comm !== "charon" && comm !== "starter") continue;
      const mounts = readFileSync(`/proc/${pid}/mountinfo`, "utf8");
      // The mount root is relative to its filesystem (/tmp may be a tmpfs), so match the tail of the path.
      if (mounts.includes(`/s2s-e2e/${prefix}`)) found.push(pid);
    } catch {
      /* exited meanwhile */
    }
  }
  return found;
}

