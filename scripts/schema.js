#!/usr/bin/env node
/**
 * `npm run schema`: write provider/schema.json from the package declaration (provider/spec),
 * formatted as prettier formats the repository, with the version and plugin download URL of
 * package.json. `--check` writes nothing and fails when the committed file differs.
 * Run after `tsc` (it reads dist/).
 */
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");

/** The schema text the declaration makes. */
async function schemaText() {
  const prettier = require("prettier");
  const { PACKAGE_SPEC } = require(path.join(root, "dist/provider/spec/index.js"));
  const { buildSchema } = require(path.join(root, "dist/provider/spec/schema.js"));
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const file = path.join(root, "provider/schema.json");
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(JSON.stringify(buildSchema(PACKAGE_SPEC, pkg)), { ...options, filepath: file });
}

async function main() {
  const file = path.join(root, "provider/schema.json");
  const text = await schemaText();
  if (process.argv.includes("--check")) {
    if (fs.readFileSync(file, "utf8") !== text) {
      console.error("schema: provider/schema.json differs from provider/spec; run npm run schema");
      process.exit(1);
    }
    return;
  }
  fs.writeFileSync(file, text);
}

module.exports = { schemaText };
if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
