/**
 * The one paging walker. The DDM list calls take `offset` (records skipped) and `limit`
 * (records per page, 1..128) and answer with a page plus `total`. The walker:
 *
 * - asks for the first page at the caller's `offset`, reads `total` from it, then plans the
 *   remaining pages from that first `total` (so it never loops forever: the page count is
 *   fixed up front and capped by `maxPages`);
 * - fetches those pages with at most `concurrency` requests in flight and yields records in
 *   order; the last page's `limit` is trimmed to what is needed, so N records cost
 *   ceil(N / pageSize) requests when the list holds still;
 * - stops at a short or empty page;
 * - drops duplicate records when given a `key` function (a record seen on two pages means
 *   the list shifted; one repeated within a page is the API's own and is only dropped), in
 *   O(1) per record;
 * - notices when the list moved under it: `total` differs between pages, a page comes back
 *   shorter (or longer) than `total` promised, or a record comes back on two pages. The walk
 *   stops at the first such page (`walk.moved`, with the reason in `notes`); `collectPages`
 *   then runs one fresh walk and, if the list moves again, returns what that walk read with
 *   a warning. Never a silently torn list, and never thousands of requests after the fact;
 * - refuses, before paging, a list whose `total` promises more than `maxRecords` records in
 *   the asked range (a RecordCapError naming offset/limit as the way to page by hand), so a
 *   server claiming `total: 1e9` costs one request and bounded memory.
 */
import { DEFAULTS, DEFAULT_PAGING } from "./defaults";
import { RecordCapError } from "./errors";
import { FailureCollector, integerProblem } from "./validate";

/** One page as a fetcher returns it. */
export interface Page<T> {
  items: T[];
  /** The API's `total` (all records, not just this page's). */
  total: number;
}

/** Fetch `limit` records starting after `offset` records. */
export type FetchPage<T> = (offset: number, limit: number, signal?: AbortSignal) => Promise<Page<T>>;

export interface WalkOptions<T> {
  /** Records skipped before the first one returned; default 0. */
  offset?: number;
  /** Most records returned in all; absent = every record from `offset`. */
  limit?: number;
  /** Records per request, 1..128; default DEFAULT_PAGING.pageSize (128). */
  pageSize?: number;
  /** Requests in flight after the first page; default DEFAULT_PAGING.concurrency (4). */
  concurrency?: number;
  /** Most requests one walk makes, whatever `total` says; default DEFAULT_PAGING.maxPages (10,000). */
  maxPages?: number;
  /**
   * Most records one walk may read; a `total` that promises more in the asked range fails
   * before paging. Default DEFAULT_PAGING.maxRecords (100,000).
   */
  maxRecords?: number;
  /** Identity of a record, used to drop duplicates (e.g. `instance_id`). */
  key?: (item: T) => string;
  signal?: AbortSignal;
  /** The error thrown when `signal` aborts (default: the signal's reason). */
  abortError?: () => unknown;
}

/** The default cap on requests per walk (an alias of DEFAULT_PAGING.maxPages, kept for the public exports). */
export const MAX_PAGES = DEFAULT_PAGING.maxPages;

/** Checked, defaulted walk options. Throws ValidationError listing every bad option. */
function normalize<T>(
  opts: WalkOptions<T>,
): Required<Omit<WalkOptions<T>, "limit" | "key" | "signal" | "abortError">> {
  const f = new FailureCollector();
  const offset = opts.offset ?? 0;
  const pageSize = opts.pageSize ?? DEFAULT_PAGING.pageSize;
  const concurrency = opts.concurrency ?? DEFAULT_PAGING.concurrency;
  const maxPages = opts.maxPages ?? DEFAULT_PAGING.maxPages;
  const maxRecords = opts.maxRecords ?? DEFAULT_PAGING.maxRecords;
  const problems: [string, string | undefined][] = [
    ["offset", integerProblem(offset, 0)],
    ["limit", opts.limit === undefined ? undefined : integerProblem(opts.limit, 1)],
    ["pageSize", integerProblem(pageSize, 1, DEFAULTS.apiMaxLimit)],
    ["concurrency", integerProblem(concurrency, 1, 64)],
    ["maxPages", integerProblem(maxPages, 1)],
    ["maxRecords", integerProblem(maxRecords, 1)],
  ];
  for (const [property, reason] of problems) if (reason) f.add(property, reason);
  f.throwIfAny();
  return { offset, pageSize, concurrency, maxPages, maxRecords };
}

