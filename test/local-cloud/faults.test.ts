import { describe, expect, it } from "vitest";
import { FaultInjector } from "../../provider/local-cloud/faults";
import { startTestCloud } from "./helpers/fixture";
import { STATIC_GATEWAY } from "./helpers/signed-client";

const schedule = (seed: number, n: number) => {
  const faults = new FaultInjector({ seed, http5xxRate: 0.3, connectionResetRate: 0.2, jobFailureRate: 0.5 });
  return Array.from({ length: n }, () => [faults.onRequest(), faults.onJob()]);
};

describe("fault injection", () => {
  it("gives the same fault schedule for the same seed and a different one for another seed", () => {
    expect(schedule(7, 50)).toEqual(schedule(7, 50));
    expect(schedule(7, 50)).not.toEqual(schedule(8, 50));
    const kinds = new Set(schedule(7, 200).map(([request]) => request));
    expect(kinds).toEqual(new Set([undefined, "reset", "http503"]));
  });

  it("fails when a rate is outside 0..1", () => {
    expect(() => new FaultInjector({ seed: 1, http5xxRate: 2 })).toThrow(/`http5xxRate` 2 is not a rate/);
  });

  it("replies 503 before doing anything", async () => {
    const { cloud, admin } = await startTestCloud({ faults: { seed: 3, http5xxRate: 1 } });
    expect((await admin.call("createVpnCustomerGateway", STATIC_GATEWAY)).status).toBe(503);
    cloud.setFaults(undefined);
    expect(await admin.ok("listVpnCustomerGateways")).toEqual({});
  });

  it("resets the connection", async () => {
    const { admin } = await startTestCloud({ faults: { seed: 3, connectionResetRate: 1 } });
    await expect(admin.call("listZones")).rejects.toThrow();
  });

  it("fails jobs with 530 without changing anything", async () => {
    const { admin } = await startTestCloud({ faults: { seed: 3, jobFailureRate: 1 } });
    const started = await admin.ok("createVpnGateway", { vpcid: (await admin.ok("listVPCs")).vpc[0].id });
    const job = await admin.waitForJob(started.jobid);
    expect(job).toMatchObject({ jobstatus: 2, jobresultcode: 530, jobresult: { errorcode: 530 } });
  });

  it("keeps jobs at jobstatus 0 for jobDurationMs", async () => {
    const { admin } = await startTestCloud({ faults: { seed: 3, jobDurationMs: 300 } });
    const started = await admin.ok("createVpnCustomerGateway", STATIC_GATEWAY);
    const early = await admin.ok("queryAsyncJobResult", { jobid: started.jobid });
    expect(early.jobstatus).toBe(0);
    expect(early).not.toHaveProperty("jobresult");
    expect((await admin.waitForJob(started.jobid)).jobstatus).toBe(1);
  });

  it("adds latency to every reply", async () => {
    const { admin } = await startTestCloud({ faults: { seed: 3, latencyMs: 150 } });
    const t0 = Date.now();
    await admin.ok("listZones");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it("throttles over N requests per second with CloudStack's 429 body", async () => {
    const { admin } = await startTestCloud({ faults: { seed: 3, throttlePerSecond: 3 } });
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await admin.call("listZones"));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    expect(replies[3]!.body).toEqual({
      listzonesresponse: { errorcode: 429, errortext: expect.stringMatching(/^The given user has reached his\/her account api limit, please retry after \d+ ms\.$/) },
    });
  });

  it("produces the same HTTP outcomes for the same seed", async () => {
    const run = async () => {
      const { cloud, admin } = await startTestCloud({ faults: { seed: 42, http5xxRate: 0.5 } });
      const statuses = [];
      for (let i = 0; i < 12; i++) statuses.push((await admin.call("listZones")).status);
      await cloud.close();
      return statuses;
    };
    const first = await run();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });
});
