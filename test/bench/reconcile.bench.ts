/**
 * `cloudstack-s2s reconcile` over 20 pushed dynamic peers on the local cloud's netns router (stock 4.22 API, real
 * sshd/iptables/charon; no branch CPEs needed). Needs root. Prints: the time to check 20 peers that are in sync
 * (exit 0), to repair them after a CloudStack-driven reconfiguration wiped the push's rules (exit 2), and the
 * in-sync check after the repair; each a median of a few rounds, plus the initial 20 pushes for scale.
 */
import { randomBytes } from "node:crypto";
import { main as cli } from "../../provider/cli/main";
import type { Io } from "../../provider/cli/output";
import { DeployEnv, type Branch } from "../e2e/lab/deploy-env";

const PEERS = 20;
const ROUNDS = 3;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const env = await DeployEnv.create(randomBytes(2).toString("hex"), []);
  try {
    const branches: Branch[] = Array.from({ length: PEERS }, (_, i) => ({ name: `b${i}`, wanIp: `203.0.113.${100 + i}`, lanCidr: `192.168.${20 + i}.0/24`, remoteId: `b${i}@example.com`, allowed: ["203.0.113.0/24"], pskEnv: `B${i}_PSK` }));
    for (const b of branches) env.psks.set(b.pskEnv, randomBytes(24).toString("base64url"));
    const files = branches.map((b) => env.writeSite(b));
    const dc = env.writeStaticSite("dc", "203.0.113.99", ["172.16.0.0/20"], "DC_PSK");
    const flags = ["--credentials-file", env.credentialsFile, "--gateway-ssh", env.gatewaySshFile];
    const run = async (argv: string[]): Promise<{ code: number; ms: number; out: string }> => {
      let out = "";
      const io: Io = { out: (t) => void (out += t), err: (t) => void (out += t), env: Object.fromEntries(env.psks) };
      const t0 = performance.now();
      const code = await cli([...argv, ...flags], io);
      return { code, ms: performance.now() - t0, out };
    };
    const t0 = performance.now();
    for (const f of files) {
      const r = await run(["push", f]);
      if (r.code !== 0) throw new Error(`push failed: ${r.out}`);
    }
    console.log(`${PEERS} pushes (one CLI run each, in-process): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const inSync: number[] = [];
    const repair: number[] = [];
    const after: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const a = await run(["reconcile", ...files]);
      if (a.code !== 0) throw new Error(`expected in sync (0), got ${a.code}: ${a.out}`);
      inSync.push(a.ms);
      // CloudStack reconfigures the router (a static connection created, or removed): it deletes the push's rules.
      const wipe = await run([round % 2 === 0 ? "push" : "unpush", dc]);
      if (wipe.code !== 0) throw new Error(`static site: ${wipe.out}`);
      const b = await run(["reconcile", ...files]);
      if (b.code !== 2) throw new Error(`expected repaired (2), got ${b.code}: ${b.out}`);
      repair.push(b.ms);
      const c = await run(["reconcile", ...files]);
      if (c.code !== 0) throw new Error(`expected in sync (0) after the repair, got ${c.code}: ${c.out}`);
      after.push(c.ms);
    }
    const fmt = (xs: number[]) => `${(median(xs) / 1000).toFixed(2)} s (rounds: ${xs.map((x) => (x / 1000).toFixed(2)).join(", ")})`;
    console.log(`reconcile ${PEERS} peers, all in sync (exit 0): median ${fmt(inSync)}`);
    console.log(`reconcile ${PEERS} peers after CloudStack wiped the push's rules (exit 2, one repair push rebuilds the shared chains): median ${fmt(repair)}`);
    console.log(`reconcile ${PEERS} peers right after the repair (exit 0): median ${fmt(after)}`);
  } finally {
    await env.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
