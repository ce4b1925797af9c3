/**
 * How the demo talks: one "▸ doing X…" line when a step starts (so a slow step is visibly in progress), one
 * "✓ result" line with its duration when it ends, and the final table. Plain text without colours or cursor
 * tricks, so the output reads the same in a terminal, a CI log and the e2e test that checks it.
 */

export type Say = (line: string) => void;

export const say: Say = (line) => process.stdout.write(`${line}\n`);

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

export function bytes(n: number | undefined): string {
  if (n === undefined) return "?";
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`;
}

/** Runs one step: announces it, times it, prints what it yields (one or more detail lines). */
export async function step<T>(label: string, fn: () => Promise<T>, describe: (value: T) => string | string[]): Promise<T> {
  say(`▸ ${label}…`);
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const [first, ...rest] = ([] as string[]).concat(describe(value));
  say(`  ✓ ${first ?? "done"} (${seconds(ms)})`);
  for (const line of rest) say(`    ${line}`);
  return value;
}

/** A plain text table: columns padded to their widest cell, a rule under the header. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)];
}
