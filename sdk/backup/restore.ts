// The `hwddm:backup:Restore` resource, in the shape of Pulumi's generated SDKs.
// Keep in step with provider/schema.json (test/sdk/schema.spec.ts checks it).

import * as pulumi from "@pulumi/pulumi";
import * as inputs from "../types/input";
import * as outputs from "../types/output";
import * as utilities from "../utilities";

/**
 * Restores the source DDM instance's backup, at a point in time, into an existing target DDM
 * instance, data node by data node, and waits for the restore job to complete.
 *
 * Each data node the source had at `restoreTime` is restored into one data node of the target
 * (`dataNodeRelations`, or by default the mapping `planRestore` shows). The target's data are
 * overwritten: **a restore cannot be undone**. Before its one restore call the provider proves
 * the plan with read-only calls (the target is available, the time restorable, every data node
 * mapped); a preview sends nothing. Changing `instanceId`, `targetInstanceId`, `restoreTime` or
 * `dataNodeRelations` restores again, as a replacement. Deleting the resource only forgets it:
 * nothing on DDM is changed. When the wait is interrupted (Ctrl-C, a timeout), the next
 * `pulumi up` resumes waiting on the same job without restoring again.
 *
 * ## Example Usage
 *
 * ```typescript
 * import * as pulumi from "@pulumi/pulumi";
 * import * as hwddm from "pulumi-hwddm";
 *
 * const config = new pulumi.Config();
 * const instanceId = config.require("sourceInstanceId");
 * const target = hwddm.backup.selectRestoreTargetOutput({ instanceId, vpcName: "vpc-ddm-172" });
 * const time = hwddm.backup.selectRestoreTimeOutput({ instanceId, latest: true, marginSeconds: "5m" });
 *
 * const restore = new hwddm.backup.Restore("orders-restore", {
 *     instanceId,
 *     targetInstanceId: target.target.instanceId,
 *     restoreTime: time.time,
 * });
 * export const jobId = restore.jobId;
 * export const mapping = restore.plan.dataNodeRelations;
 * ```
 */
export class Restore extends pulumi.CustomResource {
  /**
   * Get an existing Restore resource's state with the given name and ID (the provider reads the
   * restore job again; nothing is restored).
   *
   * @param name The _unique_ name of the resulting resource.
   * @param id The _unique_ provider ID of the resource to lookup.
   * @param opts Optional settings to control the behavior of the CustomResource.
   */
  public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Restore {
    return new Restore(name, undefined as unknown as RestoreArgs, { ...opts, id: id });
  }

  /** @internal */
  public static readonly __pulumiType = "hwddm:backup:Restore";

  /**
   * Returns true if the given object is an instance of Restore. This is designed to work even
   * when multiple copies of the Pulumi SDK have been loaded into the same process.
   */
  public static isInstance(obj: unknown): obj is Restore {
    if (obj === undefined || obj === null) {
      return false;
    }
    return (obj as Record<string, unknown>)["__pulumiType"] === Restore.__pulumiType;
  }

  /**
   * When the restore job was created, RFC 3339 UTC.
   */
  declare public readonly createdTime: pulumi.Output<string | undefined>;
  /**
   * Which target data node each source data node is restored into, as given. Absent when the
   * default mapping was used (`plan.dataNodeRelations` holds the mapping sent).
   */
  declare public readonly dataNodeRelations: pulumi.Output<outputs.backup.DataNodeRelation[] | undefined>;
  /**
   * The provider's DDM endpoint override, as given.
   */
  declare public readonly endpoint: pulumi.Output<string | undefined>;
  /**
   * When the restore job ended, RFC 3339 UTC. Absent while it runs.
   */
  declare public readonly endTime: pulumi.Output<string | undefined>;
  /**
   * ID of the source DDM instance (whose backup is restored).
   */
  declare public readonly instanceId: pulumi.Output<string>;
  /**
   * ID of the DDM job that runs the restore.
   */
  declare public readonly jobId: pulumi.Output<string>;
  /**
   * The restore as it was sent: target, time and the complete data-node mapping.
   */
  declare public readonly plan: pulumi.Output<outputs.backup.RestorePlan>;
  /**
   * Seconds between two reads of the restore job while waiting for it.
   */
  declare public readonly pollIntervalSeconds: pulumi.Output<number | undefined>;
  /**
   * Progress of the restore job as the API gives it, e.g. `60%` while it runs; `""` otherwise.
   */
  declare public readonly process: pulumi.Output<string | undefined>;
  /**
   * The project id override, as given.
   */
  declare public readonly projectId: pulumi.Output<string | undefined>;
  /**
   * The region override, as given.
   */
  declare public readonly region: pulumi.Output<string | undefined>;
  /**
   * The point in time restored to, as given (`plan.restoreTime` holds it in RFC 3339 UTC).
   */
  declare public readonly restoreTime: pulumi.Output<string>;
  /**
   * Status of the restore job: `Running`, `Completed`, `Failed`, or `Unknown` when it could not
   * be read.
   */
  declare public readonly status: pulumi.Output<string>;
  /**
   * ID of the target DDM instance (restored into).
   */
  declare public readonly targetInstanceId: pulumi.Output<string>;

