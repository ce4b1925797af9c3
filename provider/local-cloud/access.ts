/**
 * Who may see and touch what. A normal user sees and operates on its own account's rows only; the root admin may
 * operate on everything and sees everything with `listall=true` (or when naming an `id`), as
 * `AccountManagerImpl.buildACLSearchParameters` decides. Operating on another account's row is CloudStack's
 * PermissionDeniedException — the row's existence is not hidden, exactly as CloudStack does not hide it.
 */
import * as texts from "./error-texts";
import { invalidParameterValue, permissionDenied } from "./errors";
import type { Params } from "./params";
import type { Account } from "./state";
import { describeAccount, type World } from "./world";

export interface Caller {
  account: Account;
  isRootAdmin: boolean;
}

export function checkAccess(caller: Caller, owner: { accountId: number }, entity: string): void {
  if (caller.isRootAdmin || owner.accountId === caller.account.id) return;
  throw permissionDenied(texts.noPermission(describeAccount(caller.account), entity));
}

function accountByName(world: World, name: string, domainId: number): Account {
  const account = world.state.accounts.find((a) => a.name === name && a.domainId === domainId && a.removed === undefined);
  if (!account) throw invalidParameterValue(texts.accountNotFound(name));
  return account;
}

/** `finalyzeAccountId(account, domainid, …)` falling back to the caller: the owner of a new row. */
export function finalizeOwner(world: World, caller: Caller, params: Params): Account {
  const name = params.string("account");
  if (name === undefined) return caller.account;
  const domainId = params.number("domainid");
  if (domainId === undefined) throw invalidParameterValue(texts.accountNeedsDomain());
  const owner = accountByName(world, name, domainId);
  checkAccess(caller, { accountId: owner.id }, describeAccount(owner));
  return owner;
}

/** The account filter of a list command. */
export function listScope(world: World, caller: Caller, params: Params): (row: { accountId: number; domainId: number }) => boolean {
  const name = params.string("account");
  const domainId = params.number("domainid");
  if (name !== undefined) {
    const owner = accountByName(world, name, domainId ?? caller.account.domainId);
    checkAccess(caller, { accountId: owner.id }, describeAccount(owner));
    return (row) => row.accountId === owner.id;
  }
  if (!caller.isRootAdmin) return (row) => row.accountId === caller.account.id;
  if (domainId !== undefined) return (row) => row.domainId === domainId;
  if (params.boolean("listall") === true || params.has("id")) return () => true;
  return (row) => row.accountId === caller.account.id;
}

/** `page`/`pagesize` as `BaseListCmd` applies them (page defaults to 1, pagesize to 500). */
export function paginate<T>(rows: T[], params: Params): T[] {
  const pageSize = params.number("pagesize");
  const page = params.number("page");
  if (pageSize === undefined && page === undefined) return rows;
  const size = pageSize === undefined || pageSize <= 0 ? 500 : pageSize;
  const start = (Math.max(page ?? 1, 1) - 1) * size;
  return rows.slice(start, start + size);
}

/** The list envelope: newest first, `count` = total matches, and no `count` at all when nothing matched. */
export function listBody<T extends { id: number }>(
  rows: T[],
  params: Params,
  itemKey: string,
  render: (row: T) => Record<string, unknown>,
): Record<string, unknown> {
  if (rows.length === 0) return {};
  const ordered = [...rows].sort((a, b) => b.id - a.id);
  const page = paginate(ordered, params);
  return page.length === 0 ? { count: rows.length } : { count: rows.length, [itemKey]: page.map(render) };
}
