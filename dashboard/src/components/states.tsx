import type { ReactNode } from "react";
import { ApiError } from "../api";

export const Loading = () => (
  <p className="muted" role="status">
    Loading…
  </p>
);

/** An error that says what happened and what to do about it. */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const e = error as Error;
  const hint =
    e instanceof ApiError && e.status === 0
      ? "Is edgeq running? Start it with npm run dev."
      : e instanceof ApiError && e.status === 403
        ? "This key's scopes do not allow this; use a key with more scopes."
        : "Try again; if it keeps failing, check the Worker's logs.";
  return (
    <div className="error-state" role="alert">
      <p>
        <strong>Could not load this.</strong> {e.message}
      </p>
      <p>{hint}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export const Empty = ({ children }: { children: ReactNode }) => <div className="empty">{children}</div>;

/** One query's three states in one place. */
export function Loaded<T>({ query, children }: { query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown }; children: (data: T) => ReactNode }) {
  if (query.error) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  if (query.isPending || query.data === undefined) return <Loading />;
  return <>{children(query.data)}</>;
}
