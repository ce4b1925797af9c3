/**
 * An in-memory gateway for unit tests of the transaction: a file system, an iptables that understands the
 * `iptables-save`/`iptables-restore --noflush` grammar the push uses, and a charon whose loaded connections follow
 * our conf files on `ipsec update`. Records every operation and fails any of them on demand.
 */
import { HEAL_GONE_COMMAND, HEAL_RULES_PATH, HEAL_SCRIPT_PATH, HEAL_START_COMMAND, HEAL_STATUS_COMMAND } from "../../../provider/render/heal";
import { checkOwnConf, expectedConnections } from "../../../provider/push/conf-check";
import type { ExecOptions, ExecResult, FileInfo, GatewayHost, HeldCommand, WriteFileOptions } from "../../../provider/push";

type Table = Map<string, string[]>; // chain -> rules ("-A CHAIN …")

export interface FakeFailure {
  /** Operation label: `exec:<command>`, `write:<path>`, `rename:<to>`, `remove:<path>`, `hold`, `read:<path>`. */
  match: (op: string) => boolean;
  /** Return this exit code instead of throwing (exec only). */
  code?: number;
  /** Run this instead of failing (to simulate something else changing the gateway). */
  sideEffect?: (host: FakeGatewayHost) => void;
  times?: number;
}

export class FakeGatewayHost implements GatewayHost {
  readonly identity: string;
  connected = true;
  files = new Map<string, { content: Buffer; mode: number }>();
  tables = new Map<string, Table>([
    ["filter", new Map([["INPUT", ["-A INPUT -i lo -j ACCEPT"]], ["FORWARD", []], ["OUTPUT", []]])],
    ["nat", new Map([["PREROUTING", []], ["INPUT", []], ["OUTPUT", []], ["POSTROUTING", ["-A POSTROUTING -o eth1 -m mark --mark 0x525 -j ACCEPT"]]])],
    ["mangle", new Map([["PREROUTING", []], ["INPUT", []], ["FORWARD", []], ["OUTPUT", []], ["POSTROUTING", []]])],
  ]);
  loaded: { name: string; remoteId: string; localTs: string[]; remoteTs: string[] }[] = [];
  log: string[] = [];
  failures: FakeFailure[] = [];
  /** What the gateway's foreign secrets files hold, as the push's selector reader prints it (`file\tselectors`). */
  foreignSelectors = "";
  /** When false, `ipsec update` does nothing (a starter that ignores SIGHUP). */
  updateLoads = true;
  lockHeld = false;
  healRunning = false;
  /** strongSwan stopped (a redundant pair's BACKUP): `ipsec statusall` exits 3 silently, reload commands fail. */
  charonStopped = false;
  maxConcurrentLocks = 0;
  private locks = 0;

  constructor(identity = "root@fake-gateway:3922") {
    this.identity = identity;
    this.files.set("/etc/ipsec.d/ipsec.vpn-203.0.113.99.conf", { content: Buffer.from("conn vpn-203.0.113.99\n right=203.0.113.99\n"), mode: 0o644 });
  }

  private check(op: string): FakeFailure | undefined {
    this.log.push(op);
    const f = this.failures.find((x) => x.match(op) && (x.times ?? 1) > 0);
    if (!f) return undefined;
    f.times = (f.times ?? 1) - 1;
    if (f.sideEffect) {
      f.sideEffect(this);
      return undefined;
    }
    return f;
  }

  private fail(op: string): void {
    const f = this.check(op);
    if (f) throw new Error(`injected failure: ${op}`);
  }

  save(): string {
    let out = "";
    for (const [t, chains] of this.tables) {
      out += `*${t}\n`;
      for (const c of chains.keys()) out += `:${c} ${/^[A-Z]+$/.test(c) ? "ACCEPT" : "-"} [0:0]\n`;
      for (const rules of chains.values()) out += rules.map((r) => `${r}\n`).join("");
      out += "COMMIT\n";
    }
    return out;
  }

  private restore(text: string, test: boolean): ExecResult {
    const copy = new Map([...this.tables].map(([t, c]) => [t, new Map([...c].map(([n, r]) => [n, [...r]]))]));
    let table: Table | undefined;
    for (const line of text.split("\n").filter(Boolean)) {
      let m: RegExpExecArray | null;
      if (line.startsWith("*")) table = copy.get(line.slice(1)) ?? new Map();
      else if (line === "COMMIT") continue;
      else if ((m = /^:(\S+) /.exec(line))) table!.set(m[1]!, []);
      else if ((m = /^-A (\S+) /.exec(line))) {
        if (/999\.|NO_SUCH/.test(line)) return { code: 2, stdout: "", stderr: `iptables-restore: bad rule: ${line}` };
        table!.get(m[1]!)!.push(line);
      } else if ((m = /^-D (\S+) (.*)$/.exec(line))) {
        const rules = table!.get(m[1]!)!;
        const i = rules.indexOf(`-A ${m[1]} ${m[2]}`);
        if (i < 0) return { code: 1, stdout: "", stderr: `iptables-restore: no such rule: ${line}` };
        rules.splice(i, 1);
      } else if ((m = /^-I (\S+) (\d+) (.*)$/.exec(line))) table!.get(m[1]!)!.splice(Number(m[2]) - 1, 0, `-A ${m[1]} ${m[3]}`);
      else if ((m = /^-X (\S+)$/.exec(line))) table!.delete(m[1]!);
      else return { code: 2, stdout: "", stderr: `iptables-restore: cannot parse ${line}` };
    }
    if (!test) this.tables = copy;
    return { code: 0, stdout: "", stderr: "" };
  }

