/**
 * What the push needs from a gateway: run a fixed command, move files, hold a lock. The SSH implementation is
 * `SshGatewayHost`; tests of the transaction logic use a fake that records what it was asked to do.
 *
 * Commands are fixed strings built by the push from validated values; nothing secret ever goes into one. Secret
 * bytes travel only as file contents (`writeFile`) or `stdin`.
 */
export interface ExecOptions {
  /** Written to the command's standard input, then closed. */
  stdin?: string | Buffer;
  /** @default 30000 */
  timeoutMs?: number;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface WriteFileOptions {
  /** Permission bits the file is CREATED with (never chmod-ed afterwards: a secret is never readable by others). */
  mode: number;
  /** Fail when the file exists (temporary files: never write into something already there). @default true */
  exclusive?: boolean;
}

export interface FileInfo {
  /** Permission bits (mode & 0o7777). */
  mode: number;
  size: number;
}

/** A long-running remote command (a lock holder); `release()` closes its stdin and waits for it to end. */
export interface HeldCommand {
  release(): Promise<void>;
}

export interface GatewayHost {
  /** Who this is, for messages and the in-process lock key: `user@host:port` (plus ` via <jump>`). Never secret. */
  readonly identity: string;
  /** false once the transport has dropped; `reconnect()` may bring it back. */
  readonly connected: boolean;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** The file's bytes, or undefined when it does not exist. */
  readFile(path: string): Promise<Buffer | undefined>;
  writeFile(path: string, data: string | Buffer, options: WriteFileOptions): Promise<void>;
  /** undefined when it does not exist. */
  stat(path: string): Promise<FileInfo | undefined>;
  /** Atomic replace (POSIX rename): readers see the old file or the new one, never a mix. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a missing file is not an error. */
  remove(path: string): Promise<void>;
  /** Names (not paths) in a directory. */
  list(dir: string): Promise<string[]>;
  /** Starts `command` and resolves once its stdout contains `readyText`; rejects if it ends first or times out. */
  hold(command: string, options: { readyText: string; timeoutMs: number }): Promise<HeldCommand>;
  /** Re-establishes a dropped transport (same target, same pinned keys). */
  reconnect?(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown by a host when the transport dropped during an operation (restore then reconnects first). */
export class GatewayConnectionLostError extends Error {
  readonly code = "gateway-connection-lost";
  constructor(identity: string, during: string) {
    super(`${identity}: the connection dropped during ${during}`);
    this.name = "GatewayConnectionLostError";
  }
}
