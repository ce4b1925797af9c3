/**
 * Writes files that may hold secrets so that no one else can read them at any moment, and never through a link:
 * the content goes to a new temporary file in the same folder, created with its final mode before the first byte
 * is written, then renamed over the target. A symbolic link at the target, or at any folder between the output
 * folder and it, is refused (it could point the write, and the key, anywhere).
 */
import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { UsageError } from "./args";

async function refuseLink(path: string): Promise<boolean> {
  try {
    const st = await lstat(path);
    if (st.isSymbolicLink()) throw new UsageError(`${path} is a symbolic link; refusing to write through it (remove it, or choose another output path)`);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
}

/** Creates the folders from `root` down to `dir` (mode 0700 for new ones), refusing links below `root`. */
async function safeMkdir(root: string, dir: string): Promise<void> {
  const rel = relative(root, dir);
  if (rel.startsWith("..")) throw new UsageError(`${dir} is outside ${root}`);
  let current = root;
  if (!(await refuseLink(current))) await mkdir(current, { recursive: true, mode: 0o700 });
  for (const part of rel.split(sep).filter(Boolean)) {
    current = join(current, part);
    if (!(await refuseLink(current))) await mkdir(current, { mode: 0o700 });
  }
}

/** Writes `content` to `target` (inside `root`) with exactly `mode`, atomically. */
export async function writeFileSafely(root: string, target: string, content: string, mode: number): Promise<void> {
  await safeMkdir(root, dirname(target));
  await refuseLink(target);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temp, "wx", mode & 0o700);
  try {
    // open's mode is filtered by the umask: set it exactly, before any content exists in the file.
    await handle.chmod(mode);
    await handle.writeFile(content);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await rm(temp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
