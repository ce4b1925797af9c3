/**
 * `list*` pagination as an async generator (Smithy `createPaginator` style). CloudStack quirks handled:
 * an empty result omits `count` and the item key (`{"listvpncustomergatewaysresponse":{}}`), and a page past the
 * end carries `count` but no items. Items are deduplicated by id, because rows are ordered newest first and a
 * create between two page reads shifts everything down by one.
 */
import type { z } from "zod";
import type { ApiParams, CloudStackClient } from "./client";
import { parseResponse } from "./parse";

/** What a list command returns and how its items look. */
export interface ListSpec<S extends z.ZodType<{ id: string }>> {
  command: string;
  /** The key holding the item array, e.g. `vpncustomergateway`. */
  itemKey: string;
  schema: S;
}

export interface PaginateOptions {
  /**
   * Items per request. CloudStack caps it at its `default.page.size` (500).
   *
   * @default 500
   */
  pageSize?: number;
  /** Stop after this many pages even if CloudStack reports more (a guard against a server ignoring `page`). @default 1000 */
  maxPages?: number;
}

export async function* paginate<S extends z.ZodType<{ id: string }>>(
  client: CloudStackClient,
  spec: ListSpec<S>,
  params: ApiParams = {},
  options: PaginateOptions = {},
): AsyncGenerator<z.infer<S>, void, undefined> {
  const pageSize = options.pageSize ?? 500;
  const maxPages = options.maxPages ?? 1000;
  const seen = new Set<string>();
  let fetched = 0;
  for (let page = 1; page <= maxPages; page++) {
    const inner = await client.call(spec.command, { ...params, page, pagesize: pageSize });
    const raw = inner[spec.itemKey];
    const items: unknown[] = Array.isArray(raw) ? raw : [];
    let fresh = 0;
    for (const [index, item] of items.entries()) {
      const parsed = parseResponse(spec.schema, item, spec.command, `${spec.itemKey}.${index}`);
      if (seen.has(parsed.id)) continue;
      seen.add(parsed.id);
      fresh++;
      yield parsed;
    }
    fetched += items.length;
    const count = typeof inner.count === "number" ? inner.count : undefined;
    // Short page, empty page, everything counted, or a page of repeats (server ignoring `page`): done.
    if (items.length < pageSize || fresh === 0 || (count !== undefined && fetched >= count)) return;
  }
}

/** Every item of a list command, all pages. */
export async function listAll<S extends z.ZodType<{ id: string }>>(
  client: CloudStackClient,
  spec: ListSpec<S>,
  params: ApiParams = {},
  options: PaginateOptions = {},
): Promise<z.infer<S>[]> {
  const out: z.infer<S>[] = [];
  for await (const item of paginate(client, spec, params, options)) out.push(item);
  return out;
}
