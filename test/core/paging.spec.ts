import { expect } from "chai";
import { FetchPage, MAX_PAGES, Page, collectPages, walkPages } from "../../provider/paging";
import { RecordCapError, ValidationError } from "../../provider/errors";
import { DEFAULTS, DEFAULT_PAGING } from "../../provider/defaults";

interface Rec {
  id: string;
}

/**
 * A fake list endpoint: records r0..r{n-1}, pages answered after a macrotask so that
 * concurrent requests really overlap. Records every (offset, limit) asked and the most
 * requests ever in flight. `onRequest(n)` runs before the n-th request (1-based) is
 * answered, to move the list under the walker.
 */
function fakeList(n: number, onRequest?: (n: number, list: FakeList) => void) {
  const list: FakeList = {
    records: Array.from({ length: n }, (_, i) => ({ id: `r${i}` })),
    totalOverride: undefined,
    calls: [],
    inFlight: 0,
    maxInFlight: 0,
    fetch: undefined as unknown as FetchPage<Rec>,
  };
  list.fetch = async (offset, limit) => {
    list.calls.push([offset, limit]);
    list.inFlight++;
    list.maxInFlight = Math.max(list.maxInFlight, list.inFlight);
    await new Promise((r) => setImmediate(r));
    onRequest?.(list.calls.length, list);
    list.inFlight--;
    const page: Page<Rec> = {
      items: list.records.slice(offset, offset + limit),
      total: list.totalOverride ?? list.records.length,
    };
    return page;
  };
  return list;
}

interface FakeList {
  records: Rec[];
  totalOverride: number | undefined;
  calls: [number, number][];
  inFlight: number;
  maxInFlight: number;
  fetch: FetchPage<Rec>;
}

const ids = (items: Rec[]): string[] => items.map((r) => r.id);
const range = (from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, i) => `r${from + i}`);
const key = (r: Rec): string => r.id;

