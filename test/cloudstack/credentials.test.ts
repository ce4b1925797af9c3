import { describe, expect, it } from "vitest";
import { resolveCredentials } from "../../provider/cloudstack/credentials";
import { CloudStackClient } from "../../provider/cloudstack/client";
import { CloudStackConfigError } from "../../provider/cloudstack/errors";

const ENV = { CLOUDSTACK_API_URL: "https://cloud.example.com/client/api", CLOUDSTACK_API_KEY: "env-key", CLOUDSTACK_SECRET_KEY: "env-secret" };

describe("resolveCredentials", () => {
  it("reads the Terraform provider's environment variables when no option is given", () => {
    expect(resolveCredentials({}, ENV)).toEqual({ apiUrl: ENV.CLOUDSTACK_API_URL, apiKey: "env-key", secretKey: "env-secret" });
  });

  it("prefers explicit options over the environment", () => {
    expect(resolveCredentials({ apiKey: "opt-key", secretKey: "opt-secret" }, ENV)).toMatchObject({ apiKey: "opt-key", secretKey: "opt-secret" });
  });

  it.each([
    ["apiUrl", "CLOUDSTACK_API_URL"],
    ["apiKey", "CLOUDSTACK_API_KEY"],
    ["secretKey", "CLOUDSTACK_SECRET_KEY"],
  ] as const)("fails when %s is missing, naming the option and %s", (option, envVar) => {
    const env: Record<string, string> = { ...ENV, [envVar]: "" };
    expect(() => resolveCredentials({}, env)).toThrow(new RegExp(`\`${option}\`.*${envVar}`));
  });

  it("fails listing every missing credential at once", () => {
    expect(() => resolveCredentials({}, {})).toThrow(/apiUrl[\s\S]*apiKey[\s\S]*secretKey/);
  });

  it("fails when the URL is not http(s), showing the value and the fix", () => {
    expect(() => resolveCredentials({ apiUrl: "ftp://x/client/api" }, ENV)).toThrow(/`apiUrl` "ftp:\/\/x\/client\/api".*http: or https:.*e\.g\./);
  });

  it("fails when the URL carries a query string, without echoing it", () => {
    let error: unknown;
    try {
      resolveCredentials({ apiUrl: "https://x/client/api?apiKey=leaky" }, ENV);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CloudStackConfigError);
    expect(String((error as Error).message)).not.toContain("leaky");
  });

  it("never shows the secret key in a credentials error", () => {
    expect(() => resolveCredentials({ secretKey: "top-secret-value" }, {})).toThrow(CloudStackConfigError);
    try {
      resolveCredentials({ secretKey: "top-secret-value" }, {});
    } catch (e) {
      expect(JSON.stringify(e) + (e as Error).message).not.toContain("top-secret-value");
    }
  });
});

describe("CloudStackClient credentials", () => {
  it("builds from the environment alone", () => {
    const client = new CloudStackClient({ env: ENV });
    expect(client.apiUrl).toBe(ENV.CLOUDSTACK_API_URL);
    client.close();
  });

  it("keeps the secret key out of JSON.stringify and util.inspect of the client", async () => {
    const client = new CloudStackClient({ env: ENV });
    const { inspect } = await import("node:util");
    expect(JSON.stringify(client)).not.toContain("env-secret");
    expect(inspect(client, { depth: 5 })).not.toContain("env-secret");
    client.close();
  });
});
