/**
 * Generated data for the seed pipeline (the ratings/customers streaming ETL of
 * DESIGN.md), the script that feeds it to ksqlite, and the alerts it must
 * produce, computed here with plain JS from the same data, not by the engine.
 */

/** The seed's statements as DESIGN.md gives them, word for word. */
export const SEED = `SET 'auto.offset.reset' = 'earliest';
CREATE STREAM CUSTOMERS_SRC WITH (KAFKA_TOPIC='asgard.demo.CUSTOMERS', VALUE_FORMAT='AVRO');
CREATE STREAM CUSTOMERS_SRC_REKEY WITH (PARTITIONS=1) AS SELECT * FROM CUSTOMERS_SRC PARTITION BY ID;
CREATE TABLE CUSTOMERS WITH (KAFKA_TOPIC='CUSTOMERS_SRC_REKEY', VALUE_FORMAT='AVRO', KEY='ID');
CREATE STREAM RATINGS WITH (KAFKA_TOPIC='ratings', VALUE_FORMAT='AVRO');
CREATE STREAM RATINGS_ENRICHED WITH (KAFKA_TOPIC='ratings-with-customer-data', PARTITIONS=1) AS
  SELECT R.RATING_ID, R.CHANNEL, R.STARS, R.MESSAGE, C.ID, C.CLUB_STATUS, C.EMAIL,
         C.FIRST_NAME, C.LAST_NAME
  FROM RATINGS R LEFT JOIN CUSTOMERS C ON R.USER_ID = C.ID
  WHERE C.FIRST_NAME IS NOT NULL;
CREATE STREAM UNHAPPY_PLATINUM_CUSTOMERS WITH (VALUE_FORMAT='JSON', PARTITIONS=1) AS
  SELECT CLUB_STATUS, EMAIL, STARS, MESSAGE FROM RATINGS_ENRICHED
  WHERE STARS < 3 AND CLUB_STATUS = 'platinum';
SHOW QUERIES;
DESCRIBE EXTENDED RATINGS_ENRICHED;
`;

/** Streams declared with columns on the seed's topics: what the generated rows are inserted through. */
const INPUT_STREAMS = `CREATE STREAM CUSTOMERS_IN (ID INT, FIRST_NAME STRING, LAST_NAME STRING, EMAIL STRING, GENDER STRING, CLUB_STATUS STRING, COMMENTS STRING)
  WITH (KAFKA_TOPIC='asgard.demo.CUSTOMERS', VALUE_FORMAT='AVRO', PARTITIONS=1);
CREATE STREAM RATINGS_IN (RATING_ID BIGINT, USER_ID INT, STARS INT, ROUTE_ID INT, RATING_TIME BIGINT, CHANNEL STRING, MESSAGE STRING)
  WITH (KAFKA_TOPIC='ratings', VALUE_FORMAT='AVRO', PARTITIONS=1);
`;

export interface Customer {
  readonly id: number;
  readonly firstName: string | null;
  readonly lastName: string;
  readonly email: string | null;
  readonly gender: string;
  readonly clubStatus: string;
  readonly comments: string;
}

export interface Rating {
  readonly ratingId: number;
  readonly userId: number;
  readonly stars: number;
  readonly routeId: number;
  readonly channel: string;
  readonly message: string;
}

/** A UNHAPPY_PLATINUM_CUSTOMERS value, as its JSON holds it. */
export interface Alert {
  readonly CLUB_STATUS: string;
  readonly EMAIL: string | null;
  readonly STARS: number;
  readonly MESSAGE: string;
}

/** What happens, in order: the CDC snapshot, ratings, CDC updates, more ratings. */
export type Phase =
  | { readonly kind: 'customers'; readonly rows: readonly Customer[] }
  | { readonly kind: 'ratings'; readonly rows: readonly Rating[] };

export interface SeedData {
  readonly phases: readonly Phase[];
  /** Ratings inserted before the pipeline exists (their schema must be registered first); all of unknown users. */
  readonly early: readonly Rating[];
}

export interface Expected {
  readonly alerts: readonly Alert[];
  /** Ratings that pass RATINGS_ENRICHED's filter: a known customer with a FIRST_NAME. */
  readonly enriched: number;
  readonly ratings: number;
}

/** A small deterministic PRNG (mulberry32), so a failing run can be repeated. */
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