  statusall(): string {
    const lines = ["Status of IKE charon daemon (fake):", "Connections:", "vpn-203.0.113.99:  198.51.100.10...203.0.113.99  IKEv2"];
    for (const c of this.loaded) lines.push(`${c.name}:  198.51.100.10...%any  IKEv2`, `${c.name}:   remote: [${c.remoteId}] uses pre-shared key authentication`, `${c.name}:   child:  ${c.localTs.join(" ")} === ${c.remoteTs.join(" ")} TUNNEL, dpdaction=clear`);
    lines.push("Security Associations (0 up, 0 connecting):", "  none");
    return `${lines.join("\n")}\n`;
  }

  private update(): void {
    if (!this.updateLoads) return;
    this.loaded = [];
    for (const [path, f] of [...this.files].sort()) {
      const base = /^\/etc\/ipsec\.d\/(s2s-[a-z0-9-]+)\.conf$/.exec(path)?.[1];
      if (!base) continue;
      const names = [...f.content.toString().matchAll(/^conn (\S+)$/gm)].map((m) => m[1]!);
      this.loaded.push(...expectedConnections(checkOwnConf(path, f.content.toString(), names)));
    }
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (!this.connected) throw new Error("fake: not connected");
    const f = this.check(`exec:${command}`);
    if (f) return { code: f.code ?? 1, stdout: "", stderr: `injected failure of ${command}` };
    const stdin = options.stdin?.toString() ?? "";
    if (command === "iptables-save") return { code: 0, stdout: this.save(), stderr: "" };
    if (command === "iptables-restore -w 10 --noflush --test") return this.restore(stdin, true);
    if (command === "iptables-restore -w 10 --noflush") return this.restore(stdin, false);
    if (this.charonStopped && command.startsWith("ipsec ")) return command === "ipsec statusall" ? { code: 3, stdout: "", stderr: "" } : { code: 7, stdout: "", stderr: "starter is not running" };
    if (command === "ipsec statusall") return { code: 0, stdout: this.statusall(), stderr: "" };
    if (command === "ipsec rereadsecrets") return { code: 0, stdout: "", stderr: "" };
    if (command === "ipsec update") {
      this.update();
      return { code: 0, stdout: "", stderr: "" };
    }
    if (command.startsWith("awk ")) return { code: 0, stdout: this.foreignSelectors, stderr: "" };
    if (/^ipsec down s2s-[a-z0-9-]+$/.test(command) || /^conntrack -D /.test(command)) return { code: 0, stdout: "", stderr: "" };
    // The s2s-heal watcher, as its script behaves: it runs while its rules file exists.
    if (command === HEAL_START_COMMAND) {
      this.healRunning = this.files.has(HEAL_RULES_PATH);
      return { code: this.files.has(HEAL_SCRIPT_PATH) ? 0 : 127, stdout: "", stderr: "" };
    }
    if (command === HEAL_STATUS_COMMAND) {
      if (!this.files.has(HEAL_RULES_PATH)) this.healRunning = false;
      return this.files.has(HEAL_SCRIPT_PATH) ? { code: 0, stdout: `version=1\nrunning=${this.healRunning ? "yes\npid=4242" : "no"}\n`, stderr: "" } : { code: 127, stdout: "", stderr: "sh: not found" };
    }
    if (command === HEAL_GONE_COMMAND) {
      if (!this.files.has(HEAL_RULES_PATH)) this.healRunning = false;
      return { code: this.healRunning ? 1 : 0, stdout: "", stderr: "" };
    }
    return { code: 127, stdout: "", stderr: `fake: unknown command ${command}` };
  }

  async readFile(path: string): Promise<Buffer | undefined> {
    this.fail(`read:${path}`);
    return this.files.get(path)?.content;
  }

  async writeFile(path: string, data: string | Buffer, options: WriteFileOptions): Promise<void> {
    this.fail(`write:${path}`);
    if (options.exclusive !== false && this.files.has(path)) throw new Error(`fake: ${path} exists`);
    this.files.set(path, { content: Buffer.from(data), mode: options.mode });
  }

  async stat(path: string): Promise<FileInfo | undefined> {
    const f = this.files.get(path);
    return f ? { mode: f.mode, size: f.content.length } : undefined;
  }

  async rename(from: string, to: string): Promise<void> {
    this.fail(`rename:${to}`);
    const f = this.files.get(from);
    if (!f) throw new Error(`fake: no ${from}`);
    this.files.delete(from);
    this.files.set(to, f);
  }

  async remove(path: string): Promise<void> {
    this.fail(`remove:${path}`);
    this.files.delete(path);
  }

  async list(dir: string): Promise<string[]> {
    return [...this.files.keys()].filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1)).sort();
  }

  async hold(): Promise<HeldCommand> {
    this.fail("hold");
    // A remote flock: wait while another holder has it.
    while (this.lockHeld) await new Promise((r) => setTimeout(r, 1));
    this.lockHeld = true;
    this.locks++;
    this.maxConcurrentLocks = Math.max(this.maxConcurrentLocks, this.locks);
    return {
      release: async () => {
        this.locks--;
        this.lockHeld = false;
      },
    };
  }

  async close(): Promise<void> {
    this.connected = false;
  }

  /** Everything that must be equal before and after a failed push. */
  observe(): { files: [string, string, number][]; iptables: string; loaded: string } {
    return { files: [...this.files].sort().map(([p, f]) => [p, f.content.toString("base64"), f.mode]), iptables: this.save(), loaded: JSON.stringify(this.loaded) };
  }
}
