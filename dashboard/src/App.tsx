import { lazy, Suspense, useEffect, useState } from "react";
import { Link, Route, Switch, useLocation } from "wouter";
import { KeyPrompt, signedOut, useKey } from "./key";
import { LiveProvider, useLive } from "./live";
import { Loading } from "./components/states";

// Each page loads when first opened, so the first load (the key prompt, the shell) stays small.
const Overview = lazy(() => import("./pages/Overview"));
const Queues = lazy(() => import("./pages/Queues"));
const Jobs = lazy(() => import("./pages/Jobs"));
const DeadLetters = lazy(() => import("./pages/DeadLetters"));
const Schedules = lazy(() => import("./pages/Schedules"));
const Analytics = lazy(() => import("./pages/Analytics"));
const Capacity = lazy(() => import("./pages/Capacity"));
const Workers = lazy(() => import("./pages/Workers"));
const Insights = lazy(() => import("./pages/Insights"));
const Tenants = lazy(() => import("./pages/Tenants"));

const PAGES = [
  { path: "/", label: "Overview" },
  { path: "/queues", label: "Queues" },
  { path: "/jobs", label: "Jobs" },
  { path: "/dlq", label: "Dead letters" },
  { path: "/schedules", label: "Schedules" },
  { path: "/workers", label: "Workers" },
  { path: "/insights", label: "Insights" },
  { path: "/analytics", label: "Analytics" },
  { path: "/capacity", label: "Capacity" },
  { path: "/tenants", label: "Tenants" },
] as const;

type Theme = "light" | "dark";
const THEME_STORAGE = "edgeq.theme";

function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(() => {
    const saved = localStorage.getItem(THEME_STORAGE);
    if (saved === "light" || saved === "dark") return saved;
    return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  });
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem(THEME_STORAGE, theme);
  }, [theme]);
  return [theme, () => setTheme((t) => (t === "dark" ? "light" : "dark"))];
}

function Header({ theme, toggleTheme }: { theme: Theme; toggleTheme: () => void }) {
  const [location] = useLocation();
  const { connected } = useLive();
  return (
    <header className="top">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <span className="brand">edgeq</span>
      <nav aria-label="Pages">
        <ul>
          {PAGES.map((p) => (
            <li key={p.path}>
              <Link href={p.path} aria-current={location === p.path ? "page" : undefined}>
                {p.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <span className={`live-dot ${connected ? "on" : "off"}`} role="status">
        {connected ? "Live" : "Reconnecting…"}
      </span>
      <button type="button" className="ghost" onClick={toggleTheme} aria-label={`Switch to ${theme === "dark" ? "light" : "dark"} theme`}>
        {theme === "dark" ? "Light" : "Dark"}
      </button>
      <button type="button" className="ghost" onClick={signedOut}>
        Sign out
      </button>
    </header>
  );
}

export function App() {
  const key = useKey();
  const [theme, toggleTheme] = useTheme();
  if (!key) return <KeyPrompt />;
  return (
    <LiveProvider apiKey={key}>
      <Header theme={theme} toggleTheme={toggleTheme} />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Switch>
            <Route path="/" component={Overview} />
            <Route path="/queues" component={Queues} />
            <Route path="/jobs" component={Jobs} />
            <Route path="/dlq" component={DeadLetters} />
            <Route path="/schedules" component={Schedules} />
            <Route path="/analytics" component={Analytics} />
            <Route path="/capacity" component={Capacity} />
            <Route path="/workers" component={Workers} />
            <Route path="/tenants" component={Tenants} />
            <Route path="/insights" component={Insights} />
            <Route>
              <h1>Not found</h1>
              <p>
                There is no page here. <Link href="/">Go to the overview.</Link>
              </p>
            </Route>
          </Switch>
        </Suspense>
      </main>
    </LiveProvider>
  );
}
