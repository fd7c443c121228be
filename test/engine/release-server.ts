/**
 * A loopback stand-in for the GitHub release downloads the engine makes: it serves
 * `GET /<tag>/<asset>` from `<dir>/<tag>/<asset>` and records every path it was asked for.
 * The engine reaches it through PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES (see `overrides`).
 */
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";

export interface ReleaseServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Every request path, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serve the files under `dir` (one folder per release tag) on 127.0.0.1. */
export async function startReleaseServer(dir: string): Promise<ReleaseServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    requests.push(urlPath);
    const parts = urlPath.split("/").filter(Boolean);
    const file = path.join(dir, ...parts);
    // Only `<tag>/<asset>`, never a path out of `dir`.
    if (req.method !== "GET" || parts.length !== 2 || parts.some((p) => p === ".." || p === ".")) {
      res.writeHead(404).end("not found\n");
      return;
    }
    fs.readFile(file, (err, body) => {
      if (err) res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      // The engine checks the length it was told against what it copied, as from GitHub.
      else
        res
          .writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length })
          .end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES (`regexp=URL`) sending the plugin source `githubUrl`
 * (the schema's pluginDownloadURL) to `server`: the engine then asks for
 * `<server>/v<version>/pulumi-resource-<name>-v<version>-<os>-<arch>.tar.gz`.
 */
export function overrides(githubUrl: string, server: ReleaseServer): string {
  const pattern = `^${githubUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
  return `${pattern}=${server.url}/v\${VERSION}`;
}
