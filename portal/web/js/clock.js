// The market's clock, as the server keeps it (GET /api/v1/clock): today's market date and the
// market's time zone. Every date a page defaults to or shows comes from here, never from the
// browser's clock or zone, so a page and the CLI agree on "today" at any hour (a browser in
// UTC is a day behind the market from 16:00 to 24:00 UTC).
import { endpoints, get } from './api.js';

let clock = null;
let pending = null;

// Fetches the clock once per page; resolves with {today, time_zone, now_ms}.
export function loadClock() {
  if (!pending) {
    pending = get(endpoints.clock).then((c) => {
      clock = { today: c.today, timeZone: c.time_zone, nowMs: Number(c.now_ms), fetchedAt: Date.now() };
      return clock;
    });
  }
  return pending;
}

function loaded() {
  if (!clock) throw new Error('the market clock is not loaded yet: await loadClock() first');
  return clock;
}

// The market's time zone (IANA name).
export const marketTimeZone = () => loaded().timeZone;

// The market's date today, YYYY-MM-DD.
export const marketToday = () => loaded().today;

// The market date `n` days before today (calendar arithmetic on the date itself).
export function marketDaysAgo(n) {
  const [y, m, d] = marketToday().split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - n)).toISOString().slice(0, 10);
}

// The server's "now" in milliseconds (its clock, not the browser's, advanced since fetched).
export const marketNowMs = () => loaded().nowMs + (Date.now() - loaded().fetchedAt);
