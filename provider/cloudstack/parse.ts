/** zod parsing of response objects, with errors that name the path and never quote a value (lists hold PSKs). */
import type { z } from "zod";
import { CloudStackResponseError } from "./errors";

export function parseResponse<S extends z.ZodType>(schema: S, value: unknown, command: string, at = ""): z.infer<S> {
  const result = schema.safeParse(value, { reportInput: false });
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `\`${[at, ...issue.path.map(String)].filter((p) => p !== "").join(".") || "(root)"}\` ${issue.message}`)
    .join("; ");
  throw new CloudStackResponseError(command, problems);
}
