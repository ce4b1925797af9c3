/**
 * The in-memory world plus what every command needs from it: id allocation, lookups (with and without removed
 * rows), the VO `toString()` renderings that "main" error texts embed, and persistence after each change.
 */
import { randomUUID } from "node:crypto";
import { saveState } from "./persistence";
import type { Account, Connection, CustomerGateway, EntityTable, Vpc, VpnGateway, WorldState } from "./state";

type RowOf<T extends EntityTable> = WorldState[T][number];

/** CloudStack's date format `yyyy-MM-dd'T'HH:mm:ssZ`, e.g. `2021-10-13T07:38:51+0000`. */
export function formatDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "+0000");
}

export class World {
  constructor(
    readonly state: WorldState,
    private readonly stateFile: string | undefined,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  now(): string {
    return formatDate(this.clock());
  }

  nowMs(): number {
    return this.clock().getTime();
  }

  nextId(table: string): number {
    const next = this.state.sequences[table] ?? 1;
    this.state.sequences[table] = next + 1;
    return next;
  }

  /** A new row's identity. */
  identity(table: EntityTable): { id: number; uuid: string; created: string } {
    return { id: this.nextId(table), uuid: randomUUID(), created: this.now() };
  }

  /** Writes the state file when there is one; call after every change. */
  persist(): void {
    if (this.stateFile !== undefined) saveState(this.stateFile, this.state);
  }

  /** Parameter lookup: UUID or internal numeric id, removed rows included (`findByUuidIncludingRemoved`). */
  resolve<T extends EntityTable>(table: T, value: string, allowNumericId: boolean): RowOf<T> | undefined {
    const rows = this.state[table] as RowOf<T>[];
    const byUuid = rows.find((row) => row.uuid === value);
    if (byUuid !== undefined || !allowNumericId || !/^\d+$/.test(value)) return byUuid;
    return rows.find((row) => row.id === Number(value));
  }

  /** Manager lookup: `findById`, which skips removed rows. */
  live<T extends EntityTable>(table: T, id: number): RowOf<T> | undefined {
    return (this.state[table] as RowOf<T>[]).find((row) => row.id === id && row.removed === undefined);
  }

  all<T extends EntityTable>(table: T): RowOf<T>[] {
    return (this.state[table] as RowOf<T>[]).filter((row) => row.removed === undefined);
  }

  account(id: number): Account {
    const account = this.state.accounts.find((a) => a.id === id);
    if (!account) throw new Error(`local-cloud invariant: account ${id} is missing`);
    return account;
  }

  domainOf(domainId: number): { uuid: string; name: string; path: string } {
    const domain = this.state.domains.find((d) => d.id === domainId);
    if (!domain) throw new Error(`local-cloud invariant: domain ${domainId} is missing`);
    return domain;
  }
}

/*
 * VO renderings used where "main" formats a VO with %s. CloudStack builds them with
 * ReflectionToStringBuilderUtils.reflectOnlySelectedFields (JSON style, fields in name order) behind a class label.
 */
const json = (value: string): string => JSON.stringify(value);
export const describeCustomerGateway = (gw: CustomerGateway): string =>
  `Site2SiteCustomerGateway {"id":${gw.id},"name":${json(gw.name)},"uuid":${json(gw.uuid)}}`;
export const describeVpnGateway = (gw: VpnGateway): string => `Site2SiteVpnGateway {"id":${gw.id},"uuid":${json(gw.uuid)}}`;
export const describeConnection = (c: Connection): string => `Site2SiteVpnConnection {"id":${c.id},"uuid":${json(c.uuid)}}`;
export const describeVpc = (vpc: Vpc): string => `VPC {"id":${vpc.id},"name":${json(vpc.name)},"uuid":${json(vpc.uuid)}}`;
export const describeAccount = (a: Account): string =>
  `Account {"accountName":${json(a.name)},"id":${a.id},"uuid":${json(a.uuid)}}`;
