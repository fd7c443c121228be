/**
 * The package declaration: the one source of the contract. provider/schema.json
 * (`npm run schema`), the argument key lists, the argument readers and the CLI's flag help are
 * derived from it. Plain data, importing nothing heavy: the SDK reads it at load time.
 */
import { CONFIG_VARIABLES } from "./config";
import type { PackageSpec } from "./declaration";
import { FUNCTIONS } from "./functions";
import { OBJECT_TYPES } from "./objects";
import { RESTORE } from "./restore";

export type {
  FunctionSpec,
  ObjectTypeSpec,
  PackageSpec,
  Properties,
  Property,
  PropertyType,
  ResourceSpec,
  ScalarType,
} from "./declaration";
export { CONFIG_VARIABLES } from "./config";
export * from "./functions";
export { OBJECT_TYPES } from "./objects";
export { RESTORE, RESTORE_HOW, RESTORE_WHAT } from "./restore";

export const PACKAGE_SPEC: PackageSpec = {
  name: "hwddm",
  displayName: "Huawei Cloud DDM restore",
  description:
    "Answers, for a Huawei Cloud DDM instance, which instances its backup can be restored into and to which points in time, with values known at preview.",
  keywords: ["pulumi", "huaweicloud", "ddm", "backup", "restore", "category/database"],
  license: "Apache-2.0",
  publisher: "pulumi-hwddm",
  providerDescription:
    "The provider type for the hwddm package. Settings given here override the `hwddm:` stack config and the environment for every function invoked through this provider.",
  config: CONFIG_VARIABLES,
  types: OBJECT_TYPES,
  functions: FUNCTIONS,
  resources: [RESTORE],
  language: {
    nodejs: {
      packageName: "pulumi-hwddm",
      packageDescription: "Pulumi provider for Huawei Cloud DDM restore targets and restore times.",
      readme:
        "# pulumi-hwddm\n\nThe TypeScript SDK of the `hwddm` Pulumi package: which instances a Huawei Cloud DDM backup can be restored into and to which points in time, known at `pulumi preview`, and the `Restore` resource that runs the restore. It depends on `@pulumi/pulumi` alone.\n\n```sh\nnpm install pulumi-hwddm\n```\n\nThe `hwddm` plugin, the `hwddm` CLI, the DDM API emulator, the dynamic resources (`hwddm/dynamic`) and the `setMocks` helper (`hwddm/testing`) are in the npm package `hwddm`. Documentation: https://github.com/pulumi-hwddm/pulumi-hwddm#readme\n",
      dependencies: { "@pulumi/pulumi": "^3.269.0" },
      devDependencies: { "@types/node": "^20.19.0" },
      typescriptVersion: "^5.9.3",
      respectSchemaVersion: true,
    },
    python: {
      packageName: "pulumi_hwddm",
      requires: { pulumi: ">=3.0.0,<4.0.0" },
      pyproject: { enabled: true },
      respectSchemaVersion: true,
    },
    go: {
      importBasePath: "github.com/pulumi-hwddm/pulumi-hwddm/sdk/go/hwddm",
      respectSchemaVersion: true,
    },
  },
};
