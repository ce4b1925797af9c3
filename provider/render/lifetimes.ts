/** CloudStack's main-line VR: `int(seconds / 60)` minutes (Python truncates toward zero). */
export function vrMinutes(seconds: number): string {
  return `${Math.trunc(seconds / 60)}m`;
}

/** CloudStack policy text → strongSwan proposal list (`;` becomes `-`). */
export function strongswanProposals(policy: string): string {
  return policy.replace(/;/g, "-");
}
