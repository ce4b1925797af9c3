/**
 * `ParamProcessWorker`: turns raw request strings into typed values in annotation order, failing synchronously with
 * the exact §1.5 texts. Parameters the command does not declare are ignored, as CloudStack ignores them.
 */
import type { CommandDef, ParamDef } from "./api-catalog";
import * as texts from "./error-texts";
import { serverApi } from "./errors";
import type { World } from "./world";

export type ParamValue = string | number | boolean;

/** Processed parameters: UUID values are already resolved to internal ids. */
export class Params {
  constructor(private readonly values: Map<string, ParamValue>) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === "string" ? v : undefined;
  }

  number(name: string): number | undefined {
    const v = this.values.get(name);
    return typeof v === "number" ? v : undefined;
  }

  boolean(name: string): boolean | undefined {
    const v = this.values.get(name);
    return typeof v === "boolean" ? v : undefined;
  }

  /** For required ids: processing has already guaranteed presence. */
  id(name: string): number {
    const v = this.values.get(name);
    if (typeof v !== "number") throw new Error(`local-cloud invariant: parameter ${name} was not processed`);
    return v;
  }
}

const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;
const INT_MAX = 2147483647;

function coerce(world: World, api: string, def: ParamDef, raw: string): ParamValue {
  switch (def.type) {
    case "boolean":
      // Boolean.valueOf: anything but "true" (any case) is false, never an error.
      return raw.toLowerCase() === "true";
    case "long":
    case "integer": {
      const ok = /^[+-]?\d+$/.test(raw);
      const big = ok ? BigInt(raw) : 0n;
      const inRange = def.type === "long" ? big >= LONG_MIN && big <= LONG_MAX : big >= BigInt(-INT_MAX - 1) && big <= BigInt(INT_MAX);
      if (!ok || !inRange) throw serverApi(431, texts.invalidParameterFormat(api, raw, def.name));
      return Number(big);
    }
    case "uuid": {
      const table = def.entity;
      const row = table === undefined || table === "projects" ? undefined : world.resolve(table, raw, def.since === undefined);
      if (row === undefined) throw serverApi(431, texts.unknownEntity(api, def.name, raw));
      return row.id;
    }
    case "string":
      if (raw.length > (def.length ?? 255)) throw serverApi(431, texts.tooLong(api, def.field ?? def.name, def.length ?? 255));
      return raw;
  }
}

export function processParams(world: World, def: CommandDef, raw: ReadonlyMap<string, string>, isAdmin: boolean): Params {
  const api = def.name.toLowerCase();
  const values = new Map<string, ParamValue>();
  for (const param of def.params) {
    const value = raw.get(param.name);
    if (value === undefined) {
      if (param.required) throw serverApi(431, texts.missingParameter(api, param.name));
      continue;
    }
    if (param.notNullOrEmpty && value.trim() === "") throw serverApi(431, texts.emptyArg(param.name));
    // An admin-only parameter from a normal user is dropped (CloudStack logs and ignores it).
    if (param.adminOnly && !isAdmin) continue;
    values.set(param.name, coerce(world, api, param, value));
  }
  return new Params(values);
}
