/**
 * One HTTP exchange with CloudStack: a POST with a form body (so the PSK never sits in a URL), a timeout, and
 * TLS verification that is on unless explicitly switched off. No retries, no parsing: `client.ts` does those.
 */
import * as http from "node:http";
import * as https from "node:https";
import { readFileSync } from "node:fs";
import { CloudStackConfigError, CloudStackTransportError, type TransportFailureKind, unreadableCaBundle } from "./errors";

export interface TransportRequest {
  /** Used for error texts only. */
  command: string;
  url: string;
  /** `application/x-www-form-urlencoded`; holds secrets, so it is never logged or attached to errors. */
  body: string;
  timeoutMs: number;
}

export interface TransportResponse {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string;
}

/** Sends one request; rejects with `CloudStackTransportError` when no HTTP answer arrives. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

export interface NodeTransportOptions {
  /**
   * Extra trusted CAs for `https` endpoints: PEM text (starting with `-----BEGIN`) or a path to a PEM file.
   *
   * @default - the system's trusted CAs
   */
  caBundle?: string;
  /**
   * Accept any server certificate. Only for lab endpoints with self-signed certificates; prefer `caBundle`.
   *
   * @default false
   */
  insecureSkipTlsVerify?: boolean;
  /** @default 16 */
  maxSockets?: number;
}

/** A transport on node's `http`/`https`, with keep-alive agents owned by the returned object. */
export function createNodeTransport(options: NodeTransportOptions = {}): Transport & { close(): void } {
  const ca = options.caBundle === undefined ? undefined : loadCaBundle(options.caBundle);
  const maxSockets = options.maxSockets ?? 16;
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const httpsAgent = new https.Agent({
    keepAlive: true,
    maxSockets,
    ...(ca !== undefined ? { ca } : {}),
    rejectUnauthorized: options.insecureSkipTlsVerify !== true,
  });
  const send: Transport = (request) => sendOnce(request, request.url.startsWith("https:") ? httpsAgent : httpAgent);
  return Object.assign(send, {
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}

function loadCaBundle(value: string): string {
  if (value.includes("-----BEGIN")) return value;
  try {
    return readFileSync(value, "utf8");
  } catch (error) {
    throw new CloudStackConfigError(unreadableCaBundle(value, (error as NodeJS.ErrnoException).code ?? "read failed"));
  }
}

function sendOnce(request: TransportRequest, agent: http.Agent): Promise<TransportResponse> {
  const url = new URL(request.url);
  const lib = url.protocol === "https:" ? https : http;
  const body = Buffer.from(request.body, "utf8");
  return new Promise((resolve, reject) => {
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, request.timeoutMs);
    const req = lib.request(
      url,
      {
        method: "POST",
        agent,
        signal: abort.signal,
        headers: {
          "content-type": "application/x-www-form-urlencoded; charset=UTF-8",
          "content-length": body.length,
          accept: "application/json",
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", (error) => fail(error));
      },
    );
    const fail = (error: unknown): void => {
      clearTimeout(timer);
      reject(toTransportError(request, url, error, timedOut));
    };
    req.on("error", fail);
    req.end(body);
  });
}

// Only failures where the connection never opened are "refused": the server cannot have seen the request.
const REFUSED_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function toTransportError(request: TransportRequest, url: URL, error: unknown, timedOut: boolean): CloudStackTransportError {
  const e = error as NodeJS.ErrnoException;
  const errno = typeof e?.code === "string" && e.code !== "ABORT_ERR" ? e.code : undefined;
  let kind: TransportFailureKind;
  let detail: string;
  if (timedOut) {
    kind = "timeout";
    detail = `no complete reply within ${request.timeoutMs} ms; raise \`requestTimeoutMs\` if the endpoint is slow`;
  } else if (errno !== undefined && REFUSED_CODES.has(errno)) {
    kind = "refused";
    detail = `cannot connect; check \`apiUrl\` and that CloudStack is reachable`;
  } else if (errno === "ECONNRESET" || errno === "EPIPE" || /socket hang up/i.test(String(e?.message))) {
    kind = "reset";
    detail = "the connection closed before a reply";
  } else {
    kind = "network";
    // node's own message names the failing step (TLS, DNS...) and never contains the request body.
    detail = String(e?.message ?? error);
    if (errno !== undefined && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(errno)) {
      detail += "; trust the server's CA with `caBundle` (or, for a lab only, set `insecureSkipTlsVerify`)";
    }
  }
  return new CloudStackTransportError({
    command: request.command,
    kind,
    ...(errno !== undefined ? { errno } : {}),
    detail,
    apiHost: url.host,
  });
}
