/**
 * Pushing to both routers of a redundant VPC (push.ts runPushAll, peer.ts pushPeerToRouters, routers.ts RouterSet)
 * on fake gateways: both or neither, the BACKUP (strongSwan stopped, as CloudStack keeps it) gets files, rules and
 * the heal watcher without a reload, irrevocable steps run only once every router is verified, and a router that
 * cannot be reached is named. The same with real sshd/charon/VRRP failover: test/e2e/redundant-vpc.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { SshAccessSpec } from "../../provider/model/gateway-access";
import { gatewayAccessIssues, routerAccesses, sshTarget } from "../../provider/model/gateway-access";
import { siteToDataBag } from "../../provider/model/site";
import { HostKeyMismatchError, parseStateFile, pushPeer, pushPeerToRouters, PushError, routerCoverageProblem, RouterSet, STATE_PATH, type GatewayHost } from "../../provider/push";
import { dynamicSite } from "../helpers/sites";
import { FakeGatewayHost } from "./helpers/fake-gateway-host";

const PSK = "unit-test-psk-a-0123456789-abcdefghij";
const bag = (o: { cidrs?: string[]; create?: boolean } = {}) =>
  siteToDataBag(dynamicSite({ cidrList: o.cidrs ?? ["192.168.10.0/24"], peer: { type: "dynamic", remoteId: "a@example.com", allowedSourceCidrs: ["203.0.113.0/24"] } }, "peer-a"), { create: o.create ?? true, psk: PSK });
const gw = { publicInterface: "eth1", publicIp: "198.51.100.10" };

function pair(): { primary: FakeGatewayHost; backup: FakeGatewayHost } {
  const primary = new FakeGatewayHost("root@169.254.0.2:3922");
  const backup = new FakeGatewayHost("root@169.254.0.3:3922");
  backup.charonStopped = true;
  return { primary, backup };
}
const targets = (p: ReturnType<typeof pair>) => [
  { host: p.primary, label: "router r-4-VM" },
  { host: p.backup, label: "router r-5-VM" },
];

describe("pushPeerToRouters: a redundant pair", () => {
  it("lands on both: the BACKUP gets the same files, rules and heal watcher without any ipsec command; the PRIMARY loads the peer", async () => {
    const p = pair();
    const results = await pushPeerToRouters(targets(p), { ...gw, bag: bag() });
    expect(results.map((r) => r.changed)).toEqual([true, true]);
    // Same record (and so the same files and chains) on both routers.
    expect(parseStateFile(p.backup.files.get(STATE_PATH)!.content)).toEqual(parseStateFile(p.primary.files.get(STATE_PATH)!.content));
    expect(p.backup.observe().files).toEqual(p.primary.observe().files);
    expect(p.backup.save()).toBe(p.primary.save());
    expect(p.backup.healRunning).toBe(true);
    // Nothing asked of the stopped charon beyond the status read; the PRIMARY reloaded and shows the connection.
    expect(p.backup.log.filter((op) => op.startsWith("exec:ipsec ") && op !== "exec:ipsec statusall")).toEqual([]);
    expect(p.primary.log).toContain("exec:ipsec update");
    expect(p.primary.loaded.map((c) => c.name)).toEqual(results[0]!.state.connections.map((c) => c.name));
  });

  it("a failure on the PRIMARY restores the BACKUP too: both routers hold exactly what they held, and the error names the router", async () => {
    const p = pair();
    await pushPeerToRouters(targets(p), { ...gw, bag: bag() });
    const before = [p.primary.observe(), p.backup.observe()];
    p.primary.failures.push({ match: (op) => op === "exec:iptables-restore -w 10 --noflush" });
    const err = await pushPeerToRouters(targets(p), { ...gw, bag: bag({ cidrs: ["192.168.10.0/24", "192.168.11.0/24"] }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PushError);
    expect((err as PushError).restored).toBe(true);
    expect((err as PushError).message).toMatch(/^push to router r-4-VM \(root@169\.254\.0\.2:3922\) failed at step `firewall-apply`/);
    expect((err as PushError).message).toContain("the other router of the pair, router r-5-VM (root@169.254.0.3:3922), was restored too");
    // The BACKUP had been changed (it goes first) and is back byte for byte.
    expect(p.backup.log.some((op) => op.startsWith("rename:/etc/ipsec.d/s2s-a-example-com"))).toBe(true);
    expect([p.primary.observe(), p.backup.observe()]).toEqual(before);
  });

  it("a failure on the BACKUP leaves the PRIMARY untouched (nothing written there)", async () => {
    const p = pair();
    p.backup.failures.push({ match: (op) => op.startsWith("rename:/etc/ipsec.d/s2s-a-example-com") });
    const before = [p.primary.observe(), p.backup.observe()];
    const err = (await pushPeerToRouters(targets(p), { ...gw, bag: bag() }).catch((e: unknown) => e)) as PushError;
    expect(err.message).toMatch(/^push to router r-5-VM .* failed at step `rename`/);
    expect(err.message).toContain("was not changed");
    expect(p.primary.log.filter((op) => op.startsWith("write:") || op.startsWith("rename:"))).toEqual([]);
    expect([p.primary.observe(), p.backup.observe()]).toEqual(before);
  });

  it("ends changed SAs only once every router is verified: a failure on the second running router means no `ipsec down` anywhere", async () => {
    const a = new FakeGatewayHost("root@169.254.0.2:3922");
    const b = new FakeGatewayHost("root@169.254.0.3:3922");
    await pushPeerToRouters([{ host: a }, { host: b }], { ...gw, bag: bag() });
    a.log = [];
    b.failures.push({ match: (op) => op === "exec:iptables-restore -w 10 --noflush" });
    await expect(pushPeerToRouters([{ host: a }, { host: b }], { ...gw, bag: bag({ cidrs: ["192.168.12.0/24"] }) })).rejects.toThrow(/failed at step `firewall-apply`/);
    expect(a.log.some((op) => op.startsWith("rename:"))).toBe(true); // a was changed, then restored
    expect(a.log.filter((op) => op.startsWith("exec:ipsec down"))).toEqual([]);
  });

  it("refuses when strongSwan runs on neither router (nothing could verify the connections), changing nothing", async () => {
    const p = pair();
    p.primary.charonStopped = true;
    const before = [p.primary.observe(), p.backup.observe()];
    await expect(pushPeerToRouters(targets(p), { ...gw, bag: bag() })).rejects.toThrow(/strongSwan runs on no router of this push.*nothing was changed on any router of the pair/);
    expect([p.primary.observe(), p.backup.observe()]).toEqual(before);
  });

  it("a single router with strongSwan stopped is still refused (pushPeer): files nobody loads would look like success", async () => {
    const host = new FakeGatewayHost();
    host.charonStopped = true;
    await expect(pushPeer(host, { ...gw, bag: bag() })).rejects.toThrow(/strongSwan is not running on this router .*ssh\.secondRouter.*nothing was changed/);
    expect(host.log.filter((op) => op.startsWith("write:"))).toEqual([]);
  });

  it("a foreign secret on the BACKUP that would match the branch's ID stops the push before either router changes", async () => {
    const p = pair();
    p.backup.foreignSelectors = "/etc/ipsec.d/ipsec.vpn-x.secrets\ta@example.com\n";
    const before = [p.primary.observe(), p.backup.observe()];
    await expect(pushPeerToRouters(targets(p), { ...gw, bag: bag() })).rejects.toThrow(/check-secrets.*nothing was changed on any router of the pair/);
    expect([p.primary.observe(), p.backup.observe()]).toEqual(before);
  });

  it("removal (create: false) goes to both; the PRIMARY ends the SA, the BACKUP only loses the files", async () => {
    const p = pair();
    await pushPeerToRouters(targets(p), { ...gw, bag: bag() });
    await pushPeerToRouters(targets(p), { ...gw, bag: bag({ create: false }) });
    for (const h of [p.primary, p.backup]) expect([...h.files.keys()].filter((k) => k.includes("s2s-a-example-com"))).toEqual([]);
    expect(p.primary.log.some((op) => op.startsWith("exec:ipsec down s2s-a-example-com"))).toBe(true);
  });
});

const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
const PIN1 = `SHA256:${"A".repeat(43)}`;
const PIN2 = `SHA256:${"B".repeat(43)}`;
const access = (o: Partial<SshAccessSpec> = {}): SshAccessSpec => ({ host: "169.254.0.2", privateKey: KEY, hostKey: PIN1, secondRouter: { host: "169.254.0.3", hostKey: PIN2 }, ...o });
const cloudRouters = [
  { id: "r1", name: "r-4-VM", linklocalip: "169.254.0.2", redundantstate: "PRIMARY", state: "Running" },
  { id: "r2", name: "r-5-VM", linklocalip: "169.254.0.3", redundantstate: "BACKUP", state: "Running" },
];

describe("RouterSet and the access spec of a pair", () => {
  const connectWith = (down: Set<string>, keyRefused = new Set<string>()) => async (a: SshAccessSpec): Promise<GatewayHost> => {
    if (keyRefused.has(a.host)) throw new HostKeyMismatchError(`root@${a.host}:3922`, "hostKey", a.hostKey, PIN1, "ssh-ed25519");
    if (down.has(a.host)) throw new Error(`ssh root@${a.host}:3922: no SSH session within 10000 ms (connect timeout)`);
    return new FakeGatewayHost(`root@${a.host}:3922`);
  };

  it("the second router inherits login key, user and jump unless it gives its own; its own host key always", () => {
    const jump = { host: "hv1", privateKey: KEY, hostKey: PIN1 };
    const [first, second] = routerAccesses(access({ username: "admin", jump }));
    expect(second).toEqual({ host: "169.254.0.3", privateKey: KEY, hostKey: PIN2, username: "admin", jump });
    expect(first).not.toHaveProperty("secondRouter");
    expect(sshTarget(access())).toBe("root@169.254.0.2:3922 and root@169.254.0.3:3922");
  });

  it("validation names the second router's fields", () => {
    const issues = gatewayAccessIssues({ ssh: { ...access(), secondRouter: { host: "169.254.0.2", hostKey: "nope", privateKey: "/root/.ssh/id" } } });
    expect(issues.map((i) => i.path).sort()).toEqual(["ssh.secondRouter.host", "ssh.secondRouter.hostKey", "ssh.secondRouter.privateKey"]);
    const lone = gatewayAccessIssues({ ssh: { host: "169.254.0.2", privateKey: KEY, hostKey: PIN1, allowPartialPush: true } });
    expect(lone.map((i) => `${i.path}: ${i.message}`)).toEqual([expect.stringMatching(/^ssh\.allowPartialPush: .*set `ssh\.secondRouter`/)]);
  });

  it("a redundant VPC reached through one router is refused, naming both routers and the fix", () => {
    const { secondRouter: _s, ...one } = access();
    expect(routerCoverageProblem(one, cloudRouters)).toMatch(/redundant router pair — r-4-VM \(169\.254\.0\.2, PRIMARY, Running\) and r-5-VM \(169\.254\.0\.3, BACKUP, Running\).*Set `ssh\.secondRouter`/);
    expect(routerCoverageProblem(access(), cloudRouters)).toBeUndefined();
    expect(routerCoverageProblem(one, undefined)).toBeUndefined();
  });

  it("an unreachable router fails the set with its CloudStack name; with allowPartialPush the other is used and the gap recorded", async () => {
    const err = await RouterSet.open(access(), cloudRouters, connectWith(new Set(["169.254.0.3"]))).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^router r-5-VM \(root@169\.254\.0\.3:3922\), one router of the redundant pair, cannot be reached: .*connect timeout.*Nothing was pushed to either router.*`ssh\.allowPartialPush: true`/);
    const set = await RouterSet.open(access({ allowPartialPush: true }), cloudRouters, connectWith(new Set(["169.254.0.3"])));
    expect(set.targets().map((t) => t.label)).toEqual(["router r-4-VM"]);
    expect(set.unreachableLines()).toEqual([expect.stringMatching(/^router r-5-VM \(root@169\.254\.0\.3:3922\): not reached \(.*connect timeout\)/)]);
    await set.close();
  });

  it("a refused host key is never tolerated, even with allowPartialPush; both down fails too", async () => {
    await expect(RouterSet.open(access({ allowPartialPush: true }), cloudRouters, connectWith(new Set(), new Set(["169.254.0.3"])))).rejects.toBeInstanceOf(HostKeyMismatchError);
    await expect(RouterSet.open(access({ allowPartialPush: true }), cloudRouters, connectWith(new Set(["169.254.0.2", "169.254.0.3"])))).rejects.toThrow(/cannot be reached either/);
  });

  describe("acceptRecreatedRouterKey (opt-in)", () => {
    const NEW = `SHA256:${"N".repeat(43)}`;
    // The router at 169.254.0.2 now presents NEW; a connect pinned to NEW succeeds.
    const rebuilt = async (a: SshAccessSpec): Promise<GatewayHost> => {
      if (a.host === "169.254.0.2" && a.hostKey !== NEW) throw new HostKeyMismatchError(`root@${a.host}:3922`, "hostKey", a.hostKey, NEW, "ssh-ed25519");
      return new FakeGatewayHost(`root@${a.host}:3922`);
    };
    const single = access({ secondRouter: undefined });
    const oneRouter = (id: string) => [{ id, name: "r-9-VM", linklocalip: "169.254.0.2", state: "Running" }];

    it("accepts the new key only when CloudStack reports a router id that the last push did not record, and says which", async () => {
      const set = await RouterSet.open({ ...single, acceptRecreatedRouterKey: true }, oneRouter("new-id"), rebuilt, { recordedRouterIds: ["old-id"] });
      expect(set.acceptedKeys()).toEqual([{ target: "169.254.0.2:3922", routerId: "new-id", routerName: "r-9-VM", fingerprint: NEW }]);
      await set.close();
    });

    it("refuses it without the opt-in, for an unchanged router id, without recorded ids (first push, refresh) or without listRouters", async () => {
      await expect(RouterSet.open(single, oneRouter("new-id"), rebuilt, { recordedRouterIds: ["old-id"] })).rejects.toThrow(/^ssh root@169\.254\.0\.2:3922: host key refused: `hostKey` pins SHA256:A+, the server presented SHA256:N+ \(ssh-ed25519\)\. Nothing was sent/);
      for (const [routers, recorded] of [[oneRouter("old-id"), ["old-id"]], [oneRouter("new-id"), undefined], [undefined, ["old-id"]]] as const) {
        const err = await RouterSet.open({ ...single, acceptRecreatedRouterKey: true }, routers, rebuilt, recorded ? { recordedRouterIds: recorded } : {}).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(HostKeyMismatchError);
        expect((err as Error).message).toContain("CloudStack does not report a re-created router at this address");
      }
    });

    it("in a pair, only the router CloudStack lists at that control address counts", async () => {
      const routers = [
        { id: "new-id", name: "r-9-VM", linklocalip: "169.254.0.9" },
        { id: "r2", name: "r-5-VM", linklocalip: "169.254.0.3" },
      ];
      await expect(RouterSet.open(access({ acceptRecreatedRouterKey: true }), routers, rebuilt, { recordedRouterIds: ["old-id", "r2"] })).rejects.toBeInstanceOf(HostKeyMismatchError);
    });

    it("a key accepted earlier is used for that router while it presents it, with or without the opt-in; another key is refused", async () => {
      const accepted = [{ target: "169.254.0.2:3922", routerId: "new-id", fingerprint: NEW }];
      const set = await RouterSet.open(single, undefined, rebuilt, { accepted });
      expect(set.acceptedKeys()).toEqual(accepted);
      await set.close();
      await expect(RouterSet.open(single, undefined, rebuilt, { accepted: [{ ...accepted[0]!, fingerprint: PIN2 }] })).rejects.toBeInstanceOf(HostKeyMismatchError);
    });
  });
});

