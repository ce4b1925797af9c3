/** The JSON envelopes and headers CloudStack replies with (contract §1.4, §3). */
import type { ServerResponse } from "node:http";

/** Header values must be printable ASCII; error texts can echo user input. */
const headerSafe = (text: string): string => text.replace(/[^\x20-\x7e]/g, "?");

export function sendJson(res: ServerResponse, status: number, body: unknown, description?: string): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=UTF-8");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  if (description !== undefined) res.setHeader("X-Description", headerSafe(description));
  res.end(text);
}

/** `ExceptionResponse`: uuidList, errorcode, cserrorcode (absent for 401), errortext. */
export function errorBody(responseName: string, errorCode: number, errorText: string, csErrorCode?: number): unknown {
  return {
    [responseName]: {
      uuidList: [],
      errorcode: errorCode,
      ...(csErrorCode !== undefined ? { cserrorcode: csErrorCode } : {}),
      errortext: errorText,
    },
  };
}

export function sendError(res: ServerResponse, responseName: string, errorCode: number, errorText: string, csErrorCode?: number): void {
  sendJson(res, errorCode, errorBody(responseName, errorCode, errorText, csErrorCode), errorText);
}

export function sendPlain(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/plain; charset=UTF-8");
  res.end(text + "\n");
}