function throwIfAborted(signal: AbortSignal | undefined, abortError: (() => unknown) | undefined): void {
  if (signal?.aborted) {
    if (abortError) throw abortError();
    const reason: unknown = signal.reason;
    throw reason instanceof Error ? reason : new Error("the operation was aborted");
  }
}

/**
 * One walk over the pages: an async iterable of records. After (or during) iteration its
 * fields say what happened: `total` from the first page, `requests` made, whether the list
 * `moved`, and human-readable `notes` on why.
 */
export class PageWalk<T> implements AsyncIterable<T> {
  /** `total` as the first page reported it; -1 before the first page arrives. */
  total = -1;
  /** Requests made so far. */
  requests = 0;
  /** Records yielded so far. */
  yielded = 0;
  /** True when the list changed while it was paged (see `notes`). */
  moved = false;
  /** Why the walk thinks the list moved, or why it stopped early. */
  readonly notes: string[] = [];
  private readonly noted = new Set<string>();
  private started = false;
  private readonly opts: ReturnType<typeof normalize<T>>;

  constructor(
    private readonly fetchPage: FetchPage<T>,
    private readonly options: WalkOptions<T> = {},
  ) {
    this.opts = normalize(options);
  }

  private note(moved: boolean, text: string): void {
    if (moved) this.moved = true;
    if (this.noted.has(text)) return;
    this.noted.add(text);
    this.notes.push(text);
  }

  /** The records, one at a time. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.walk()) {
      for (const item of page) {
        this.yielded++;
        yield item;
      }
    }
  }

  /**
   * The records a page at a time, in order (each array already checked and free of
   * duplicates): what `collectPages` reads, so that a large list costs one await per page,
   * not one per record. A walk is iterated once, either way.
   */
  async *pages(): AsyncGenerator<readonly T[], void, undefined> {
    for await (const page of this.walk()) {
      this.yielded += page.length;
      yield page;
    }
  }