const FIRST = ['Rica', 'Ruthie', 'Mariejeanne', 'Hashim', 'Hansiain', 'Robinet', 'Fay', 'Patti', 'Gregoor', 'Mick'];
const LAST = ['Blaisdell', 'Brockherst', 'Cocci', "O'Dowd", 'Coronas', 'Leheude', 'Huxley', 'Rishworth', 'Ruggles', 'Mc Kee'];
const STATUSES = ['bronze', 'silver', 'gold', 'platinum'];
const CHANNELS = ['iOS', 'android', 'web', 'iOS-test'];
const PHRASES = [
  'thank you for the most friendly, helpful experience today at your new lounge',
  'why is it so difficult to keep the bathrooms clean ?',
  "Exceeded all my expectations. Thank you !",
  'more peanuts please',
  "(expletive deleted)",
  'airport refurb looks great, will fly outta here more!',
];

/**
 * Customers 1..customers (the last tenth of them never rate; customers 3 and
 * 11 have no FIRST_NAME, so their ratings are filtered out), ratings of known
 * and unknown users, and CDC updates of club status (customers 1, 3, 5, 7, 9
 * again and again) between two batches of ratings.
 */
export function generateSeedData(options: { customers: number; ratingsPerBatch: number; updates: number; seed: number }): SeedData {
  if (options.customers < 3) throw new Error('at least 3 customers');
  const rnd = random(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const unrated = Math.max(1, Math.floor(options.customers / 10));
  const rated = options.customers - unrated;
  const customers: Customer[] = [];
  for (let id = 1; id <= options.customers; id++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    customers.push({
      id,
      firstName: id === 3 || id === 11 ? null : first,
      lastName: last,
      email: id % 17 === 0 ? null : `${first.toLowerCase()}.${last.replace(/\W/g, '').toLowerCase()}${id}@example.com`,
      gender: id % 2 === 0 ? 'Female' : 'Male',
      clubStatus: pick(STATUSES),
      comments: `customer ${id}`,
    });
  }
  let ratingId = 0;
  const rating = (userId: number): Rating => {
    ratingId += 1;
    return {
      ratingId,
      userId,
      stars: 1 + Math.floor(rnd() * 5),
      routeId: 1000 + Math.floor(rnd() * 9000),
      channel: pick(CHANNELS),
      message: `${pick(PHRASES)} [${ratingId}]`,
    };
  };
  const unknownUser = () => options.customers + 1 + Math.floor(rnd() * 50);
  const batch = () => {
    const rows: Rating[] = [];
    for (let i = 0; i < options.ratingsPerBatch; i++) rows.push(rating(rnd() < 0.08 ? unknownUser() : 1 + Math.floor(rnd() * rated)));
    return rows;
  };
  const early = [rating(unknownUser()), rating(unknownUser()), rating(unknownUser())];
  const firstBatch = batch();

  const latest = new Map(customers.map((c) => [c.id, c]));
  const updates: Customer[] = [];
  for (let i = 0; i < options.updates; i++) {
    // Half the updates touch the first ten customers again and again: the table must keep the latest.
    const id = i % 2 === 0 ? 1 + ((i % 10) % rated) : 1 + Math.floor(rnd() * rated);
    const before = latest.get(id) as Customer;
    const next = { ...before, clubStatus: pick(STATUSES.filter((s) => s !== before.clubStatus)), comments: `customer ${id}, update ${i}` };
    latest.set(id, next);
    updates.push(next);
  }
  // The last change makes customer 2 platinum, and the last rating is its 1-star alert: the test waits for it.
  const two = { ...(latest.get(2) as Customer), clubStatus: 'platinum', comments: 'customer 2, promoted' };
  latest.set(2, two);
  updates.push(two);
  const second = batch();
  second.push({ ...rating(2), stars: 1 });
  return {
    early,
    phases: [
      { kind: 'customers', rows: customers },
      { kind: 'ratings', rows: firstBatch },
      { kind: 'customers', rows: updates },
      { kind: 'ratings', rows: second },
    ],
  };
}

/**
 * The seed's result by hand: each rating joins the customer as the table holds
 * it when the rating is processed (ksqlDB's stream-table join), here the state
 * after every customer change that came before it.
 */
export function expectedResults(data: SeedData): Expected {
  const table = new Map<number, Customer>();
  const alerts: Alert[] = [];
  let enriched = 0;
  let ratings = data.early.length;
  for (const phase of data.phases) {
    if (phase.kind === 'customers') {
      for (const c of phase.rows) table.set(c.id, c);
      continue;
    }
    for (const r of phase.rows) {
      ratings += 1;
      const c = table.get(r.userId);
      if (!c || c.firstName === null) continue;
      enriched += 1;
      if (r.stars < 3 && c.clubStatus === 'platinum') alerts.push({ CLUB_STATUS: c.clubStatus, EMAIL: c.email, STARS: r.stars, MESSAGE: r.message });
    }
  }
  for (const r of data.early) if (table.has(r.userId)) throw new Error('early ratings must be of unknown users');
  return { alerts, enriched, ratings };
}

const sqlString = (s: string | null): string => (s === null ? 'NULL' : `'${s.replace(/'/g, "''")}'`);

function insertCustomer(c: Customer, rowtime: number): string {
  return `INSERT INTO CUSTOMERS_IN (ROWTIME, ID, FIRST_NAME, LAST_NAME, EMAIL, GENDER, CLUB_STATUS, COMMENTS) VALUES (${rowtime}, ${c.id}, ${sqlString(c.firstName)}, ${sqlString(c.lastName)}, ${sqlString(c.email)}, ${sqlString(c.gender)}, ${sqlString(c.clubStatus)}, ${sqlString(c.comments)});`;
}

function insertRating(r: Rating, rowtime: number): string {
  return `INSERT INTO RATINGS_IN (ROWTIME, RATING_ID, USER_ID, STARS, ROUTE_ID, RATING_TIME, CHANNEL, MESSAGE) VALUES (${rowtime}, ${r.ratingId}, ${r.userId}, ${r.stars}, ${r.routeId}, ${rowtime}, ${sqlString(r.channel)}, ${sqlString(r.message)});`;
}

/**
 * The script `ksqlite -f` runs: the input streams, the CDC snapshot and a few
 * ratings (so that the registry has both value schemas the seed reads), the
 * seed, then the rest of the data.
 *
 * Records carry increasing timestamps, one phase after another. A stream-table
 * join sees a table change only once the change is in the table's topic, and
 * CUSTOMERS is fed through CUSTOMERS_SRC_REKEY by another query: before each
 * batch of ratings that must see customer changes, the script waits (a push
 * query with LIMIT 1) until the last change is in CUSTOMERS_SRC_REKEY; the
 * join then takes the earlier-stamped changes before the ratings. At the end it
 * waits for the last alert, so DESCRIBE EXTENDED sees every enriched rating.
 */
export function seedScript(data: SeedData, options: { strict?: boolean; start?: number } = {}): string {
  let ts = options.start ?? 1_700_000_000_000;
  const lines: string[] = [];
  if (options.strict) lines.push("SET 'ksql.new.query.planner.enabled' = 'false';");
  lines.push(INPUT_STREAMS);
  const [snapshot, ...rest] = data.phases;
  if (snapshot?.kind !== 'customers') throw new Error('the data starts with the customers snapshot');
  for (const c of snapshot.rows) lines.push(insertCustomer(c, ts++));
  let lastChange = ts - 1;
  for (const r of data.early) lines.push(insertRating(r, ts++));
  lines.push(SEED);
  let changed = true;
  for (const phase of rest) {
    if (phase.kind === 'customers') {
      for (const c of phase.rows) lines.push(insertCustomer(c, ts++));
      lastChange = ts - 1;
      changed = true;
      continue;
    }
    if (changed) lines.push(`SELECT ID FROM CUSTOMERS_SRC_REKEY WHERE ROWTIME >= ${lastChange} EMIT CHANGES LIMIT 1;`);
    changed = false;
    for (const r of phase.rows) lines.push(insertRating(r, ts++));
  }
  lines.push(`SELECT STARS, MESSAGE FROM UNHAPPY_PLATINUM_CUSTOMERS WHERE ROWTIME >= ${ts - 1} EMIT CHANGES LIMIT 1;`);
  lines.push('DESCRIBE CUSTOMERS;');
  lines.push('DESCRIBE EXTENDED RATINGS_ENRICHED;');
  return `${lines.join('\n')}\n`;
}
