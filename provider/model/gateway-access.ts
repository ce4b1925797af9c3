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
  /** The other router of a redundant VPC (`redundantvpcrouter`): pushed in the same transaction as this one. */
  secondRouter?: SecondRouterSpec;
  /** With `secondRouter`: push to the router that answers when the other cannot be reached (recorded out of sync). */
  allowPartialPush?: boolean;
  /** Accept a router's new host key when CloudStack reports that router as re-created (see the schema). */
  acceptRecreatedRouterKey?: boolean;
}

/** The second router of a pair: its own address, port and host key; login key, user and jump as the first's unless given. */
export interface SecondRouterSpec {
  host: string;
  port?: number;
  username?: string;
  privateKey?: string;
  hostKey: string;
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

/** `ssh.secondRouter`: a redundant VPC's other router (CloudStack injects the same login key into both). */
export function secondRouterSchema() {
  return sshEndpointSchema().extend({
    host: z.string().min(1).max(253).meta({ description: "The second router's control address (`linklocalip` in listRouters) or name." }),
    port: z.number().int().min(1).max(65535).optional().meta({ description: "SSH port. @default 3922" }),
    username: z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, "must be a plain user name, e.g. root").optional().meta({ description: "Login user. @default the first router's" }),
    privateKey: z.string().min(1).optional().meta({ description: "Its login key (secret). @default the first router's `privateKey` (CloudStack injects one key into every router)" }),
    hostKey: z.string().min(1).meta({ description: "The second router's own pinned host key (`SHA256:…` or a known_hosts line): each router of a pair has its own." }),
    jump: sshEndpointSchema().optional().meta({ description: "A hop first. @default the first router's `jump` (set it when the second router runs on another hypervisor)" }),
  });
}

export function gatewayAccessSchema() {
  return z.strictObject({
    publicInterface: z.string().regex(INTERFACE_NAME_RE, INTERFACE_NAME_RULE).default(DEFAULT_PUBLIC_INTERFACE).meta({ description: "The router interface that carries the public IP." }),
    ssh: sshEndpointSchema()
      .extend({
        jump: sshEndpointSchema().optional().meta({ description: "A hop first (usually the hypervisor host)." }),
        secondRouter: secondRouterSchema().optional().meta({ description: "A redundant VPC's other router (fields below): every push goes to both routers in one transaction, both or neither. Required when listRouters shows two routers for the VPC." }),
        acceptRecreatedRouterKey: z.boolean().optional().meta({ description: "Opt-in: when a router presents a host key other than its pin, accept that key only if CloudStack's listRouters shows the router at this control address with an id other than every router id recorded at the last successful push (a router re-created by `restartVPC` with cleanup), and record it (`acceptedHostKeys`, used for that router until the pin is updated). Makes CloudStack's API (an admin key: listRouters) the authority for the new key; never applies to a first push, a refresh or an unchanged router id. @default false: a changed key is refused until re-pinned" }),
        allowPartialPush: z.boolean().optional().meta({ description: "With `secondRouter`: when one router of the pair cannot be reached (connection refused or timed out; never a refused host key), push to the other and record the unreachable one as out of sync (`gatewayInSync: false`, naming it); the next push repairs it. @default false: the push fails, naming the router" }),
      })
      .optional()
      .meta({ description: "How to reach the router over SSH (fields below; the whole object is secret)." }),
  });
}

/** Shape issues plus host-key pins that do not parse (prefixed with the field path). */
export function gatewayAccessIssues(input: { publicInterface?: unknown; ssh?: unknown }): Issue[] {
  const parsed = gatewayAccessSchema().safeParse(input);
  if (!parsed.success) return issuesFromZod(parsed.error, input);
  const issues: Issue[] = [];
  const second = parsed.data.ssh?.secondRouter;
  const pins: [string, string | undefined][] = [
    ["ssh.hostKey", parsed.data.ssh?.hostKey],
    ["ssh.jump.hostKey", parsed.data.ssh?.jump?.hostKey],
    ["ssh.secondRouter.hostKey", second?.hostKey],
    ["ssh.secondRouter.jump.hostKey", second?.jump?.hostKey],
  ];
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
  if (second?.privateKey !== undefined && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(second.privateKey)) {
    issues.push(makeIssue("ssh.secondRouter.privateKey", "invalid-private-key", "is not a PEM or OpenSSH private key (the key itself, not a path); leave it out to use `ssh.privateKey`"));
  }
  const ssh = parsed.data.ssh;
  if (ssh && second && second.host === ssh.host && (second.port ?? 3922) === (ssh.port ?? 3922) && second.jump?.host === ssh.jump?.host) {
    issues.push(makeIssue("ssh.secondRouter.host", "same-router", `${JSON.stringify(second.host)} is the first router's address: give the other router's control address (listRouters \`linklocalip\`)`));
  }
  if (ssh?.allowPartialPush !== undefined && !second) {
    issues.push(makeIssue("ssh.allowPartialPush", "needs-second-router", "only applies to a redundant pair: set `ssh.secondRouter` too, or leave it out"));
  }
  return issues;
}

/**
 * One access spec per router the push goes to: the first router, then the second of a redundant pair (its login
 * key, user and jump inherited from the first unless it gives its own). Each is a plain single-router spec.
 */
export function routerAccesses(ssh: SshAccessSpec): SshAccessSpec[] {
  const { secondRouter, allowPartialPush: _partial, acceptRecreatedRouterKey: _accept, ...first } = ssh;
  if (!secondRouter) return [first];
  const jump = secondRouter.jump ?? first.jump;
  const second: SshAccessSpec = {
    host: secondRouter.host,
    privateKey: secondRouter.privateKey ?? first.privateKey,
    hostKey: secondRouter.hostKey,
    ...(secondRouter.port !== undefined ? { port: secondRouter.port } : {}),
    ...((secondRouter.username ?? first.username) !== undefined ? { username: (secondRouter.username ?? first.username)! } : {}),
    ...(jump ? { jump } : {}),
  };
  return [first, second];
}

/** `user@host:port` (plus ` via user@jump:port`): who the provider connects to. Never secret. */
export function sshTarget(ssh: SshAccessSpec): string {
  const one = (e: SshEndpointSpec, port: number) => `${e.username ?? "root"}@${e.host}:${e.port ?? port}`;
  return routerAccesses(ssh)
    .map((r) => (r.jump ? `${one(r, 3922)} via ${one(r.jump, 22)}` : one(r, 3922)))
    .join(" and ");
}
