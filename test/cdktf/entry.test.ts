/**
 * `cloudstack-s2s/cdktf` is a separate entry: nothing the main entry (provider/index.ts) loads, transitively,
 * imports cdktf, constructs or provider/cdktf/, so Pulumi users need neither optional peer dependency.
 */
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  // Type-only imports vanish from the compiled JavaScript.
  return [...text.matchAll(/^(?!import type)(?:import|export)\b[^;]*?from\s+"([^"]+)"|require\("([^"]+)"\)/gm)].map((m) => (m[1] ?? m[2])!);
}

function resolveLocal(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  return [`${base}.ts`, join(base, "index.ts")].find((f) => existsSync(f));
}

it("the main entry's import graph reaches neither cdktf, constructs nor provider/cdktf", () => {
  const seen = new Set<string>();
  const external = new Set<string>();
  const queue = [join(ROOT, "provider", "index.ts")];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith(".")) {
        const local = resolveLocal(file, spec);
        if (local) queue.push(local);
      } else external.add(spec.split("/")[0]!.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
    }
  }
  expect(seen.size).toBeGreaterThan(20); // the walk really followed the graph
  expect([...seen].filter((f) => f.includes(join("provider", "cdktf")))).toEqual([]);
  expect([...external].filter((e) => e === "cdktf" || e === "constructs")).toEqual([]);
});
