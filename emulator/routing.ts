/** Which route a request is for, from its method and raw path (404 and 405 are `other`). */
import { randomUUID } from "node:crypto";
import { classifyRestorePath } from "./restore";
import { RouteName } from "./faults";
import { RequestRoute } from "./types";

export interface Routed {
  route: RequestRoute;
  /** Methods the path takes (for 405), when the path is known. */
  allow?: string;
  projectId?: string;
  instanceId?: string;
  jobId?: string;
}

/** Split `/a/b%20c` into decoded segments; undefined when a segment is not valid percent-encoding. */
function segments(rawPath: string): string[] | undefined {
  try {
    return rawPath.split("/").map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

export function routeOf(method: string, rawPath: string): Routed {
  const s = segments(rawPath);
  if (!s || s[0] !== "" || s[1] !== "v3") return { route: "other" };
  const known = (route: RouteName, allow: string, extra: Partial<Routed> = {}): Routed =>
    method === allow ? { route, allow, ...extra } : { route: "other", allow, ...extra };
  if (s.length === 4 && s[2] === "auth" && s[3] === "tokens") return known("iam-token", "POST");
  if (s.length === 3 && s[2] === "projects") return known("iam-projects", "GET");
  if (s.length === 7 && s[3] === "instances" && s[5] === "backups" && s[2] !== "" && s[4] !== "") {
    if (s[6] === "restorable-instances")
      return known("restorable-instances", "GET", { projectId: s[2], instanceId: s[4] });
    if (s[6] === "restorable-time-interval")
      return known("restorable-time-interval", "GET", { projectId: s[2], instanceId: s[4] });
  }
  const r = classifyRestorePath(s);
  if (r) return known(r.route, r.allow, { projectId: r.projectId, instanceId: r.instanceId, jobId: r.jobId });
  return { route: "other" };
}

/** An X-Request-Id: 32 lowercase hex digits, as Huawei's gateway sends. */
export function newRequestId(): string {
  return randomUUID().replace(/-/g, "");
}
