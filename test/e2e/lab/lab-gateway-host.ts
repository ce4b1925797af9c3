/**
 * A GatewayHost over a lab instance: commands run inside the instance's namespace and mounts, as they would over
 * SSH on the router. Lets the live doctor and status read a lab VR that has no sshd; the SSH transport itself is
 * the push's (tested against a real sshd in test/push). Read-only: writing methods throw.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import type { ExecResult, GatewayHost } from "../../../provider/push";
import type { Instance } from "./instance";

export function labGatewayHost(inst: Instance): GatewayHost {
  const local = (path: string): string | undefined => {
    try {
      return inst.hostPath(path);
    } catch {
      return undefined;
    }
  };
  const refuse = (): never => {
    throw new Error("the lab gateway host is read-only");
  };
  return {
    identity: `lab:${inst.name}`,
    connected: true,
    exec: async (command: string): Promise<ExecResult> => inst.sh(command, { allowFail: true }),
    readFile: async (path: string) => {
      const p = local(path);
      return p && existsSync(p) ? readFileSync(p) : undefined;
    },
    stat: async (path: string) => {
      const p = local(path);
      if (!p || !existsSync(p)) return undefined;
      const s = statSync(p);
      return { mode: s.mode & 0o7777, size: s.size };
    },
    list: async () => [],
    writeFile: async () => refuse(),
    rename: async () => refuse(),
    remove: async () => refuse(),
    hold: async () => refuse(),
    close: async () => undefined,
  };
}
