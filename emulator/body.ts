/** The request body cap: a declared or streamed body over the limit is refused before any work. */
import * as http from "node:http";

/** Rejection of `readBody` when the body passes the cap (the caller answers 413). */
export const TOO_LARGE = new Error("request body too large");

/** Whether the declared Content-Length already passes the cap. */
export function declaredTooLarge(req: http.IncomingMessage, max: number): boolean {
  return Number(req.headers["content-length"] ?? 0) > max;
}

export function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        reject(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on("error", (e) => reject(e));
    req.on("aborted", () => reject(new Error("aborted")));
  });
}