describe("paging walker", () => {
  for (const n of [0, 1, 127, 128, 129, 256, 1000]) {
    it(`reads all ${n} records in ceil(${n}/128) requests (at least one), in order, without duplicates`, async () => {
      const list = fakeList(n);
      const got = await collectPages(list.fetch, { key });
      expect(ids(got.items)).to.deep.equal(range(0, n));
      expect(got.total).to.equal(n);
      expect(got.warnings).to.deep.equal([]);
      expect(got.requests).to.equal(Math.max(1, Math.ceil(n / 128)));
      expect(list.calls.length).to.equal(got.requests);
      expect(list.calls.every(([, l]) => l <= 128)).to.equal(true);
    });
  }

  it("asks for offset 0, 128, 256, ... with limit 128 and trims the last page to what is needed", async () => {
    const list = fakeList(300);
    await collectPages(list.fetch);
    expect(list.calls).to.deep.equal([
      [0, 128],
      [128, 128],
      [256, 44],
    ]);
  });

  it("maps offset 250 limit 20 onto one request for records 250..269", async () => {
    const list = fakeList(1000);
    const got = await collectPages(list.fetch, { offset: 250, limit: 20 });
    expect(list.calls).to.deep.equal([[250, 20]]);
    expect(ids(got.items)).to.deep.equal(range(250, 270));
    expect(got.total).to.equal(1000);
  });

  it("trims the last page of a limit that spans pages (offset 100 limit 300)", async () => {
    const list = fakeList(1000);
    const got = await collectPages(list.fetch, { offset: 100, limit: 300 });
    expect(list.calls).to.deep.equal([
      [100, 128],
      [228, 128],
      [356, 44],
    ]);
    expect(ids(got.items)).to.deep.equal(range(100, 400));
  });

  it("stops at total when the limit reaches past it", async () => {
    const list = fakeList(200);
    const got = await collectPages(list.fetch, { offset: 150, limit: 500 });
    expect(list.calls).to.deep.equal([[150, 128]]);
    expect(ids(got.items)).to.deep.equal(range(150, 200));
    expect(got.warnings).to.deep.equal([]);
  });

  it("returns nothing, in one request and without a warning, for an offset beyond total", async () => {
    const list = fakeList(10);
    const got = await collectPages(list.fetch, { offset: 50 });
    expect(got.items).to.deep.equal([]);
    expect(got.total).to.equal(10);
    expect(got.warnings).to.deep.equal([]);
    expect(list.calls).to.deep.equal([[50, 128]]);
  });

  it("uses a single small request for a limit smaller than a page", async () => {
    const list = fakeList(1000);
    const got = await collectPages(list.fetch, { limit: 5 });
    expect(list.calls).to.deep.equal([[0, 5]]);
    expect(ids(got.items)).to.deep.equal(range(0, 5));
  });

  it("honours a smaller page size", async () => {
    const list = fakeList(25);
    const got = await collectPages(list.fetch, { pageSize: 10 });
    expect(list.calls).to.deep.equal([
      [0, 10],
      [10, 10],
      [20, 5],
    ]);
    expect(got.items).to.have.length(25);
  });

  for (const concurrency of [1, 2, 4]) {
    it(`keeps at most ${concurrency} requests in flight and still yields in order`, async () => {
      const list = fakeList(128 * 12);
      const got = await collectPages(list.fetch, { concurrency });
      expect(list.maxInFlight).to.equal(concurrency);
      expect(ids(got.items)).to.deep.equal(range(0, 128 * 12));
    });
  }

  it("fetches pages after the first concurrently by default (4 in flight)", async () => {
    const list = fakeList(128 * 9);
    await collectPages(list.fetch);
    expect(list.maxInFlight).to.equal(4);
  });

  it("stops at an empty page even when the first total promised more", async () => {
    let calls = 0;
    const got = await collectPages<Rec>(
      async (offset, limit) => {
        calls++;
        return {
          items: offset === 0 ? Array.from({ length: limit }, (_, i) => ({ id: `r${i}` })) : [],
          total: 1000,
        };
      },
      { key, concurrency: 1 },
    );
    // Each of the two walks: the first page, then an empty second page.
    expect(calls).to.equal(4);
    expect(got.items).to.have.length(128);
    expect(got.warnings).to.have.length(1);
    expect(got.warnings[0]).to.match(/changed while it was being paged/);
    expect(got.warnings[0]).to.match(/offset 128 held 0 records/);
  });

  it("retries once and returns a clean result when a shrink happened only during the first walk", async () => {
    const list = fakeList(500, (n, l) => {
      if (n === 2) l.records.splice(0, 10); // ten backups aged out after the first page
    });
    const got = await collectPages(list.fetch, { key, concurrency: 1 });
    expect(got.warnings).to.deep.equal([]);
    expect(ids(got.items)).to.deep.equal(range(10, 500));
    expect(got.total).to.equal(490);
    // first walk: 4 pages planned from total 500; second walk: ceil(490/128) = 4
    expect(got.requests).to.equal(list.calls.length);
    expect(got.requests).to.be.greaterThan(4);
  });

  it("warns, never duplicates and stops when the list keeps shrinking", async () => {
    const list = fakeList(1000, (n, l) => {
      if (n > 1) l.records.splice(0, 5);
    });
    const got = await collectPages(list.fetch, { key });
    expect(got.warnings).to.have.length(1);
    expect(got.warnings[0]).to.match(/changed while it was being paged/);
    expect(got.warnings[0]).to.match(/again after one retry/);
    expect(new Set(ids(got.items)).size).to.equal(got.items.length);
    expect(list.calls.length).to.be.at.most(2 * Math.ceil(1000 / 128));
  });

  it("warns and never duplicates when the list keeps growing at the front", async () => {
    let added = 0;
    const list = fakeList(600, (n, l) => {
      if (n > 1) l.records.unshift({ id: `new${added++}` }, { id: `new${added++}` });
    });
    const got = await collectPages(list.fetch, { key });
    expect(got.warnings).to.have.length(1);
    expect(got.warnings[0]).to.match(/total changed from \d+ to \d+/);
    const seen = ids(got.items);
    expect(new Set(seen).size).to.equal(seen.length);
    // Never reads past the first walk's plan: the number of requests stays bounded.
    expect(list.calls.length).to.be.at.most(2 * Math.ceil(620 / 128) + 2);
  });

  it("drops a duplicate record and reports it even when total stays put", async () => {
    // An API that returns the last record of page 1 again at the start of page 2.
    const records = range(0, 200).map((id) => ({ id }));
    const got = await collectPages<Rec>(
      async (offset, limit) => {
        const start = offset === 0 ? 0 : offset - 1;
        return { items: records.slice(start, start + limit), total: 200 };
      },
      { key },
    );
    expect(new Set(ids(got.items)).size).to.equal(got.items.length);
    expect(got.warnings[0]).to.match(/came back on two pages/);
  });

  it("drops a record repeated within one page without calling the list moved", async () => {
    const got = await collectPages<Rec>(async () => ({ items: [{ id: "a" }, { id: "a" }], total: 2 }), {
      key,
    });
    expect(ids(got.items)).to.deep.equal(["a"]);
    expect(got.warnings).to.deep.equal([]);
    expect(got.requests).to.equal(1);
  });

  it("without a key function, keeps records as they come", async () => {
    const got = await collectPages<Rec>(async () => ({ items: [{ id: "same" }], total: 1 }));
    expect(ids(got.items)).to.deep.equal(["same"]);
  });

  it("plans from the first total and ignores a later, larger total (no endless walk)", async () => {
    let calls = 0;
    const got = await collectPages<Rec>(async (offset, limit) => {
      calls++;
      return {
        items: Array.from({ length: limit }, (_, i) => ({ id: `r${offset + i}` })),
        total: 200 + calls,
      };
    });
    expect(calls).to.equal(4); // two walks of two pages each, planned from each walk's first total
    expect(got.items).to.have.length(203); // the second walk's first total
    expect(got.total).to.equal(203);
    expect(got.warnings[0]).to.match(/total changed/);
  });

  it("caps a walk at maxPages requests with a warning", async () => {
    const list = fakeList(1000);
    const got = await collectPages(list.fetch, { pageSize: 10, maxPages: 3 });
    expect(list.calls).to.have.length(3);
    expect(got.items).to.have.length(30);
    expect(got.warnings[0]).to.match(/stopped after 3 requests/);
  });

  it("caps a walk at DEFAULT_PAGING.maxPages (10,000) requests when no maxPages is given", async () => {
    expect(DEFAULT_PAGING.maxPages).to.equal(10_000);
    expect(MAX_PAGES).to.equal(DEFAULT_PAGING.maxPages);
    let calls = 0;
    // A list that claims more records than the cap can reach, one record per page.
    const got = await collectPages<Rec>(
      async (offset) => {
        calls++;
        return { items: [{ id: `r${offset}` }], total: 1_000_000 };
      },
      { pageSize: 1, concurrency: 64, maxRecords: 2_000_000 },
    );
    expect(calls).to.equal(DEFAULT_PAGING.maxPages);
    expect(got.items).to.have.length(DEFAULT_PAGING.maxPages);
    expect(got.warnings[0]).to.match(/stopped after 10000 requests/);
  });

  describe("walks that cannot run away", () => {
    /** A server that claims `total` and fills every page with distinct records. */
    const claiming = (total: number) => {
      const calls: [number, number][] = [];
      const fetch: FetchPage<Rec> = async (offset, limit) => {
        calls.push([offset, limit]);
        return { items: Array.from({ length: limit }, (_, i) => ({ id: `r${offset + i}` })), total };
      };
      return { calls, fetch };
    };

    it("refuses total 1e9 after one request, with a RecordCapError naming offset/limit", async () => {
      expect(DEFAULT_PAGING.maxRecords).to.equal(100_000);
      const server = claiming(1e9);
      const e = await collectPages(server.fetch, { key }).catch((x: unknown) => x);
      expect(RecordCapError.isInstance(e), String(e)).to.equal(true);
      const err = e as RecordCapError;
      expect(server.calls).to.have.length(1);
      expect(err.total).to.equal(1e9);
      expect(err.cap).to.equal(100_000);
      expect(err.message).to.match(/total 1000000000/);
      expect(err.message).to.match(/offset and limit/);
      expect(err.message).to.match(/maxRecords/);
    });

    it("reads a range within the cap of a list whose total is beyond it", async () => {
      const server = claiming(1e9);
      const got = await collectPages(server.fetch, { key, offset: 5_000, limit: 300 });
      expect(got.items).to.have.length(300);
      expect(server.calls).to.have.length(3);
    });

    it("takes the cap from maxRecords", async () => {
      const server = claiming(1_000);
      const e = await collectPages(server.fetch, { maxRecords: 999 }).catch((x: unknown) => x);
      expect(RecordCapError.isInstance(e)).to.equal(true);
      expect((await collectPages(claiming(1_000).fetch, { maxRecords: 1_000 })).items).to.have.length(1_000);
    });

    it("stops a pass at the first inconsistent page: a page repeated at every offset costs two short passes", async () => {
      let calls = 0;
      const same = Array.from({ length: 128 }, (_, i) => ({ id: `r${i}` }));
      const got = await collectPages<Rec>(
        async () => {
          calls++;
          return { items: same, total: 90_000 };
        },
        { key },
      );
      // Each pass: the first page, then at most `concurrency` (4) pages already in flight.
      expect(calls).to.be.at.most(2 * (1 + DEFAULT_PAGING.concurrency));
      expect(got.items).to.have.length(128);
      expect(got.warnings).to.have.length(1);
      expect(got.warnings[0]).to.match(/came back on two pages/);
    });

    it("notes each reason once, however many duplicates a page holds", async () => {
      const walk = walkPages<Rec>(
        async (offset) => ({
          items: Array.from({ length: 128 }, (_, i) => ({ id: `r${Math.max(0, offset - 64) + i}` })),
          total: 10_000,
        }),
        { key, concurrency: 1 },
      );
      for await (const item of walk) void item;
      expect(walk.moved).to.equal(true);
      expect(walk.requests).to.equal(2);
      expect(walk.notes).to.have.length(1);
    });
  });

  it("bounds pageSize by the API's limit as DEFAULTS.apiMaxLimit declares it", () => {
    expect(DEFAULT_PAGING.pageSize).to.equal(DEFAULTS.apiMaxLimit);
    expect(() =>
      walkPages(async () => ({ items: [], total: 0 }), { pageSize: DEFAULTS.apiMaxLimit }),
    ).not.to.throw();
    expect(() => walkPages(async () => ({ items: [], total: 0 }), { pageSize: DEFAULTS.apiMaxLimit + 1 }))
      .to.throw(ValidationError)
      .with.property("field", "pageSize");
  });

  it("never returns more records than asked for, even if a page holds more", async () => {
    const got = await collectPages<Rec>(
      async () => ({ items: range(0, 50).map((id) => ({ id })), total: 50 }),
      {
        limit: 10,
      },
    );
    expect(got.items).to.have.length(10);
  });

  it("streams records from the iterator and records what it did", async () => {
    const list = fakeList(300);
    const walk = walkPages(list.fetch);
    const seen: string[] = [];
    for await (const r of walk) seen.push(r.id);
    expect(seen).to.deep.equal(range(0, 300));
    expect(walk.total).to.equal(300);
    expect(walk.requests).to.equal(3);
    expect(walk.yielded).to.equal(300);
    expect(walk.moved).to.equal(false);
  });

  it("stops fetching when the consumer breaks out early and aborts in-flight requests", async () => {
    const signals: AbortSignal[] = [];
    const walk = walkPages<Rec>(
      async (offset, limit, signal) => {
        signals.push(signal!);
        await new Promise((r) => setImmediate(r));
        return { items: Array.from({ length: limit }, (_, i) => ({ id: `r${offset + i}` })), total: 10_000 };
      },
      { concurrency: 2 },
    );
    let n = 0;
    for await (const _ of walk) if (++n === 130) break;
    expect(walk.requests).to.be.at.most(3);
    expect(signals.every((s) => s.aborted)).to.equal(true);
  });

  it("passes a fetch error through and aborts the other requests", async () => {
    const signals: AbortSignal[] = [];
    const boom = new Error("page 3 failed");
    let err: unknown;
    try {
      await collectPages<Rec>(
        async (offset, limit, signal) => {
          signals.push(signal!);
          await new Promise((r) => setImmediate(r));
          if (offset === 256) throw boom;
          return { items: Array.from({ length: limit }, (_, i) => ({ id: `r${offset + i}` })), total: 2000 };
        },
        { concurrency: 4 },
      );
    } catch (e) {
      err = e;
    }
    expect(err).to.equal(boom);
    expect(signals.every((s) => s.aborted)).to.equal(true);
  });

  it("does not start when the caller's signal is already aborted", async () => {
    const ac = new AbortController();
    ac.abort(new Error("cancelled by caller"));
    let calls = 0;
    let err: unknown;
    try {
      await collectPages<Rec>(
        async () => {
          calls++;
          return { items: [], total: 0 };
        },
        { signal: ac.signal },
      );
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).to.equal("cancelled by caller");
    expect(calls).to.equal(0);
  });

  it("rejects bad walk options, every one at once", () => {
    try {
      walkPages(async () => ({ items: [], total: 0 }), {
        offset: -1,
        limit: 0,
        pageSize: 129,
        concurrency: 0,
      });
      expect.fail("expected a ValidationError");
    } catch (e) {
      expect(ValidationError.isInstance(e)).to.equal(true);
      expect((e as ValidationError).failures.map((f) => f.property)).to.deep.equal([
        "offset",
        "limit",
        "pageSize",
        "concurrency",
      ]);
    }
  });
});
