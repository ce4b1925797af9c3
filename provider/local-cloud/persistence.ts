/**
 * Reads and writes the state file. Writes are atomic (temp file in the same directory, fsync, rename, fsync of the
 * directory) and the file is created 0600 because it holds API secret keys and PSKs. A file that cannot be read
 * back is refused, never reset: silently starting empty would orphan whatever the user's stacks point at.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { worldStateSchema, type WorldState } from "./state";

export class CorruptStateError extends Error {
  constructor(readonly file: string, reason: string) {
    super(
      `local-cloud state file ${file} is unreadable (${reason}); it was left untouched. ` +
        `Move it aside (e.g. mv ${file} ${file}.broken) to start a fresh local cloud, or point --state at another file`,
    );
    this.name = "CorruptStateError";
  }
}

/** Returns undefined when the file does not exist yet. */
export function loadState(file: string): WorldState | undefined {
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CorruptStateError(file, `cannot be read: ${(error as NodeJS.ErrnoException).code ?? "I/O error"}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // V8's parse message quotes the input, which may contain secret keys: report only that it is not JSON.
    throw new CorruptStateError(file, "not valid JSON");
  }
  const parsed = worldStateSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? first.path.join(".") || "(root)" : "(root)";
    throw new CorruptStateError(file, `does not match the state schema at ${where}: ${first?.code ?? "invalid"}`);
  }
  return parsed.data;
}

export function saveState(file: string, state: WorldState): void {
  writeFileAtomic(file, JSON.stringify(state));
}

/** Temp file (created 0600) + fsync + rename + directory fsync: readers see the old or the new file, never half. */
export function writeFileAtomic(file: string, text: string): void {
  const directory = dirname(file);
  const temp = join(directory, `.${basename(file)}.${process.pid}.tmp`);
  if (existsSync(temp)) unlinkSync(temp);
  // "wx" creates the file with mode 0600 from the start: there is no moment where a secret is readable by others.
  const fd = openSync(temp, "wx", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  renameSync(temp, file);
  try {
    const dirFd = openSync(directory, "r");
    fsyncSync(dirFd);
    closeSync(dirFd);
  } catch {
    // Directory fsync is not supported everywhere; the rename itself is still atomic.
  }
}
