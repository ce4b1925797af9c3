import type { z } from "zod";

/** Adds one of our own findings to a zod refinement context (text after the path; never a secret). */
export function report(ctx: z.RefinementCtx, path: PropertyKey[], code: string, text: string): void {
  ctx.addIssue({ code: "custom", path: path as (string | number)[], message: text, params: { code } });
}

/** Refinements that must run even when sibling fields failed, so that every problem is reported at once. */
export const ALWAYS = { when: () => true } as const;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
