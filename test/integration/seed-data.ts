/**
 * Generated input of the seed pipeline (customers from a CDC feed, ratings
 * of those customers) and the alerts UNHAPPY_PLATINUM_CUSTOMERS must hold,
 * computed here in plain TypeScript, independently of the engine.
 */

export interface Customer {
  readonly ID: number;
  readonly FIRST_NAME: string | null;
  readonly LAST_NAME: string;
  readonly EMAIL: string;
  readonly GENDER: string;
  readonly CLUB_STATUS: string;
  readonly COMMENTS: string;
}

export interface Rating {
  readonly RATING_ID: number;
  readonly USER_ID: number;
  readonly STARS: number;
  readonly ROUTE_ID: number;
  readonly RATING_TIME: number;
  readonly CHANNEL: string;
  readonly MESSAGE: string;
}

export interface Alert {
  readonly FULL_NAME: string;
  readonly CLUB_STATUS: string;
  readonly EMAIL: string;
  readonly STARS: number;
  readonly MESSAGE: string;
}

/** A small deterministic PRNG (mulberry32), so a failing run can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Rica', 'Ruthie', 'Mariejeanne', 'Hashim', 'Hansiain', 'Robinet', 'Fay', 'Patti', 'Even', "Brena"];
const LAST = ['Blaisdell', 'Brockherst', 'Cocci', 'Rumke', 'Coda', 'Leheude', 'Huc', "O'Rourke", 'Tinline', 'Tollerton'];
const STATUS = ['bronze', 'silver', 'gold', 'platinum'];
const CHANNELS = ['iOS', 'android', 'web', 'iOS-test'];
const MESSAGES = [
  'Exceeded all my expectations. Thank you !',
  'more peanuts please',
  'why is it so difficult to keep the bathrooms clean ?',
  'Surprisingly good, maybe you are getting your mojo back at long last!',
  "thank you for the most friendly, helpful experience today at your new lounge",
  'airport refurb looks great, will fly outta here more!',
];

export interface SeedData {
  /** In the order they are written: first versions, then a few CDC updates. */
  readonly customers: readonly Customer[];
  readonly ratings: readonly Rating[];
}

/**
 * `customerCount` customers (ids 1..n; a few without a first name), some updated later (new
 * status, new email), and `ratingCount` ratings by users 1..n+3 (the last three unknown).
 */
export function generateSeed(customerCount = 20, ratingCount = 150, seed = 42): SeedData {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const customers: Customer[] = [];
  for (let id = 1; id <= customerCount; id++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    customers.push({
      ID: id,
      FIRST_NAME: id % 9 === 0 ? null : first,
      LAST_NAME: last,
      EMAIL: `${first.toLowerCase()}.${last.toLowerCase().replace(/'/g, '')}${id}@example.com`,
      GENDER: pick(['Female', 'Male']),
      // At least a third platinum, so there are alerts to see.
      CLUB_STATUS: id % 3 === 0 ? 'platinum' : pick(STATUS),
      COMMENTS: `customer ${id}`,
    });
  }
  // CDC updates: the table keeps the latest version of each.
  for (const id of [2, 3, 5, 7].filter((i) => i <= customerCount)) {
    const before = customers[id - 1] as Customer;
    customers.push({
      ...before,
      CLUB_STATUS: before.CLUB_STATUS === 'platinum' ? 'gold' : 'platinum',
      EMAIL: `updated.${before.EMAIL}`,
    });
  }
  const ratings: Rating[] = [];
  for (let i = 1; i <= ratingCount; i++) {
    ratings.push({
      RATING_ID: i,
      USER_ID: 1 + Math.floor(rnd() * (customerCount + 3)),
      STARS: 1 + Math.floor(rnd() * 5),
      ROUTE_ID: 1 + Math.floor(rnd() * 500),
      RATING_TIME: 1_700_000_000_000 + i * 1000,
      CHANNEL: pick(CHANNELS),
      MESSAGE: `${pick(MESSAGES)} (#${i})`,
    });
  }
  return { customers, ratings };
}

/** What UNHAPPY_PLATINUM_CUSTOMERS holds when every customer version was in the table before the ratings came. */
export function expectedAlerts({ customers, ratings }: SeedData): Alert[] {
  const latest = new Map<number, Customer>();
  for (const c of customers) latest.set(c.ID, c);
  const alerts: Alert[] = [];
  for (const r of ratings) {
    const c = latest.get(r.USER_ID);
    // LEFT JOIN ... WHERE C.FIRST_NAME IS NOT NULL, then STARS < 3 AND CLUB_STATUS = 'platinum'.
    if (c === undefined || c.FIRST_NAME === null) continue;
    if (!(r.STARS < 3 && c.CLUB_STATUS === 'platinum')) continue;
    alerts.push({ FULL_NAME: `${c.FIRST_NAME} ${c.LAST_NAME}`, CLUB_STATUS: c.CLUB_STATUS, EMAIL: c.EMAIL, STARS: r.STARS, MESSAGE: r.MESSAGE });
  }
  return alerts;
}

/** A SQL string literal. */
export function sqlString(s: string | null): string {
  return s === null ? 'NULL' : `'${s.replace(/'/g, "''")}'`;
}

/** INSERT ... VALUES statements writing `rows` to `stream`, columns in the rows' key order. */
export function insertStatements(stream: string, rows: readonly object[]): string {
  return rows
    .map((row) => {
      const entries = Object.entries(row);
      const values = entries.map(([, v]) => (typeof v === 'number' ? String(v) : sqlString(v as string | null)));
      return `INSERT INTO ${stream} (${entries.map(([k]) => k).join(', ')}) VALUES (${values.join(', ')});`;
    })
    .join('\n');
}
