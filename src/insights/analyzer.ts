import type { JobErrorRecord } from "../db/schema";
import { PERMANENT_CATEGORIES, type FailureCategory, type SuggestedAction, type Verdict } from "./verdict";

/** What the analyzer knows about one failed attempt. */
export interface FailureFacts {
  queue: string;
  type: string;
  error: Pick<JobErrorRecord, "name" | "message" | "stack" | "code" | "retryable">;
  /** The attempt ran out of its time budget. */
  timedOut: boolean;
  /** The failed attempt within the job's current budget (1-based) and that budget. */
  attempt: number;
  maxAttempts: number;
  /** Earlier attempts in this budget that failed, timed out or were lost (the job has not succeeded since). */
  previousFailures: number;
}

/** The HTTP status a message or code names ("answered 503", "status code 429", "http_404", "HTTP/1.1 502"). */
export function httpStatusOf(error: Pick<JobErrorRecord, "message" | "code">): number | null {
  const fromCode = /^http_(\d{3})$/.exec(error.code ?? "");
  if (fromCode) return Number(fromCode[1]);
  const match =
    /\b(?:status(?:\s*code)?|statusCode|answered|responded with|returned|HTTP\/\d(?:\.\d)?|HTTP error|HTTP|code)\s*[:=]?\s*\(?([1-5]\d\d)\b/i.exec(error.message) ??
    /^\s*([45]\d\d)\s+[A-Z][a-z]+/.exec(error.message);
  return match ? Number(match[1]) : null;
}

/** How long a rate limiter asked us to wait ("Retry-After: 30", "try again in 2.5s", "reset in 1200ms"), if it said. */
export function rateLimitResetMs(message: string): number | null {
  const m = /(?:retry[- ]after|try again in|retry in|reset(?:s)? in|wait)\s*[:=]?\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec(?:ond)?s?|m|min(?:ute)?s?)?\b/i.exec(message);
  if (!m) return null;
  const value = Number(m[1]);
  const unit = (m[2] ?? "s").toLowerCase();
  if (unit.startsWith("ms") || unit.startsWith("milli")) return value;
  if (unit === "m" || unit.startsWith("min")) return value * 60_000;
  return value * 1000;
}

type Rule = { category: FailureCategory; test: RegExp; confidence: number };

/** Signals that outrank an HTTP status: an S3 "503 SlowDown" is a rate limit, not an outage. */
const FIRST: Rule[] = [
  { category: "rate_limited", confidence: 0.9, test: /rate.?limit|too many requests|throttl|slow ?down|quota exceeded|requestlimitexceeded|too many connections from your|\b4\.7\.28\b|calls per (?:second|minute)|request rates?\b|at a rate that|throughput .*exceeded|throughputexceeded/i },
  { category: "timeout", confidence: 0.85, test: /timed? ?out|timeout|etimedout|esockettimedout|deadline exceeded|took too long/i },
];

