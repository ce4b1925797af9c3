import { main } from "../../provider/cli/main";
import type { Io } from "../../provider/cli/output";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with a capturing Io and the given environment (nothing from process.env). */
export async function run(argv: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const io: Io = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), env };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export const FIXTURES = "test/fixtures/sites";
export const EXAMPLES = "examples/sites";
