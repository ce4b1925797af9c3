/**
 * The VpnGateway's SSH access (only needed when a dynamic peer must be pushed to the gateway) and its public
 * interface. The host-key rule is `parseHostKeyPin`; the rest is shape.
 */
import { z } from "zod";
import { DEFAULT_PUBLIC_INTERFACE } from "./defaults";
import { parseHostKeyPin } from "./host-key-pin";
import { INTERFACE_NAME_RE, INTERFACE_NAME_RULE } from "./net";
import { issuesFromZod, makeIssue, type Issue } from "./issues";

export interface SshEndpointSpec {
  host: string;
  port?: number;
  username?: string;
  privateKey: string;
  hostKey: string;
}
export interface SshAccessSpec extends SshEndpointSpec {
  jump?: SshEndpointSpec;
}

export function sshEndpointSchema() {
  return z.strictObject({
    host: z.string().min(1).max(253).meta({ description: "Address or name the provider connects to (the router's control address, or the hypervisor host for `jump`)." }),
    port: z.number().int().min(1).max(65535).optional().meta({ description: "SSH port. @default 3922 (the CloudStack VR's), 22 for `jump`" }),
    username: z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, "must be a plain user name, e.g. root").optional().meta({ description: "Login user. @default root" }),
    privateKey: z.string().min(1).meta({ description: "The private key itself (PEM/OpenSSH text, secret), never a path." }),
    hostKey: z.string().min(1).meta({ description: "Pinned host key: `SHA256:…` as `ssh-keygen -l` prints it, or a known_hosts line. Unknown or changed keys are refused." }),
  });
}

export function gatewayAccessSchema() {
  return z.strictObject({
    publicInterface: z.string().regex(INTERFACE_NAME_RE, INTERFACE_NAME_RULE).default(DEFAULT_PUBLIC_INTERFACE).meta({ description: "The router interface that carries the public IP." }),
    ssh: sshEndpointSchema().extend({ jump: sshEndpointSchema().optional().meta({ description: "A hop first (usually the hypervisor host)." }) }).optional().meta({ description: "How to reach the router over SSH (fields below; the whole object is secret)." }),
  });
}

/** Shape issues plus host-key pins that do not parse (prefixed with the field path). */
export function gatewayAccessIssues(input: { publicInterface?: unknown; ssh?: unknown }): Issue[] {
  const parsed = gatewayAccessSchema().safeParse(input);
  if (!parsed.success) return issuesFromZod(parsed.error, input);
  const issues: Issue[] = [];
  const pins: [string, string | undefined][] = [["ssh.hostKey", parsed.data.ssh?.hostKey], ["ssh.jump.hostKey", parsed.data.ssh?.jump?.hostKey]];
  for (const [path, pin] of pins) {
    if (pin === undefined) continue;
    try {
      parseHostKeyPin(pin, path);
    } catch (e) {
      issues.push(makeIssue(path, "invalid-host-key", (e as Error).message.replace(/^`[^`]*` ?/, "")));
    }
  }
  if (parsed.data.ssh?.privateKey !== undefined && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(parsed.data.ssh.privateKey)) {
    issues.push(makeIssue("ssh.privateKey", "invalid-private-key", "is not a PEM or OpenSSH private key (the key itself, starting with -----BEGIN …PRIVATE KEY-----, not a path)"));
  }
  return issues;
}

/** `user@host:port` (plus ` via user@jump:port`): who the provider connects to. Never secret. */
export function sshTarget(ssh: SshAccessSpec): string {
  const one = (e: SshEndpointSpec, port: number) => `${e.username ?? "root"}@${e.host}:${e.port ?? port}`;
  return ssh.jump ? `${one(ssh, 3922)} via ${one(ssh.jump, 22)}` : one(ssh, 3922);
}