/** Patterns over the error's name and message, most specific first. */
const RULES: Rule[] = [
  { category: "resource_exhausted", confidence: 0.85, test: /out of memory|cannot allocate|disk (?:is )?full|storage limit|heap limit|allocation failed|enospc|no space left|too many clients|remaining connection slots|emfile|too many open files|memory limit|cpu (time )?limit|exceeded (?:its|the) cpu|pool (?:is )?exhausted|insufficient storage|disk full|\b53[12]00\b|\b53300\b|quota.*(?:storage|exceeded)|servicequotaexceeded|\b452 4\.3\.1\b|resources exhausted/i },
  { category: "handler_bug", confidence: 0.85, test: /^(?:ReferenceError|AssertionError)\b|is not a function|cannot read propert|cannot set propert|is not defined|is not iterable|maximum call stack|cannot destructure|undefined is not|null is not|assertion failed|invariant|(?:column|relation|function) .* does not exist|\b42(?:P01|703|883)\b|unreachable code|not implemented|syntax error at or near|unhandled case|cannot access .* before initialization/i },
  { category: "auth", confidence: 0.85, test: /auth(?:entication)?error|unauthori[sz]ed|authori[sz]ation grant|invalid signature|pg_hba|insufficient permissions|api key provided|forbidden|invalid api key|api key.*(?:invalid|expired|revoked)|no api key|authentication (?:failed|required)|password authentication failed|permission denied|access ?denied|invalidaccesskeyid|signaturedoesnotmatch|expired ?token|token (?:has )?expired|invalid[_ ]token|invalid[_ ]grant|\b535\b|\b530 5\.7\.0\b|not authorized|credentials/i },
  { category: "not_found", confidence: 0.8, test: /(?<![a-z])not[ _]?found|nosuchkey|nosuchbucket|no such (?:file|key|bucket|customer|user)|does not exist|enoent|resource_missing|user unknown|mailbox unavailable|\b550 5\.1\.1\b|\bunknown (?:user|recipient|customer)|no longer exists|has been deleted/i },
  { category: "bad_input", confidence: 0.8, test: /validation|invalid|malformed|must be|is required|required field|missing (?:required|parameter|field)|unexpected token|end of json|json\.parse|unsupported|no recipients|not valid json|violates .* constraint|duplicate key|invalid input syntax|card_declined|declined|insufficient_funds|expired_card|incorrect_(?:number|cvc)|entitytoolarge|too large|payload|unprocessable|bad request|\b501 5\.\d\.\d\b|\b553\b|syntax error in parameters|out of range|value too long|not a valid/i },
  { category: "network", confidence: 0.8, test: /econnrefused|econnreset|enotfound|eai_again|ehostunreach|enetunreach|epipe|econnaborted|socket hang up|fetch failed|network ?error|network connection lost|connection (?:terminated|reset|refused|closed|lost)|getaddrinfo|client network socket disconnected|other side closed|und_err|certificate|tls|ssl|dns|broken pipe|connection error|unable to connect|could not connect/i },
  { category: "upstream_5xx", confidence: 0.75, test: /internal (?:server |service )?error|backend error|bad gateway|service unavailable|server error|internalerror|serviceunavailable|api_error|\b(?:421|450|451)[ -]\d?\.?\d?\.?\d?|temporar(?:y|ily)|try again later|starting up|shutting down|in recovery|deadlock detected|could not serialize|\b40001\b|\b40P01\b|\b57P0[13]\b|overloaded|unavailable|upstream/i },
];

function byStatus(status: number): FailureCategory | null {
  if (status === 429) return "rate_limited";
  if (status === 408 || status === 504) return "timeout";
  if (status === 401 || status === 403 || status === 407) return "auth";
  if (status === 404 || status === 410) return "not_found";
  if (status === 507 || status === 509) return "resource_exhausted";
  if (status >= 500) return "upstream_5xx";
  if (status >= 400) return "bad_input";
  return null;
}

