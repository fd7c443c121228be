// Object types that appear in function results (the schema's `types`).

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
}
