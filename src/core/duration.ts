/**
 * ISO 8601 durations (`PnYnMnWnDTnHnMnS`, whole numbers only) and their arithmetic.
 *
 * Years and months have no fixed length, so a duration has a shortest and a longest possible
 * length in milliseconds. Proofs that one duration never exceeds another (an extension may only
 * tighten the core's retention) compare the longest length of one with the shortest of the
 * other, which holds for every start date. Deadlines are computed on the UTC calendar.
 */
export interface Duration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// ISO 8601-1:2019 §5.5.2.4 duration format, restricted to non-negative whole numbers.
const DURATION_RE =
  /^P(?!$)(?:(\d{1,6})Y)?(?:(\d{1,6})M)?(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?=\d)(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,9})S)?)?$/;

/** Parses an ISO 8601 duration such as `P90D`, `PT72H` or `P1Y6M`; `undefined` if malformed. */
export function parseDuration(text: string): Duration | undefined {
  const m = DURATION_RE.exec(text);
  if (m === null) return undefined;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  return {
    years: n(1),
    months: n(2),
    weeks: n(3),
    days: n(4),
    hours: n(5),
    minutes: n(6),
    seconds: n(7),
  };
}

/** Formats a duration back to its shortest ISO 8601 text (`PT0S` for zero). */
export function formatDuration(d: Duration): string {
  const date =
    (d.years ? `${d.years}Y` : '') +
    (d.months ? `${d.months}M` : '') +
    (d.weeks ? `${d.weeks}W` : '') +
    (d.days ? `${d.days}D` : '');
  const time =
    (d.hours ? `${d.hours}H` : '') +
    (d.minutes ? `${d.minutes}M` : '') +
    (d.seconds ? `${d.seconds}S` : '');
  if (date === '' && time === '') return 'PT0S';
  return `P${date}${time === '' ? '' : `T${time}`}`;
}

/** True when the duration has the same length whatever the start date (no years or months). */
export function isFixedDuration(d: Duration): boolean {
  return d.years === 0 && d.months === 0;
}

function fixedPartMs(d: Duration): number {
  return (d.weeks * 7 + d.days) * DAY + d.hours * HOUR + d.minutes * MINUTE + d.seconds * SECOND;
}

/** The shortest length this duration can have (a month is 28 days, a year 365). */
export function minDurationMs(d: Duration): number {
  // Shortest run of m consecutive months: every 12 months contain 365 days at least; a shorter
  // run can start at February. 28 days per month is a safe lower bound for the remainder.
  return d.years * 365 * DAY + d.months * 28 * DAY + fixedPartMs(d);
}

/** The longest length this duration can have (a month is 31 days, a year 366). */
export function maxDurationMs(d: Duration): number {
  return d.years * 366 * DAY + d.months * 31 * DAY + fixedPartMs(d);
}

/**
 * The instant `d` after `instant`, on the UTC calendar: years and months move the calendar
 * date (clamped to the month's last day, as 31 January + P1M = 28/29 February), the rest is
 * fixed time.
 */
export function addDuration(instant: number, d: Duration): number {
  let t = instant;
  if (d.years !== 0 || d.months !== 0) {
    const date = new Date(instant);
    const totalMonths = date.getUTCMonth() + d.months + 12 * d.years;
    const year = date.getUTCFullYear() + Math.floor(totalMonths / 12);
    const month = totalMonths % 12;
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const day = Math.min(date.getUTCDate(), lastDay);
    t = Date.UTC(
      year,
      month,
      day,
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
      date.getUTCMilliseconds(),
    );
  }
  return t + fixedPartMs(d);
}

/** Milliseconds of a fixed duration; throws on a calendar one (callers check `isFixedDuration`). */
export function fixedDurationMs(d: Duration): number {
  if (!isFixedDuration(d))
    throw new RangeError('duration with years or months has no fixed length');
  return fixedPartMs(d);
}

/** True when `a` can never be longer than `b`, whatever the start date. */
export function durationNeverExceeds(a: Duration, b: Duration): boolean {
  if (isFixedDuration(a) && isFixedDuration(b)) return fixedPartMs(a) <= fixedPartMs(b);
  // Same calendar shape: compare component-wise after folding years into months.
  const am = a.years * 12 + a.months;
  const bm = b.years * 12 + b.months;
  if (am <= bm && fixedPartMs(a) <= fixedPartMs(b)) return true;
  return maxDurationMs(a) <= minDurationMs(b);
}