/** Postgres SQLSTATE classes (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
function bySqlState(code: string | undefined): FailureCategory | null {
  if (!code || !/^[0-9A-Z]{5}$/.test(code) || !/^\d\d/.test(code)) return null;
  if (code === "42501" || code.startsWith("28")) return "auth";
  if (code === "57014") return "timeout";
  if (code.startsWith("08")) return "network";
  if (code.startsWith("22") || code.startsWith("23")) return "bad_input";
  if (code.startsWith("53")) return "resource_exhausted";
  if (code.startsWith("40") || code.startsWith("57")) return "upstream_5xx";
  if (code.startsWith("42")) return "handler_bug";
  return null;
}

/** The category and how sure the rules are of it. */
export function classify(facts: Pick<FailureFacts, "error" | "timedOut">): { category: FailureCategory; confidence: number; signal: string } {
  const { error } = facts;
  if (facts.timedOut) return { category: "timeout", confidence: 0.95, signal: "the attempt ran past its timeout" };
  if (/^(TimeoutError|AbortError)$/.test(error.name)) return { category: "timeout", confidence: 0.9, signal: `the error is a ${error.name}` };
  const text = `${error.name}: ${error.message} ${error.code ?? ""}`;
  for (const rule of FIRST) if (rule.test.test(text)) return { category: rule.category, confidence: rule.confidence, signal: `the message matches ${rule.category} wording` };
  const status = httpStatusOf(error);
  const fromStatus = status === null ? null : byStatus(status);
  if (fromStatus) return { category: fromStatus, confidence: 0.9, signal: `the upstream answered HTTP ${status}` };
  const fromSqlState = bySqlState(error.code);
  if (fromSqlState) return { category: fromSqlState, confidence: 0.9, signal: `Postgres reported SQLSTATE ${error.code}` };
  for (const rule of RULES) if (rule.test.test(text)) return { category: rule.category, confidence: rule.confidence, signal: `the message matches ${rule.category} wording` };
  if (/^(TypeError|ReferenceError|RangeError|SyntaxError)$/.test(error.name)) return { category: "handler_bug", confidence: 0.7, signal: `the error is a ${error.name}` };
  return { category: "unknown", confidence: 0.3, signal: "no rule recognised the error" };
}

const ACTIONS: Record<FailureCategory, SuggestedAction> = {
  timeout: "retry_with_backoff",
  network: "retry_with_backoff",
  rate_limited: "retry_later",
  upstream_5xx: "retry_with_backoff",
  auth: "alert",
  bad_input: "fix_payload",
  not_found: "dead_letter",
  resource_exhausted: "scale_up",
  handler_bug: "alert",
  unknown: "retry_with_backoff",
};

const SCALING: Partial<Record<FailureCategory, string>> = {
  rate_limited: "lower this queue's concurrency (or add a rate limit) below the provider's limit",
  resource_exhausted: "lower this queue's concurrency so it fits the exhausted resource, or give the resource more capacity",
  timeout: "if timeouts persist, lower concurrency to ease the upstream or raise the job's timeoutMs",
};

/**
 * The built-in analyzer: rules over the error's name, message, HTTP status and code, and the job's
 * attempt history. Always answers, offline, in microseconds; Workers AI refines it when bound.
 */
export function analyzeFailure(facts: FailureFacts): Verdict {
  const { category, confidence, signal } = classify(facts);
  const repeats = facts.previousFailures;
  const exhausted = facts.attempt >= facts.maxAttempts || !facts.error.retryable;
  let action = ACTIONS[category];
  if (action === "retry_with_backoff" && exhausted) action = "dead_letter";
  if (category === "upstream_5xx" && repeats >= 2 && !exhausted) action = "retry_later";
  if (category === "unknown" && exhausted) action = "dead_letter";
  const reset = category === "rate_limited" ? rateLimitResetMs(facts.error.message) : null;
  const permanent = PERMANENT_CATEGORIES.includes(category);
  const eta = permanent || exhausted ? null : reset !== null ? Math.max(1, Math.ceil(reset / 60_000)) : Math.min(60, 2 ** Math.max(0, facts.attempt - 1));
  const parts = [
    `${category.replace("_", " ")}: ${signal}.`,
    permanent ? "Retrying the same job will not change the outcome." : "The cause is usually transient.",
    repeats > 0 ? `The job failed ${repeats} time(s) before this attempt.` : "",
    exhausted ? "No attempts remain." : `${facts.maxAttempts - facts.attempt} attempt(s) remain.`,
  ];
  return {
    failure_category: category,
    suggested_action: action,
    confidence_score: Math.min(1, Math.round((confidence + (repeats > 0 && category !== "unknown" ? 0.05 : 0)) * 100) / 100),
    reasoning: parts.filter(Boolean).join(" "),
    eta_minutes: eta,
    scaling_recommendation: SCALING[category] ?? null,
  };
}
