#!/usr/bin/env node
/**
 * `npm run schema`: write what the package declaration (provider/spec) makes: provider/schema.json
 * (with the version and plugin download URL of package.json), provider/types.generated.ts (the
 * core's argument, result and object types) and provider/config.generated.ts (the provider
 * configuration as it arrives), each formatted as prettier formats the repository.
 * `--check` writes nothing and fails when a committed file differs.
 * Run after `tsc` (it reads dist/).
 */
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const SCHEMA = "provider/schema.json";
const TYPES = "provider/types.generated.ts";
const CONFIG_TYPES = "provider/config.generated.ts";

async function format(rel, text) {
  const prettier = require("prettier");
  const file = path.join(root, rel);
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

/** The schema text the declaration makes. */
async function schemaText() {
  const { PACKAGE_SPEC } = require(path.join(root, "dist/provider/spec/index.js"));
  const { buildSchema } = require(path.join(root, "dist/provider/spec/schema.js"));
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  return format(SCHEMA, JSON.stringify(buildSchema(PACKAGE_SPEC, pkg)));
}

/** The provider/types.generated.ts text the declaration makes. */
async function typesText() {
  const { PACKAGE_SPEC } = require(path.join(root, "dist/provider/spec/index.js"));
  const { buildTypes } = require(path.join(root, "dist/provider/spec/typescript.js"));
  return format(TYPES, buildTypes(PACKAGE_SPEC));
}

/** The provider/config.generated.ts text the declaration makes. */
async function configTypesText() {
  const { PACKAGE_SPEC } = require(path.join(root, "dist/provider/spec/index.js"));
  const { buildConfigTypes } = require(path.join(root, "dist/provider/spec/typescript.js"));
  return format(CONFIG_TYPES, buildConfigTypes(PACKAGE_SPEC));
}

/** Each generated file (relative to the root) and what the declaration makes of it today. */
const OUTPUTS = { [SCHEMA]: schemaText, [TYPES]: typesText, [CONFIG_TYPES]: configTypesText };

async function main() {
  const check = process.argv.includes("--check");
  let stale = false;
  for (const [rel, make] of Object.entries(OUTPUTS)) {
    const file = path.join(root, rel);
    const text = await make();
    if (!check) fs.writeFileSync(file, text);
    else if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
      console.error(`schema: ${rel} differs from provider/spec; run npm run schema`);
      stale = true;
    }
  }
  if (stale) process.exit(1);
}

module.exports = { schemaText, typesText, configTypesText, OUTPUTS };
if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
