/**
 * provider/schema.json and provider/types.generated.ts are made from the package declaration
 * (provider/spec) by `npm run schema`; the committed files must be exactly what the
 * declaration makes today.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { PACKAGE_SPEC, SELECT_RESTORE_TIME } from "../../provider/spec";
import { buildSchema, pluginDownloadURL } from "../../provider/spec/schema";
import { TYPES_HEADER, buildTypes } from "../../provider/spec/typescript";
import { packageRoot, packageVersion, schemaPath } from "../../provider/plugin/package";

type Json = Record<string, unknown>;
const schemaScript = () =>
  require(path.join(packageRoot(), "scripts", "schema.js")) as {
    schemaText(): Promise<string>;
    typesText(): Promise<string>;
    configTypesText(): Promise<string>;
  };

describe("core: schema.json is derived from the package declaration", () => {
  it("the committed provider/schema.json is what `npm run schema` makes (run it after changing provider/spec)", async () => {
    const made = await schemaScript().schemaText();
    const same = fs.readFileSync(schemaPath(), "utf8") === made;
    expect(same, "provider/schema.json differs from provider/spec").to.equal(true);
  });

  for (const [file, make] of [
    ["types.generated.ts", () => schemaScript().typesText()],
    ["config.generated.ts", () => schemaScript().configTypesText()],
  ] as const) {
    it(`the committed provider/${file} is what \`npm run schema\` makes (run it after changing provider/spec)`, async () => {
      const made = await make();
      const same = fs.readFileSync(path.join(packageRoot(), "provider", file), "utf8") === made;
      expect(same, `provider/${file} differs from provider/spec: run npm run schema`).to.equal(true);
      expect(made.startsWith(`${TYPES_HEADER}\n`)).to.equal(true);
    });
  }

  it("a changed declaration makes different types: a new argument with its description, a required one", () => {
    const changed = {
      ...PACKAGE_SPEC,
      functions: PACKAGE_SPEC.functions.map((f) =>
        f.token === SELECT_RESTORE_TIME.token
          ? {
              ...f,
              inputs: {
                ...f.inputs,
                pageToken: { type: "string" as const, description: "Where the next page starts." },
                at: { ...f.inputs.at, required: true as const },
              },
            }
          : f,
      ),
    };
    const before = buildTypes(PACKAGE_SPEC);
    const after = buildTypes(changed);
    const args = (text: string) => /interface SelectRestoreTimeArgs [^{]*\{([^}]*)\}/.exec(text)?.[1] ?? "";
    expect(args(before)).to.match(/\n {2}at\?: string \| number;/);
    expect(args(after)).to.match(/\/\*\* Where the next page starts\. \*\/\n {2}pageToken\?: string;/);
    expect(args(after)).to.match(/\n {2}at: string \| number;/);
  });

  it("a changed declaration makes a different schema (a new argument)", () => {
    const pkg = { version: packageVersion(), repository: { url: "git+https://github.com/o/r.git" } };
    const before = JSON.stringify(buildSchema(PACKAGE_SPEC, pkg));
    const changed = {
      ...PACKAGE_SPEC,
      functions: PACKAGE_SPEC.functions.map((f) =>
        f.token === SELECT_RESTORE_TIME.token
          ? { ...f, inputs: { ...f.inputs, pageToken: { type: "string" as const, description: "x" } } }
          : f,
      ),
    };
    const fn = (buildSchema(changed, pkg).functions as Record<string, Json>)[SELECT_RESTORE_TIME.token];
    expect(Object.keys((fn.inputs as Json).properties as Json)).to.include("pageToken");
    expect(JSON.stringify(buildSchema(changed, pkg))).to.not.equal(before);
  });

  it("takes the version and the plugin download URL from package.json", () => {
    const s = buildSchema(PACKAGE_SPEC, {
      version: "9.8.7",
      repository: { url: "git+https://github.com/acme/pulumi-thing.git" },
    });
    expect(s.version).to.equal("9.8.7");
    expect(s.pluginDownloadURL).to.equal("github://api.github.com/acme/pulumi-thing");
    const committed = JSON.parse(fs.readFileSync(schemaPath(), "utf8")) as Json;
    expect(committed.version).to.equal(packageVersion());
    expect(committed.pluginDownloadURL).to.equal("github://api.github.com/pulumi-hwddm/pulumi-hwddm");
    expect(() => pluginDownloadURL({ version: "1.0.0", repository: "https://gitlab.com/a/b" })).to.throw(
      /not a GitHub repository/,
    );
  });
});
