// Object types that appear in function arguments and resource inputs (the schema's `types`
// used as inputs), as Pulumi's generated SDKs lay them out: `X` for a Promise-form argument,
// `XArgs` (every field a `pulumi.Input`) for an Output-form argument or a resource input.

import * as pulumi from "@pulumi/pulumi";

// eslint-disable-next-line @typescript-eslint/no-namespace -- the layout of Pulumi's generated SDKs (`types.input.backup.X`)
export namespace backup {
  /**
   * One source data node and the target data node it is restored into
   * (`hwddm:backup:DataNodeRelation`).
   */
  export interface DataNodeRelation {
    /**
     * ID of a data node of the source (from `getRelatedDataNodes`).
     */
    sourceInstanceId: string;
    /**
     * ID of a data node of the target (from `getRestorableDataNodes`).
     */
    targetInstanceId: string;
  }

  /**
   * One source data node and the target data node it is restored into
   * (`hwddm:backup:DataNodeRelation`), every field an Input.
   */
  export interface DataNodeRelationArgs {
    /**
     * ID of a data node of the source (from `getRelatedDataNodes`).
     */
    sourceInstanceId: pulumi.Input<string>;
    /**
     * ID of a data node of the target (from `getRestorableDataNodes`).
     */
    targetInstanceId: pulumi.Input<string>;
  }
}
