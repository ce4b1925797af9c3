/**
 * Duration of one push (SSH connect → verified) of one and of five dynamic peers to a real gateway (sshd +
 * iptables + strongSwan in a namespace of our own), plus a no-change push and inspect(). Needs root.
 */
import { siteToDataBag } from "../../provider/model/site";
import { inspect, pushDynamicPeers, type PushState } from "../../provider/push";
import { dynamicSite } from "../helpers/sites";
import { GatewayLab } from "../push/helpers/gateway-lab";

const ROUNDS = 5;
const psk = "bench-psk-0123456789-abcdefghijklmn";
const bags = (n: number, variant = 0) =>
  Array.from({ length: n }, (_, i) =>
    siteToDataBag(dynamicSite({ peer: { type: "dynamic", remoteId: `b${i}@example.com`, allowedSourceCidrs: ["203.0.113.0/24"] }, cidrList: [`192.168.${10 + i}.0/24`], dpdDelaySeconds: 10 + variant } as never, `b${i}`), { create: true, psk }),
  );

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const lab = await GatewayLab.start("b");
  try {
    for (const n of [1, 5]) {
      const full: number[] = [];
      const pushOnly: number[] = [];
      let state: PushState | undefined;
      for (let round = 0; round < ROUNDS; round++) {
        const t0 = performance.now();
        const host = await lab.connect();
        const r = await pushDynamicPeers(host, { publicInterface: "eth1", publicIp: "198.51.100.10", bags: bags(n, round), ...(state ? { previous: state } : {}) });
        full.push(performance.now() - t0);
        pushOnly.push(r.durationMs);
        state = r.state;
        await host.close();
      }
      console.log(`${n} peer(s), changed each round: connect→verified median ${median(full).toFixed(0)} ms (min ${Math.min(...full).toFixed(0)}, max ${Math.max(...full).toFixed(0)}); push on an open connection median ${median(pushOnly).toFixed(0)} ms`);
      const host = await lab.connect();
      const t1 = performance.now();
      const same = await pushDynamicPeers(host, { publicInterface: "eth1", publicIp: "198.51.100.10", bags: bags(n, ROUNDS - 1), previous: state! });
      const t2 = performance.now();
      const drift = await inspect(host, same.state);
      console.log(`${n} peer(s): no-change push ${(t2 - t1).toFixed(0)} ms (changed=${same.changed}); inspect ${(performance.now() - t2).toFixed(0)} ms (inSync=${drift.inSync})`);
      await host.close();
    }
  } finally {
    lab.destroy();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
