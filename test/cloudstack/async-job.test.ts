import { afterEach, describe, expect, it } from "vitest";
import { type FakeCloudStack, jobResult, ok, startFakeCloudStack } from "./helpers/fake-cloudstack";
import { testClient, virtualTime } from "./helpers/test-client";
import { waitForAsyncJob } from "../../provider/cloudstack/async-job";
import { CloudStackAsyncJobError, CloudStackJobTimeoutError } from "../../provider/cloudstack/errors";
import { DEFAULT_JOB_POLLING, nextPollDelayMs } from "../../provider/cloudstack/job-polling";
import { createVpnCustomerGateway } from "../../provider/cloudstack/commands/vpn-customer-gateway";

let fake: FakeCloudStack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const CGW = { id: "cgw-1", name: "site-a", gateway: "203.0.113.10", cidrlist: "192.168.10.0/24" };

describe("waitForAsyncJob", () => {
  it("polls a pending job until it succeeds and returns the job", async () => {
    let polls = 0;
    fake = await startFakeCloudStack(() =>
      ++polls < 3 ? jobResult({ jobid: "job-1", jobstatus: 0 }) : jobResult({ jobid: "job-1", jobstatus: 1, jobresultcode: 0, jobresult: { success: true } }),
    );
    const { client } = testClient(fake.url);
    const job = await waitForAsyncJob(client, "job-1");
    expect(job).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect(fake.requests.map((r) => r.params.jobid)).toEqual(["job-1", "job-1", "job-1"]);
    client.close();
  });

  it("fails with the job's code and text when a pending job fails", async () => {
    let polls = 0;
    fake = await startFakeCloudStack(() =>
      ++polls < 2
        ? jobResult({ jobid: "job-2", jobstatus: 0 })
        : jobResult({
            jobid: "job-2", jobstatus: 2, jobresultcode: 534, jobresulttype: "object",
            jobresult: { errorcode: 534, errortext: "Resource [Site2SiteVpnConnection:7] is unreachable: Failed to apply site-to-site VPN" },
          }),
    );
    const { client } = testClient(fake.url);
    const error = await waitForAsyncJob(client, "job-2", { command: "createVpnConnection", entityId: "conn-7" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudStackAsyncJobError);
    expect(error).toMatchObject({ jobId: "job-2", entityId: "conn-7", jobResultCode: 534, errorCode: 534, command: "createVpnConnection" });
    expect((error as Error).message).toMatch(
      /^cloudstack async job job-2 \(createVpnConnection\) failed after \d+\.\ds \(jobresultcode 534\): Resource \[Site2SiteVpnConnection:7\] is unreachable/,
    );
    client.close();
  });

  it("times out keeping the job id and entity id, without cancelling anything", async () => {
    fake = await startFakeCloudStack(() => jobResult({ jobid: "job-3", jobstatus: 0 }));
    const time = virtualTime();
    const { client } = testClient(fake.url, { clock: time, sleep: time.sleep, jobPolling: DEFAULT_JOB_POLLING });
    const error = await waitForAsyncJob(client, "job-3", { command: "createVpnGateway", entityId: "vgw-1", timeoutMs: 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudStackJobTimeoutError);
    expect(error).toMatchObject({ jobId: "job-3", entityId: "vgw-1", command: "createVpnGateway", waitedMs: 60_000 });
    expect((error as Error).message).toMatch(/job-3.*still running after 60s.*waitForAsyncJob\(client, "job-3"\)/);
    expect(fake.commands().every((c) => c === "queryAsyncJobResult")).toBe(true);
    client.close();
  });

  it("polls first within 200 ms, then never slower than every 2 s, and keeps detection within ~10% of job time", async () => {
    const time = virtualTime(0);
    const jobEndsAtMs = 9_000;
    fake = await startFakeCloudStack(() => jobResult({ jobid: "j", jobstatus: time.now() >= jobEndsAtMs ? 1 : 0 }));
    const { client } = testClient(fake.url, { clock: time, sleep: time.sleep, jobPolling: DEFAULT_JOB_POLLING });
    await waitForAsyncJob(client, "j", { submittedAtMs: 0 });
    expect(time.sleeps[0]).toBeLessThanOrEqual(200);
    expect(Math.max(...time.sleeps)).toBeLessThanOrEqual(2000);
    expect(time.now() / jobEndsAtMs).toBeLessThanOrEqual(1.1);
    client.close();
  });

  it("absorbs transient poll failures until the job ends", async () => {
    let n = 0;
    fake = await startFakeCloudStack(() => (++n <= 2 ? "reset" : jobResult({ jobid: "j", jobstatus: 1, jobresult: { success: true } })));
    const { client } = testClient(fake.url, { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    await expect(waitForAsyncJob(client, "j")).resolves.toMatchObject({ jobstatus: 1 });
    client.close();
  });
});

describe("nextPollDelayMs", () => {
  it.each([
    [0, 25],
    [500, 40],
    [2_000, 160],
    [10_000, 800],
    [60_000, 2_000],
  ])("after %i ms waits %i ms", (elapsed, delay) => {
    expect(nextPollDelayMs(elapsed, DEFAULT_JOB_POLLING)).toBe(delay);
  });
});

describe("async create commands", () => {
  it("return the entity from the job result once the job completes", async () => {
    fake = await startFakeCloudStack((req) =>
      req.command === "createVpnCustomerGateway"
        ? ok(req.command, { id: "cgw-1", jobid: "job-9" })
        : jobResult({ jobid: "job-9", jobstatus: 1, jobresult: { vpncustomergateway: CGW } }),
    );
    const { client } = testClient(fake.url);
    const gateway = await createVpnCustomerGateway(client, {
      name: "site-a", gateway: "203.0.113.10", cidrList: ["192.168.10.0/24"], ipsecPsk: "psk-value-1", ikePolicy: "aes128-sha1;modp1536", espPolicy: "aes128-sha1",
    });
    expect(gateway).toEqual(CGW);
    client.close();
  });

  it("return the job reference without polling when wait is false", async () => {
    fake = await startFakeCloudStack((req) => ok(req.command, { id: "cgw-1", jobid: "job-9" }));
    const { client } = testClient(fake.url);
    const ref = await createVpnCustomerGateway(
      client,
      { name: "a", gateway: "203.0.113.10", cidrList: "10.9.0.0/16", ipsecPsk: "psk-value-1", ikePolicy: "aes128-sha1;modp1536", espPolicy: "aes128-sha1" },
      { wait: false },
    );
    expect(ref).toEqual({ command: "createVpnCustomerGateway", id: "cgw-1", jobId: "job-9" });
    expect(fake.commands()).toEqual(["createVpnCustomerGateway"]);
    client.close();
  });

  it("keep the entity id on a job timeout so a later run can resume", async () => {
    fake = await startFakeCloudStack((req) =>
      req.command === "createVpnCustomerGateway" ? ok(req.command, { id: "cgw-1", jobid: "job-9" }) : jobResult({ jobid: "job-9", jobstatus: 0 }),
    );
    const time = virtualTime();
    const { client } = testClient(fake.url, { clock: time, sleep: time.sleep });
    const error = await createVpnCustomerGateway(
      client,
      { name: "a", gateway: "203.0.113.10", cidrList: "10.9.0.0/16", ipsecPsk: "psk-value-1", ikePolicy: "aes128-sha1;modp1536", espPolicy: "aes128-sha1" },
      { timeoutMs: 1_000 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudStackJobTimeoutError);
    expect(error).toMatchObject({ jobId: "job-9", entityId: "cgw-1" });
    expect(fake.commands().filter((c) => c === "createVpnCustomerGateway")).toHaveLength(1);
    client.close();
  });
});
