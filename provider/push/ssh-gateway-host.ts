import type { Duplex } from "node:stream";
import { Client, type ClientChannel, type ConnectConfig, type SFTPWrapper } from "ssh2";
import { GatewayConnectionLostError, type ExecOptions, type ExecResult, type FileInfo, type GatewayHost, type HeldCommand, type WriteFileOptions } from "./gateway-host";
import { fingerprintOf, HostKeyMismatchError, keyTypeOf, parseHostKeyPin } from "./host-key";

/** The CloudStack VR's sshd listens on 3922 (link-local, reached through the hypervisor host). */
export const DEFAULT_VR_SSH_PORT = 3922;

export interface SshEndpoint {
  host: string;
  /** @default 3922 for the gateway (the VR's), 22 for a jump host */
  port?: number;
  /** @default "root" */
  username?: string;
  /** The private key itself (PEM or OpenSSH format), never a path. Kept in memory only. */
  privateKey: string | Buffer;
  /** For an encrypted private key. */
  passphrase?: string;
  /** The pinned host key: `SHA256:…` as `ssh-keygen -l` prints it, or a known_hosts line. Required. */
  hostKey: string;
}

export interface SshGatewayOptions extends SshEndpoint {
  /** Reach the gateway through this host first (ssh2 `forwardOut`), e.g. the hypervisor host of a VR. */
  jump?: SshEndpoint;
  /** TCP connect + SSH handshake + authentication, per hop. @default 10000 */
  connectTimeoutMs?: number;
  /** Default for `exec` when the call gives none. @default 30000 */
  commandTimeoutMs?: number;
  /**
   * Opens the byte stream to the first hop instead of a TCP connection from this process. For gateways reached
   * through something else than plain TCP; the tests use a stream opened inside a network namespace.
   * @default - a TCP connection to the first hop's host and port
   */
  openStream?: (host: string, port: number) => Promise<Duplex>;
}

function describe(e: SshEndpoint, defaultPort: number): string {
  return `${e.username ?? "root"}@${e.host}:${e.port ?? defaultPort}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error, cleanup?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup?.();
      reject(onTimeout());
    }, ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    );
  });
}

/** Connects one hop; the host key is checked against the pin before any authentication is attempted. */
function connectHop(endpoint: SshEndpoint, defaultPort: number, field: string, sock: Duplex | undefined, timeoutMs: number): Promise<Client> {
  const pin = parseHostKeyPin(endpoint.hostKey, field);
  const target = describe(endpoint, defaultPort);
  let presented: Buffer | undefined;
  const client = new Client();
  const config: ConnectConfig = {
    host: endpoint.host,
    port: endpoint.port ?? defaultPort,
    username: endpoint.username ?? "root",
    privateKey: endpoint.privateKey,
    readyTimeout: timeoutMs,
    keepaliveInterval: 5_000,
    keepaliveCountMax: 3,
    hostVerifier: (key: Buffer) => {
      presented = key;
      return fingerprintOf(key) === pin.fingerprint && (pin.keyType === undefined || pin.keyType === keyTypeOf(key));
    },
    ...(endpoint.passphrase !== undefined ? { passphrase: endpoint.passphrase } : {}),
    ...(sock ? { sock } : {}),
  };
  // ssh2 reports transport failures through the client; a caller-supplied stream may still emit its own error
  // (e.g. "premature close") after ssh2 has let go of it, which must not become an unhandled error.
  sock?.on("error", () => undefined);
  const ready = new Promise<Client>((resolve, reject) => {
    client.once("ready", () => {
      // Request/response over one connection: Nagle + delayed ACKs would add tens of ms to every command.
      client.setNoDelay(true);
      resolve(client);
    });
    client.once("error", (e: Error & { level?: string }) => {
      if (presented && (fingerprintOf(presented) !== pin.fingerprint || (pin.keyType && pin.keyType !== keyTypeOf(presented)))) {
        reject(new HostKeyMismatchError(target, field, pin.fingerprint, fingerprintOf(presented), keyTypeOf(presented) ?? "unknown"));
      } else {
        // ssh2's texts hold no key material ("All configured authentication methods failed", "Timed out while waiting for handshake").
        reject(new Error(`ssh ${target}: ${e.level === "client-authentication" ? `authentication refused for ${endpoint.username ?? "root"} (is the public key in its authorized_keys?)` : e.message}`));
      }
    });
  });
  try {
    client.connect(config);
  } catch (e) {
    // Raised synchronously for an unparsable key or a wrong passphrase; the message names the problem, not the key.
    return Promise.reject(new Error(`ssh ${target}: \`${field === "hostKey" ? "privateKey" : "jump.privateKey"}\` cannot be used: ${(e as Error).message}`));
  }
  return withTimeout(ready, timeoutMs + 1_000, () => new Error(`ssh ${target}: no SSH session within ${timeoutMs} ms (connect timeout); check the address, port and that sshd runs`), () => client.end());
}

