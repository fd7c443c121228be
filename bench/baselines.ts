/**
 * Benchmark baselines (not product code): a plain sequential page walker over a bare axios
 * instance, the way a caller without our walker would page the restorable-instances list.
 * It reads `total` and asks for the next page until every record is read or a page comes
 * back short. Bounded in pages and in time.
 */
import * as http from "node:http";
import axios, { AxiosInstance } from "axios";

/** A bare axios instance with a keep-alive agent (as fair as our client's). */
export function bareAxios(): AxiosInstance {
  return axios.create({ httpAgent: new http.Agent({ keepAlive: true }), proxy: false });
}

export interface BaselineWalk {
  records: number;
  requests: number;
}

/**
 * Walk `url` (the list's absolute URL, no query) page by page, `pageSize` records at a time,
 * one request after another, with the IAM token as `X-Auth-Token`.
 */
export async function sequentialWalk(
  http: AxiosInstance,
  url: string,
  token: string,
  pageSize: number,
  bounds: { maxPages: number; deadlineMs: number },
): Promise<BaselineWalk> {
  const started = Date.now();
  let offset = 0;
  let requests = 0;
  for (;;) {
    if (requests >= bounds.maxPages) throw new Error(`baseline walk: more than ${bounds.maxPages} pages`);
    if (Date.now() - started > bounds.deadlineMs)
      throw new Error(`baseline walk: over ${bounds.deadlineMs} ms`);
    const res = await http.get<{ instances: unknown[]; total: number }>(url, {
      params: { offset, limit: pageSize },
      headers: { "X-Auth-Token": token },
    });
    requests++;
    const items = res.data.instances;
    offset += items.length;
    if (items.length < pageSize || offset >= res.data.total) return { records: offset, requests };
  }
}
