import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InMemoryRouter, startLocalCloud } from "../../provider/local-cloud";
import { createTunnel, startTestCloud } from "./helpers/fixture";
import { STATIC_GATEWAY, TestClient, waitUntil } from "./helpers/signed-client";

const stateFile = () => join(mkdtempSync(join(tmpdir(), "local-cloud-")), "cloud.json");

describe("state persistence", () => {
  it("keeps admin keys, the seeded VPC and VPN objects across a restart", async () => {
    const file = stateFile();
    const first = await startLocalCloud({ stateFile: file });
    const client = new TestClient(first.url, first.admin);
    const { connId, cgwId } = await createTunnel(client, first.seededVpc.id);
    await first.close();

    const router = new InMemoryRouter();
    const second = await startLocalCloud({ stateFile: file, router });
    try {
      expect(second.admin).toEqual(first.admin);
      expect(second.seededVpc).toEqual(first.seededVpc);
      const again = new TestClient(second.url, second.admin);
      expect((await again.ok("listVpnCustomerGateways")).vpncustomergateway[0].id).toBe(cgwId);
      // The restart is a router restart: the connection is started again and the fresh router gets its bag.
      await waitUntil(async () => router.configuredPeers(second.seededVpc.id).length === 1);
      expect((await again.ok("listVpnConnections", { id: connId })).count).toBe(1);
    } finally {
      await second.close();
    }
  });

  it("writes the state file with mode 0600", async () => {
    const file = stateFile();
    await startTestCloud({ stateFile: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("refuses a corrupt state file, names it, says what to do and leaves it untouched", async () => {
    const file = stateFile();
    writeFileSync(file, '{"version":1,"variant":"4.22", truncated');
    await expect(startLocalCloud({ stateFile: file })).rejects.toThrow(new RegExp(`${file.replace(/[.]/g, "\\.")} is unreadable \\(not valid JSON\\).+Move it aside`));
    expect(readFileSync(file, "utf8")).toBe('{"version":1,"variant":"4.22", truncated');
  });

  it("refuses a state file that does not match the schema, naming the path", async () => {
    const file = stateFile();
    const cloud = await startLocalCloud({ stateFile: file });
    await cloud.close();
    const state = JSON.parse(readFileSync(file, "utf8"));
    state.accounts[0].apiKey = 42;
    writeFileSync(file, JSON.stringify(state));
    await expect(startLocalCloud({ stateFile: file })).rejects.toThrow(/does not match the state schema at accounts\.0\.apiKey/);
  });

  it("never puts secret keys into the corruption error", async () => {
    const file = stateFile();
    const cloud = await startLocalCloud({ stateFile: file });
    await cloud.close();
    writeFileSync(file, readFileSync(file, "utf8").slice(0, -5));
    const error = await startLocalCloud({ stateFile: file }).catch((e: Error) => e);
    expect(String(error)).not.toContain(cloud.admin.secretKey);
  });

  it("refuses a state file of the other API variant", async () => {
    const file = stateFile();
    await (await startLocalCloud({ stateFile: file, variant: "dynamic-peer" })).close();
    await expect(startLocalCloud({ stateFile: file })).rejects.toThrow(/belongs to the dynamic-peer API variant/);
  });

  it("fails jobs that were still running when the cloud stopped", async () => {
    const file = stateFile();
    const first = await startLocalCloud({ stateFile: file, faults: { seed: 1, jobDurationMs: 60_000 } });
    const started = await new TestClient(first.url, first.admin).ok("createVpnCustomerGateway", STATIC_GATEWAY);
    await first.close();
    const second = await startLocalCloud({ stateFile: file });
    try {
      const job = await new TestClient(second.url, second.admin).ok("queryAsyncJobResult", { jobid: started.jobid });
      expect(job).toMatchObject({ jobstatus: 2, jobresultcode: 530 });
    } finally {
      await second.close();
    }
  });
});