  /**
   * Create a Restore resource with the given unique name, arguments, and options.
   *
   * @param name The _unique_ name of the resource.
   * @param args The arguments to use to populate this resource's properties.
   * @param opts A bag of options that control this resource's behavior.
   */
  constructor(name: string, args: RestoreArgs, opts?: pulumi.CustomResourceOptions) {
    const resourceInputs: pulumi.Inputs = {};
    opts = opts || {};
    if (!opts.id) {
      if (args?.instanceId === undefined && !opts.urn) {
        throw new Error("Missing required property 'instanceId'");
      }
      if (args?.restoreTime === undefined && !opts.urn) {
        throw new Error("Missing required property 'restoreTime'");
      }
      if (args?.targetInstanceId === undefined && !opts.urn) {
        throw new Error("Missing required property 'targetInstanceId'");
      }
      resourceInputs["dataNodeRelations"] = args?.dataNodeRelations;
      resourceInputs["endpoint"] = args?.endpoint;
      resourceInputs["instanceId"] = args?.instanceId;
      resourceInputs["pollIntervalSeconds"] = args?.pollIntervalSeconds ?? 10;
      resourceInputs["projectId"] = args?.projectId;
      resourceInputs["region"] = args?.region;
      resourceInputs["restoreTime"] = args?.restoreTime;
      resourceInputs["targetInstanceId"] = args?.targetInstanceId;
      resourceInputs["createdTime"] = undefined; /*out*/
      resourceInputs["endTime"] = undefined; /*out*/
      resourceInputs["jobId"] = undefined; /*out*/
      resourceInputs["plan"] = undefined; /*out*/
      resourceInputs["process"] = undefined; /*out*/
      resourceInputs["status"] = undefined; /*out*/
    } else {
      resourceInputs["createdTime"] = undefined; /*out*/
      resourceInputs["dataNodeRelations"] = undefined; /*out*/
      resourceInputs["endpoint"] = undefined; /*out*/
      resourceInputs["endTime"] = undefined; /*out*/
      resourceInputs["instanceId"] = undefined; /*out*/
      resourceInputs["jobId"] = undefined; /*out*/
      resourceInputs["plan"] = undefined; /*out*/
      resourceInputs["pollIntervalSeconds"] = undefined; /*out*/
      resourceInputs["process"] = undefined; /*out*/
      resourceInputs["projectId"] = undefined; /*out*/
      resourceInputs["region"] = undefined; /*out*/
      resourceInputs["restoreTime"] = undefined; /*out*/
      resourceInputs["status"] = undefined; /*out*/
      resourceInputs["targetInstanceId"] = undefined; /*out*/
    }
    opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
    super(Restore.__pulumiType, name, resourceInputs, opts);
  }
}

/**
 * The set of arguments for constructing a Restore resource.
 */
export interface RestoreArgs {
  /**
   * Which target data node each source data node is restored into: every source data node
   * exactly once, each to an available target data node; checked, never changed. Default: every
   * source data node mapped by the documented rule (the source's data nodes in the API's order,
   * each taking the first available target data node not taken yet; a complete mapping is found
   * when one exists), as `planRestore` shows it. Changing it replaces the resource.
   */
  dataNodeRelations?: pulumi.Input<pulumi.Input<inputs.backup.DataNodeRelationArgs>[]>;
  /**
   * Overrides the provider's DDM endpoint, e.g. `https://ddm.ap-southeast-1.myhuaweicloud.com`.
   */
  endpoint?: pulumi.Input<string>;
  /**
   * ID of the DDM instance whose backup is restored (the source). Required. Changing it replaces
   * the resource.
   */
  instanceId: pulumi.Input<string>;
  /**
   * Seconds between two reads of the restore job while waiting for it; a number from 0.05 to
   * 3600. Default 10. Changing it changes nothing on DDM.
   */
  pollIntervalSeconds?: pulumi.Input<number>;
  /**
   * Overrides the provider's project id.
   */
  projectId?: pulumi.Input<string>;
  /**
   * Overrides the provider's region, e.g. `ap-southeast-1`.
   */
  region?: pulumi.Input<string>;
  /**
   * The point in time to restore to: RFC 3339 (or the API's forms, e.g.
   * `2025-05-20T09:40:40+0000`) or epoch milliseconds as a string; it must lie in a window
   * `getRestoreTimeIntervals` lists. Required. Changing it replaces the resource.
   */
  restoreTime: pulumi.Input<string>;
  /**
   * ID of an existing DDM instance to restore into (the target); its data are overwritten. It
   * must be one `getRestorableInstances` lists as available. Required. Changing it replaces the
   * resource.
   */
  targetInstanceId: pulumi.Input<string>;
}
