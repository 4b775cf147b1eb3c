import { useState, useSyncExternalStore, type FormEvent } from "react";
import { ApiError, forgetKey, request, storedKey, storeKey } from "./api";

/** The API key the dashboard calls with: entered once, kept in localStorage. */

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export const useKey = (): string | null => useSyncExternalStore(subscribe, storedKey);

export function signedOut(): void {
  forgetKey();
  notify();
}

export function KeyPrompt() {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecking(true);
    setError(null);
    try {
      // Any read route proves the key; the queues list is small.
      await request("/api/v1/queues", {}, key.trim());
      storeKey(key.trim());
      notify();
    } catch (e) {
      const refused = e instanceof ApiError && (e.status === 401 || e.status === 403);
      setError(refused ? `edgeq refused this key (${(e as ApiError).message}). Check it and try again.` : `Could not check the key: ${(e as Error).message}`);
    } finally {
      setChecking(false);
    }
  };

  return (
    <main className="key-prompt">
      <form onSubmit={submit} aria-describedby="key-help">
        <h1>edgeq</h1>
        <p id="key-help">
          Enter an API key to open the dashboard. <code>npm run dev</code> prints a local admin key and keeps it in <code>.edgeq/admin-key</code>. The key stays in this
          browser only.
        </p>
        <label htmlFor="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" required autoFocus value={key} onChange={(e) => setKey(e.target.value)} />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={checking || key.trim() === ""}>
          {checking ? "Checking…" : "Open dashboard"}
        </button>
      </form>
    </main>
  );
}