export class SshGatewayHost implements GatewayHost {
  readonly identity: string;
  private client: Client | undefined;
  private jumpClient: Client | undefined;
  private sftpSession: Promise<SFTPWrapper> | undefined;
  private live = false;
  /** Operations in flight: a dropped transport fails them at once instead of leaving them to their timeouts. */
  private readonly pending = new Set<(e: Error) => void>();

  private constructor(private readonly options: SshGatewayOptions) {
    const via = options.jump ? ` via ${describe(options.jump, 22)}` : "";
    this.identity = `${describe(options, DEFAULT_VR_SSH_PORT)}${via}`;
  }

  static async connect(options: SshGatewayOptions): Promise<SshGatewayHost> {
    const host = new SshGatewayHost(options);
    await host.reconnect();
    return host;
  }

  get connected(): boolean {
    return this.live;
  }

  async reconnect(): Promise<void> {
    this.dispose();
    const o = this.options;
    const timeout = o.connectTimeoutMs ?? 10_000;
    const open = async (h: string, p: number): Promise<Duplex | undefined> => (o.openStream ? withTimeout(o.openStream(h, p), timeout, () => new Error(`ssh ${h}:${p}: no stream within ${timeout} ms`)) : undefined);
    if (o.jump) {
      const jp = o.jump.port ?? 22;
      this.jumpClient = await connectHop(o.jump, 22, "jump.hostKey", await open(o.jump.host, jp), timeout);
      const jump = this.jumpClient;
      const stream = await withTimeout(
        new Promise<Duplex>((resolve, reject) =>
          jump.forwardOut("127.0.0.1", 0, o.host, o.port ?? DEFAULT_VR_SSH_PORT, (err, ch) => (err ? reject(new Error(`ssh ${describe(o.jump!, 22)}: cannot open a forward to ${o.host}:${o.port ?? DEFAULT_VR_SSH_PORT}: ${err.message}`)) : resolve(ch))),
        ),
        timeout,
        () => new Error(`ssh ${describe(o.jump!, 22)}: forward to ${o.host}:${o.port ?? DEFAULT_VR_SSH_PORT} not opened within ${timeout} ms`),
      );
      this.client = await connectHop(o, DEFAULT_VR_SSH_PORT, "hostKey", stream, timeout);
    } else {
      this.client = await connectHop(o, DEFAULT_VR_SSH_PORT, "hostKey", await open(o.host, o.port ?? DEFAULT_VR_SSH_PORT), timeout);
    }
    const client = this.client;
    this.live = true;
    const down = (): void => {
      if (this.client === client) {
        this.live = false;
        this.sftpSession = undefined;
        for (const fail of [...this.pending]) fail(new GatewayConnectionLostError(this.identity, "an operation in flight"));
      }
    };
    client.on("close", down);
    client.on("end", down);
    client.on("error", down);
    this.jumpClient?.on("close", down);
  }

