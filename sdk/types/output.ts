// Object types that appear in function and resource results (the schema's `types`).

// eslint-disable-next-line @typescript-eslint/no-namespace -- the layout of Pulumi's generated SDKs (`types.output.backup.X`)
export namespace backup {
  /**
   * A DDM instance the source instance's backup could be restored into
   * (`hwddm:backup:RestorableInstance`).
   */
  export interface RestorableInstance {
    /**
     * ID of the candidate instance.
     */
    readonly instanceId: string;
    /**
     * Name of the candidate instance.
     */
    readonly instanceName: string;
    /**
     * Status of the candidate instance, e.g. `normal`.
     */
    readonly status: string;
    /**
     * Whether the backup can be restored into this instance.
     */
    readonly available: boolean;
    /**
     * Why the instance cannot be used; `""` when it is available.
     */
    readonly unavailableReason: string;
    /**
     * Name of the VPC the instance is in.
     */
    readonly vpcName: string;
  }

  /**
   * A window of time the source instance can be restored to (`hwddm:backup:RestoreTimeInterval`).
   */
  export interface RestoreTimeInterval {
    /**
     * Start of the window, RFC 3339 UTC with milliseconds, e.g. `2025-05-20T09:40:40.000Z`.
     */
    readonly startTime: string;
    /**
     * End of the window, RFC 3339 UTC with milliseconds.
     */
    readonly endTime: string;
    /**
     * Start of the window in milliseconds since the Unix epoch.
     */
    readonly startTimeEpochMs: number;
    /**
     * End of the window in milliseconds since the Unix epoch.
     */
    readonly endTimeEpochMs: number;
  }

  /**
   * A data node (an RDS for MySQL instance) of the source DDM instance at the restore time
   * (`hwddm:backup:RelatedDataNode`).
   */
  export interface RelatedDataNode {
    /**
     * ID of the data node (an RDS instance id).
     */
    readonly instanceId: string;
    /**
     * Name of the data node.
     */
    readonly instanceName: string;
    /**
     * Status of the data node, e.g. `normal` or `abnormal`.
     */
    readonly instanceStatus: string;
    /**
     * Storage size of the data node in bytes, e.g. `40000000000`. Absent when the API gives none.
     */
    readonly dataVolumeSize?: number;
    /**
     * Database engine version of the data node, e.g. `8.0.32`.
     */
    readonly version: string;
    /**
     * Database engine of the data node, e.g. `mysql`.
     */
    readonly engineName: string;
  }

  /**
   * A data node of the target DDM instance that a source data node could be restored into
   * (`hwddm:backup:TargetDataNode`).
   */
  export interface TargetDataNode {
    /**
     * ID of the target data node (an RDS instance id).
     */
    readonly instanceId: string;
    /**
     * Name of the target data node.
     */
    readonly instanceName: string;
    /**
     * Database engine of the target data node, e.g. `mysql`.
     */
    readonly engineName: string;
    /**
     * Status of the target data node, e.g. `normal`.
     */
    readonly status: string;
    /**
     * Whether the source data node can be restored into this one.
     */
    readonly available: boolean;
    /**
     * Why the data node cannot be used (another VPC, already associated with another instance,
     * abnormal, an older version, another engine, read-only); `""` when it is available.
     */
    readonly unavailableReason: string;
    /**
     * Name of the VPC the data node is in.
     */
    readonly vpcName: string;
    /**
     * Private IP address of the data node.
     */
    readonly privateIp: string;
  }

  /**
   * One source data node and the target data node it is restored into
   * (`hwddm:backup:DataNodeRelation`).
   */
  export interface DataNodeRelation {
    /**
     * ID of a data node of the source (from `getRelatedDataNodes`).
     */
    readonly sourceInstanceId: string;
    /**
     * ID of a data node of the target (from `getRestorableDataNodes`).
     */
    readonly targetInstanceId: string;
  }

  /**
   * One line of a restore plan's data-node mapping, with names
   * (`hwddm:backup:PlannedDataNodeRelation`).
   */
  export interface PlannedDataNodeRelation {
    /**
     * ID of the source data node.
     */
    readonly sourceInstanceId: string;
    /**
     * Name of the source data node.
     */
    readonly sourceInstanceName: string;
    /**
     * ID of the target data node.
     */
    readonly targetInstanceId: string;
    /**
     * Name of the target data node.
     */
    readonly targetInstanceName: string;
  }

  /**
   * A complete, checked restore: source, target, point in time and every source data node
   * mapped once to an available target data node (`hwddm:backup:RestorePlan`).
   */
  export interface RestorePlan {
    /**
     * ID of the source DDM instance (whose backup is restored).
     */
    readonly sourceInstanceId: string;
    /**
     * ID of the target DDM instance (restored into).
     */
    readonly targetInstanceId: string;
    /**
     * Name of the target DDM instance.
     */
    readonly targetInstanceName: string;
    /**
     * The point in time restored to, RFC 3339 UTC with milliseconds, e.g. `2025-05-20T10:00:00.000Z`.
     */
    readonly restoreTime: string;
    /**
     * The point in time restored to in milliseconds since the Unix epoch.
     */
    readonly restoreTimeEpochMs: number;
    /**
     * Every data node of the source at that time, each mapped once to an available target data node.
     */
    readonly dataNodeRelations: readonly PlannedDataNodeRelation[];
  }
}
