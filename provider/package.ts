/**
 * Where the installed `hwddm` package lives and its version: one answer for every face (the
 * plugin, the CLI, the demo). Dependency-free (only `fs` and `path`) so that the plugin can use
 * it before anything heavy is loaded. Works from the TypeScript sources, from `dist/`, and from
 * an installed copy under `node_modules`.
 */
import * as fs from "fs";
import * as path from "path";

/** The npm package name, as in `package.json`. */
export const PACKAGE_NAME = "hwddm";

let cachedRoot: string | undefined;

/** The directory holding the hwddm package's `package.json`. */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, "package.json");
    if (fs.existsSync(candidate)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(candidate, "utf8")) as { name?: unknown };
        if (pkg.name === PACKAGE_NAME) {
          cachedRoot = dir;
          return dir;
        }
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package.json above ${__dirname}`);
    dir = parent;
  }
}

let cachedVersion: string | undefined;

/** The package version (`package.json` `version`), e.g. `0.1.0`. */
export function packageVersion(): string {
  if (cachedVersion === undefined) {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as {
      version: string;
    };
    cachedVersion = pkg.version;
  }
  return cachedVersion;
}
