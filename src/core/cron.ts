import { CronDate, CronExpressionParser, type CronExpression } from "cron-parser";

/** Field names in the order of a 6-field expression; a 5-field expression has no seconds. */
const FIELD_NAMES = ["second", "minute", "hour", "day of month", "month", "day of week"] as const;

/** What is wrong with an expression: the field at fault when one is, else the whole expression. */
export interface CronProblem {
  field: (typeof FIELD_NAMES)[number] | null;
  message: string;
}

/** Searching further than this many candidates for fire times means the expression never fires. */
const MAX_CANDIDATES = 10_000;

/** True when the runtime's Intl data knows the IANA zone (workerd and Node carry the full set). */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a cron expression field by field, so the error can say which one is wrong: 5 fields
 * (minute hour day-of-month month day-of-week), or 6 with seconds first. Returns null when valid.
 * Hashed values (`H`) are refused: they would fire at a different time per parse without a seed.
 */
export function checkCron(expression: string): CronProblem | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) {
    return { field: null, message: `expected 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), got ${parts.length}` };
  }
  const names = parts.length === 6 ? FIELD_NAMES : FIELD_NAMES.slice(1);
  const offset = 6 - parts.length;
  for (const [i, part] of parts.entries()) {
    const field = names[i]!;
    if (/(^|,)H/i.test(part)) return { field, message: `${field} field "${part}": hashed values (H) are not supported` };
    // The field alone, every other field a wildcard: an error here is this field's.
    const probe = ["0", "*", "*", "*", "*", "*"];
    probe[i + offset] = part;
    try {
      CronExpressionParser.parse(probe.join(" "));
    } catch (error) {
      return { field, message: `${field} field "${part}": ${(error as Error).message}` };
    }
  }
  try {
    CronExpressionParser.parse(parts.join(" "));
  } catch (error) {
    return { field: null, message: `the fields never match together: ${(error as Error).message}` };
  }
  return null;
}

/**
 * A parsed schedule that answers fire times in its zone, with daylight-saving handled as cron users
 * expect: a time in the hour skipped by spring-forward does not fire (it is not shifted to the next
 * hour), and a time in the hour repeated by fall-back fires once, at its first occurrence, unless
 * the schedule fires every hour, in which case it keeps firing through both (else an hour of real
 * time would go uncovered).
 */
export class CronSchedule {
  private readonly everyHour: boolean;

  constructor(
    readonly expression: string,
    readonly timeZone: string,
  ) {
    this.everyHour = this.iterator(0).fields.hour.values.length === 24;
  }

  /** Fire times t with from <= t < until, ascending, at most `limit`. */
  between(from: number, until: number, limit: number): number[] {
    const out: number[] = [];
    const it = this.iterator(from - 1);
    for (let n = 0; n < MAX_CANDIDATES && out.length < limit; n++) {
      const t = this.step(it, "next");
      if (t === null || t >= until) break;
      if (this.fires(it, t)) out.push(t);
    }
    return out;
  }

  /** The first fire time at or after `from`, or null if the expression never fires again. */
  first(from: number): number | null {
    return this.between(from, Number.POSITIVE_INFINITY, 1)[0] ?? null;
  }

  /** The next `count` fire times at or after `from`. */
  take(from: number, count: number): number[] {
    return this.between(from, Number.POSITIVE_INFINITY, count);
  }

  /** The last `count` fire times t with notBefore <= t < before, ascending. */
  lastBefore(before: number, notBefore: number, count: number): number[] {
    const out: number[] = [];
    const it = this.iterator(before);
    for (let n = 0; n < MAX_CANDIDATES && out.length < count; n++) {
      const t = this.step(it, "prev");
      if (t === null || t < notBefore) break;
      if (this.fires(it, t)) out.push(t);
    }
    return out.reverse();
  }

  private iterator(at: number): CronExpression {
    return CronExpressionParser.parse(this.expression, { tz: this.timeZone, currentDate: new Date(at) });
  }

  private step(it: CronExpression, direction: "next" | "prev"): number | null {
    try {
      return it[direction]().getTime();
    } catch {
      return null;
    }
  }

  /** Applies the daylight-saving rules to a candidate cron-parser produced. */
  private fires(it: CronExpression, t: number): boolean {
    // cron-parser shifts a time in a skipped hour to the hour after: such a time does not match.
    if (!it.includesDate(new Date(t))) return false;
    return this.everyHour || !this.isRepeatedWallTime(t);
  }

  /** True when t's wall-clock time already happened once before, in the hour fall-back repeats. */
  private isRepeatedWallTime(t: number): boolean {
    const offsetAt = (x: number) => new CronDate(x, this.timeZone).getUTCOffset() * 60_000;
    // Transitions are months apart, so three hours earlier is before any change that affects t.
    const before = offsetAt(t - 3 * 3_600_000);
    const shift = before - offsetAt(t);
    return shift > 0 && offsetAt(t - shift) === before;
  }
}
