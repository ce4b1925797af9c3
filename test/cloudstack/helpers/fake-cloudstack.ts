/**
 * A scripted CloudStack stand-in on 127.0.0.1 for unit tests: each test says how to answer each request.
 * It records every request (URL, headers, decoded form params) so tests can assert on what went over the wire.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { signParams } from "../../../provider/cloudstack/sign";

export interface FakeRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  params: Record<string, string>;
  command: string;
  /** Whether `signature` matches the body signed with `secretKey` (client and fake share the signer). */
  signatureValid: boolean;
}

export type FakeReply =
  | { status?: number; json?: unknown; body?: string; headers?: Record<string, string>; delayMs?: number }
  | "reset"
  | "hang";

export interface FakeCloudStack {
  url: string;
  requests: FakeRequest[];
  commands(): string[];
  close(): Promise<void>;
}

export const FAKE_API_KEY = "fake-api-key";
export const FAKE_SECRET_KEY = "fake-secret-key-Zm9vYmFy/+=";

export async function startFakeCloudStack(handler: (req: FakeRequest) => FakeReply | Promise<FakeReply>): Promise<FakeCloudStack> {
  const requests: FakeRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const params = Object.fromEntries(new URLSearchParams(rawBody));
      const { signature, ...unsigned } = params;
      const fake: FakeRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        rawBody,
        params,
        command: params.command ?? "",
        signatureValid: signature === signParams(unsigned, FAKE_SECRET_KEY),
      };
      requests.push(fake);
      const reply = await handler(fake);
      if (reply === "reset") {
        req.socket.destroy();
        return;
      }
      if (reply === "hang") return;
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      const body = reply.body ?? JSON.stringify(reply.json ?? {});
      res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
      res.end(body);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/client/api`,
    requests,
    commands: () => requests.map((r) => r.command),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** CloudStack's sync error envelope (contract §1.4). */
export function apiError(command: string, errorcode: number, errortext: string, cserrorcode?: number): FakeReply {
  return {
    status: errorcode,
    json: { [`${command.toLowerCase()}response`]: { uuidList: [], errorcode, ...(cserrorcode !== undefined ? { cserrorcode } : {}), errortext } },
  };
}

export function ok(command: string, inner: unknown): FakeReply {
  return { json: { [`${command.toLowerCase()}response`]: inner } };
}

export function jobResult(inner: Record<string, unknown>): FakeReply {
  return ok("queryAsyncJobResult", inner);
}
