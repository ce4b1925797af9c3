import type { Issue } from "../model/issues";

export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
};

export function printIssues(io: Io, prefix: string, issues: readonly Issue[]): void {
  for (const issue of issues) io.err(`${prefix}${issue.severity}: ${issue.message}\n`);
}
