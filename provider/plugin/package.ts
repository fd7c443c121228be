/**
 * What the installed package ships for the plugin: its schema and its executable. Where the
 * package lives and its version are the core's (../package), re-exported for the plugin.
 */
import * as fs from "fs";
import * as path from "path";
import { packageRoot } from "../package";

export { PACKAGE_NAME, packageRoot, packageVersion } from "../package";

/** Absolute path of the Pulumi package schema shipped with the package. */
export function schemaPath(): string {
  return path.join(packageRoot(), "provider", "schema.json");
}

let cachedSchema: string | undefined;

/** The Pulumi package schema as text (what GetSchema answers). */
export function schemaText(): string {
  if (cachedSchema === undefined) cachedSchema = fs.readFileSync(schemaPath(), "utf8");
  return cachedSchema;
}

/** Absolute path of the plugin executable `bin/pulumi-resource-hwddm`. */
export function pluginExecutablePath(): string {
  return path.join(packageRoot(), "bin", "pulumi-resource-hwddm");
}