  private async *walk(): AsyncGenerator<readonly T[], void, undefined> {
    if (this.started) throw new Error("a PageWalk can be iterated only once");
    this.started = true;
    const { offset: start, pageSize, concurrency, maxPages, maxRecords } = this.opts;
    const { key, signal, abortError } = this.options;
    const want = this.options.limit ?? Number.POSITIVE_INFINITY;
    const seen = key ? new Map<string, number>() : undefined; // key -> offset of its page

    // In-flight requests are aborted when the walk stops early (short page, error, break).
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });

    let pending = 0;
    const fetchOne = async (offset: number, limit: number): Promise<Page<T>> => {
      throwIfAborted(signal, abortError);
      this.requests++;
      pending++;
      try {
        const page = await this.fetchPage(offset, limit, stop.signal);
        throwIfAborted(signal, abortError);
        return page;
      } finally {
        pending--;
      }
    };

    /** Check a page against the plan; returns the records to yield and whether to go on. */
    const accept = (offset: number, limit: number, page: Page<T>, expectedTotal: number) => {
      if (page.total !== expectedTotal) {
        this.note(true, `total changed from ${expectedTotal} to ${page.total} while paging`);
      }
      const expected = Math.min(limit, Math.max(0, expectedTotal - offset));
      const items = page.items.length > limit ? page.items.slice(0, limit) : page.items;
      if (items.length !== expected) {
        this.note(
          true,
          `the page at offset ${offset} held ${items.length} records where total ${expectedTotal} promised ${expected}`,
        );
      }
      let out: T[] = items;
      if (seen && key) {
        // Copied only from the first duplicate on: a clean page is passed on as it came.
        let kept = -1;
        for (let i = 0; i < items.length; i++) {
          const k = key(items[i]);
          const first = seen.get(k);
          if (first !== undefined) {
            // Twice on one page is the API's own repetition; on two pages, the list shifted.
            if (first !== offset && !this.moved) this.note(true, `a record (${k}) came back on two pages`);
            if (kept < 0) {
              out = items.slice(0, i);
              kept = i;
            }
            continue;
          }
          seen.set(k, offset);
          if (kept >= 0) out.push(items[i]);
        }
      }
      // The first inconsistency ends the pass: what follows cannot be trusted either.
      return { out, full: items.length >= limit && !this.moved };
    };

    try {
      const firstLimit = Math.min(pageSize, want);
      const first = await fetchOne(start, firstLimit);
      this.total = first.total;
      const promised = Math.min(want, Math.max(0, first.total - start));
      if (promised > maxRecords) {
        throw new RecordCapError({
          total: first.total,
          offset: start,
          limit: this.options.limit,
          cap: maxRecords,
        });
      }
      const firstPage = accept(start, firstLimit, first, first.total);
      if (firstPage.out.length > 0) yield firstPage.out;
      if (!firstPage.full) return;

      // Plan the rest from the first total.
      const end = Math.min(start + want, this.total);
      const plan: { offset: number; limit: number }[] = [];
      for (let o = start + firstLimit; o < end; o += pageSize) {
        if (plan.length + 1 >= maxPages) {
          this.note(
            false,
            `stopped after ${maxPages} requests (the walker's cap); records from offset ${o} on were not read`,
          );
          break;
        }
        plan.push({ offset: o, limit: Math.min(pageSize, end - o) });
      }

      const inflight: Promise<Page<T>>[] = [];
      let next = 0;
      const launch = (): void => {
        while (next < plan.length && inflight.length < concurrency) {
          const p = fetchOne(plan[next].offset, plan[next].limit);
          p.catch(() => undefined); // observed below; this keeps an abandoned one quiet
          inflight.push(p);
          next++;
        }
      };
      for (let i = 0; i < plan.length; i++) {
        launch();
        const page = await inflight.shift()!;
        const got = accept(plan[i].offset, plan[i].limit, page, this.total);
        if (got.out.length > 0) yield got.out;
        if (!got.full) return;
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      // Nothing to abort after a walk that read every page it started (the common end).
      if (pending > 0) stop.abort();
    }
  }
}

/** Walk the pages of a list: an async iterable of records (see PageWalk for what it records). */
export function walkPages<T>(fetchPage: FetchPage<T>, options: WalkOptions<T> = {}): PageWalk<T> {
  return new PageWalk(fetchPage, options);
}

/** Everything a collected walk read. */
export interface Collected<T> {
  items: T[];
  /** The API's `total` (from the first page of the walk whose records are returned). */
  total: number;
  /** Non-fatal notes (the list moved while paged, the page cap was hit). Empty when none. */
  warnings: string[];
  /** Requests made, across both walks when the first one was retried. */
  requests: number;
}

/**
 * Walk every page and collect the records. When the list moved during the walk, walk once
 * more; if it moved again, return the second walk's records with a warning that says so.
 */
export async function collectPages<T>(
  fetchPage: FetchPage<T>,
  options: WalkOptions<T> = {},
): Promise<Collected<T>> {
  let requests = 0;
  const maxWalks = 2;
  for (let attempt = 1; ; attempt++) {
    const walk = walkPages(fetchPage, options);
    const items: T[] = [];
    for await (const page of walk.pages()) for (let i = 0; i < page.length; i++) items.push(page[i]);
    requests += walk.requests;
    if (!walk.moved || attempt >= maxWalks) {
      const warnings = walk.moved
        ? [
            `the list changed while it was being paged (${walk.notes.join("; ")}), again after one retry: ` +
              `returning the ${items.length} records read, which may miss records that moved (duplicates were dropped)`,
          ]
        : walk.notes.slice();
      return { items, total: Math.max(walk.total, 0), warnings, requests };
    }
  }
}