  private track<T>(executor: (resolve: (v: T) => void, reject: (e: Error) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const fail = (e: Error): void => reject(e);
      this.pending.add(fail);
      executor(
        (v) => (this.pending.delete(fail), resolve(v)),
        (e) => (this.pending.delete(fail), reject(e)),
      );
    });
  }

  private need(during: string): Client {
    if (!this.live || !this.client) throw new GatewayConnectionLostError(this.identity, during);
    return this.client;
  }

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const client = this.need(`\`${command}\``);
    const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs ?? 30_000;
    let channel: ClientChannel | undefined;
    const run = this.track<ExecResult>((resolve, reject) => {
      client.exec(command, (err, stream) => {
        if (err) return reject(this.live ? new Error(`${this.identity}: cannot start \`${command}\`: ${err.message}`) : new GatewayConnectionLostError(this.identity, `\`${command}\``));
        channel = stream;
        const out: Buffer[] = [];
        const errs: Buffer[] = [];
        stream.on("data", (d: Buffer) => out.push(d));
        stream.stderr.on("data", (d: Buffer) => errs.push(d));
        stream.on("close", (code: number | null | undefined) => {
          if (typeof code !== "number") return reject(new GatewayConnectionLostError(this.identity, `\`${command}\``));
          resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(errs).toString("utf8") });
        });
        stream.end(options.stdin);
      });
    });
    return withTimeout(run, timeoutMs, () => new Error(`${this.identity}: \`${command}\` did not finish within ${timeoutMs} ms (command timeout); it was signalled KILL`), () => {
      channel?.signal("KILL");
      channel?.close();
    });
  }

  private sftp(during: string): Promise<SFTPWrapper> {
    const client = this.need(during);
    this.sftpSession ??= new Promise<SFTPWrapper>((resolve, reject) => client.sftp((err, s) => (err ? reject(new Error(`${this.identity}: SFTP unavailable (${err.message}); the gateway's sshd needs the sftp subsystem`)) : resolve(s))));
    return this.sftpSession;
  }

  private async sftpCall<T>(during: string, op: (s: SFTPWrapper, cb: (err: (Error & { code?: number }) | null | undefined, v?: T) => void) => void): Promise<T> {
    const s = await this.sftp(during);
    return withTimeout(
      this.track<T>((resolve, reject) =>
        op(s, (err, v) => {
          if (!err) return resolve(v as T);
          reject(this.live ? Object.assign(new Error(`${this.identity}: SFTP ${during}: ${err.message}`), { sftpCode: err.code }) : new GatewayConnectionLostError(this.identity, `SFTP ${during}`));
        }),
      ),
      this.options.commandTimeoutMs ?? 30_000,
      () => new Error(`${this.identity}: SFTP ${during} did not finish in time`),
    );
  }

  async readFile(path: string): Promise<Buffer | undefined> {
    if ((await this.stat(path)) === undefined) return undefined;
    return this.sftpCall<Buffer>(`read ${path}`, (s, cb) => s.readFile(path, (err, data) => cb(err, data)));
  }

  async writeFile(path: string, data: string | Buffer, options: WriteFileOptions): Promise<void> {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    // O_CREAT with the mode in the same call: the file never exists with wider permissions, not even empty.
    const flags = options.exclusive === false ? "w" : "wx";
    const handle = await this.sftpCall<Buffer>(`create ${path}`, (s, cb) => s.open(path, flags, { mode: options.mode }, (err, h) => cb(err, h)));
    try {
      let offset = 0;
      while (offset < bytes.length) {
        const n = Math.min(32 * 1024, bytes.length - offset);
        await this.sftpCall<void>(`write ${path}`, (s, cb) => s.write(handle, bytes, offset, n, offset, (err) => cb(err)));
        offset += n;
      }
    } finally {
      await this.sftpCall<void>(`close ${path}`, (s, cb) => s.close(handle, (err) => cb(err))).catch(() => undefined);
    }
  }

  async stat(path: string): Promise<FileInfo | undefined> {
    try {
      const st = await this.sftpCall<{ mode: number; size: number }>(`stat ${path}`, (s, cb) => s.lstat(path, (err, st) => cb(err, st)));
      return { mode: st.mode & 0o7777, size: st.size };
    } catch (e) {
      if ((e as { sftpCode?: number }).sftpCode === 2) return undefined; // SSH_FX_NO_SUCH_FILE
      throw e;
    }
  }

  rename(from: string, to: string): Promise<void> {
    // posix-rename@openssh.com replaces the target atomically; plain SFTP rename refuses an existing target.
    return this.sftpCall<void>(`rename ${from} -> ${to}`, (s, cb) => s.ext_openssh_rename(from, to, (err) => cb(err)));
  }

  async remove(path: string): Promise<void> {
    try {
      await this.sftpCall<void>(`remove ${path}`, (s, cb) => s.unlink(path, (err) => cb(err)));
    } catch (e) {
      if ((e as { sftpCode?: number }).sftpCode !== 2) throw e;
    }
  }

  async list(dir: string): Promise<string[]> {
    const entries = await this.sftpCall<{ filename: string }[]>(`list ${dir}`, (s, cb) => s.readdir(dir, (err, list) => cb(err, list)));
    return entries.map((e) => e.filename).sort();
  }

  hold(command: string, options: { readyText: string; timeoutMs: number }): Promise<HeldCommand> {
    const client = this.need(`\`${command}\``);
    let channel: ClientChannel | undefined;
    const started = this.track<HeldCommand>((resolve, reject) => {
      client.exec(command, (err, stream) => {
        if (err) return reject(new Error(`${this.identity}: cannot start \`${command}\`: ${err.message}`));
        channel = stream;
        let seen = "";
        let errText = "";
        const ended = new Promise<void>((done) => stream.on("close", () => done()));
        stream.stderr.on("data", (d: Buffer) => (errText += d.toString("utf8")));
        stream.on("data", (d: Buffer) => {
          seen += d.toString("utf8");
          if (seen.includes(options.readyText)) {
            resolve({
              release: async () => {
                stream.end();
                await withTimeout(ended, 5_000, () => new Error(`${this.identity}: \`${command}\` did not end after its stdin closed`), () => stream.close());
              },
            });
          }
        });
        stream.on("close", (code: number | undefined) => reject(new Error(`${this.identity}: \`${command}\` ended (exit ${code ?? "none"}) before it printed ${options.readyText}: ${errText.trim().slice(0, 300)}`)));
      });
    });
    return withTimeout(started, options.timeoutMs, () => new Error(`${this.identity}: \`${command}\` did not print ${options.readyText} within ${options.timeoutMs} ms`), () => channel?.close());
  }

  private dispose(): void {
    this.live = false;
    this.sftpSession = undefined;
    this.client?.end();
    this.jumpClient?.end();
    this.client = undefined;
    this.jumpClient = undefined;
  }

  async close(): Promise<void> {
    const c = this.client;
    const closed = c && this.live ? new Promise<void>((r) => c.once("close", () => r())) : Promise.resolve();
    this.dispose();
    await withTimeout(closed, 3_000, () => new Error("close timeout")).catch(() => undefined);
  }
}

/** Opens an SSH-backed gateway host; the host key (and the jump host's) must match the pins. */
export function connectSshGateway(options: SshGatewayOptions): Promise<SshGatewayHost> {
  return SshGatewayHost.connect(options);
}
