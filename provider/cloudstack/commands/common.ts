/** Parameter groups shared by many commands (contract §1.1). */

/** Who owns a new object. Admins and domain admins may act for another account (`account` needs `domainId`). */
export interface OwnerParams {
  account?: string;
  domainId?: string;
  projectId?: string;
}

/** `BaseListProjectAndAccountResourcesCmd` parameters; `page`/`pageSize` are driven by `paginate`. */
export interface ListParams extends OwnerParams {
  /** `name LIKE %keyword%` where the command supports it (ignored by listVpnGateways/listVpnConnections). */
  keyword?: string;
  /** Admins: list every account's objects, not only their own. */
  listAll?: boolean;
  isRecursive?: boolean;
}
