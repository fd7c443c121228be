/** What a terminal fault sends instead of the answer: an error status, a reset, a stall, a cut body, a proxy's HTML page. */
import * as http from "node:http";
import { HttpFailure, JSON_TYPE } from "./http-errors";
import { FaultDecision } from "./fault-plan";
import { RouteName } from "./faults";
import { RESTORE_PARTIAL_BODIES, isRestoreRoute } from "./restore";
import { sendFailure } from "./respond";

const HTML_PAGES: Record<number, string> = {
  502: "Bad Gateway",
  503: "Service Temporarily Unavailable",
  504: "Gateway Time-out",
};

function htmlPage(status: number): string {
  const title = `${status} ${HTML_PAGES[status] ?? http.STATUS_CODES[status] ?? "Error"}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/** The start of a valid answer on `route`, cut off where a truncated body would be. */
function cutBody(route: RouteName): string {
  if (isRestoreRoute(route)) return RESTORE_PARTIAL_BODIES[route];
  if (route === "restorable-time-interval")
    return '{"restorable_time_intervals":[{"start_time":"2025-05-20T09:40:40+0000","end_';
  if (route === "restorable-instances")
    return '{"instances":[{"instance_id":"3b65c609427c4b20bc0ae93e161dc7adin09","instance_na';
  if (route === "iam-token") return '{"token":{"expires_at":"2025-05-21T';
  return '{"projects":[{"id":"619d3e78f';
}

/** Apply a terminal fault; true when it took the request over. */
export function applyTerminal(
  d: FaultDecision,
  route: RouteName,
  res: http.ServerResponse,
  requestId: string,
): boolean {
  const f = d.terminal;
  if (!f) return false;
  switch (f.kind) {
    case "status": {
      const headers: Record<string, string> = {};
      if (f.retryAfterSeconds !== undefined) headers["Retry-After"] = String(f.retryAfterSeconds);
      sendFailure(
        res,
        new HttpFailure(f.status, f.errorCode ?? "", f.errorMsg ?? "", headers),
        requestId,
        false,
      );
      return true;
    }
    case "reset":
      res.socket?.destroy();
      return true;
    case "stall": {
      if (f.phase === "body") {
        const field = route === "restorable-time-interval" ? "restorable_time_intervals" : "instances";
        res.writeHead(200, { "Content-Type": JSON_TYPE, "Content-Length": "4096" });
        res.write(isRestoreRoute(route) ? RESTORE_PARTIAL_BODIES[route] : `{"${field}":[`);
      }
      // Never finished; close() (closeAllConnections) or the client ends it.
      return true;
    }
    case "malformed": {
      const start = cutBody(route);
      res.writeHead(200, { "Content-Type": JSON_TYPE, "Content-Length": String(Buffer.byteLength(start)) });
      res.end(start);
      return true;
    }
    case "html": {
      const page = htmlPage(f.status ?? 502);
      res.writeHead(f.status ?? 502, {
        "Content-Type": "text/html",
        "Content-Length": String(Buffer.byteLength(page)),
        Server: "nginx",
      });
      res.end(page);
      return true;
    }
  }
}
