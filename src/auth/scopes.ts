/** What a key may do, widest last: `read` sees, `producer` also submits jobs, `admin` does anything. */
export const SCOPES = ["read", "producer", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

/** A key holding any of `granted` may do what `needed` allows: the scopes nest. */
export function allows(granted: readonly Scope[], needed: Scope): boolean {
  const rank = SCOPES.indexOf(needed);
  return granted.some((s) => SCOPES.indexOf(s) >= rank);
}
