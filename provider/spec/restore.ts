/** The `hwddm:backup:Restore` resource: its inputs (each also an output, as given) and its own outputs. */
import type { Property, ResourceSpec } from "./declaration";
import { CONNECTION_INPUTS } from "./functions";

const REPLACES = "Changing it replaces the resource.";

/** What is restored: changing any of these restores again, as a replacement. */
export const RESTORE_WHAT = {
  instanceId: {
    type: "string",
    description: `ID of the DDM instance whose backup is restored (the source). ${REPLACES}`,
    required: true,
    format: "id",
  },
  targetInstanceId: {
    type: "string",
    description: `ID of an existing DDM instance to restore into (the target); its data are overwritten. It must be one \`getRestorableInstances\` lists as available. ${REPLACES}`,
    required: true,
    format: "id",
  },
  restoreTime: {
    type: "string",
    description: `The point in time to restore to: RFC 3339 (or the API's forms, e.g. \`2025-05-20T09:40:40+0000\`) or epoch milliseconds as a string; it must lie in a window \`getRestoreTimeIntervals\` lists. ${REPLACES}`,
    required: true,
    format: "time",
  },
  dataNodeRelations: {
    type: "array",
    items: { ref: "DataNodeRelation" },
    description: `Which target data node each source data node is restored into: every source data node exactly once, each to an available target data node; checked, never changed. Default: every source data node mapped by the documented rule (the source's data nodes in the API's order, each taking the first available target data node not taken yet; a complete mapping is found when one exists), as \`planRestore\` shows it. ${REPLACES}`,
  },
} as const satisfies Record<string, Property>;

/** How DDM is reached and watched: changing these changes nothing on DDM. */
export const RESTORE_HOW = {
  ...CONNECTION_INPUTS,
  pollIntervalSeconds: {
    type: "number",
    description:
      "Seconds between two reads of the restore job while waiting for it; a number from 0.05 to 3600. Default 10. Changing it changes nothing on DDM.",
    default: 10,
  },
} as const satisfies Record<string, Property>;

export const RESTORE = {
  token: "hwddm:backup:Restore",
  description:
    "Restores the source DDM instance's backup, at a point in time, into an existing target DDM instance, data node by data node (each source data node into one target data node), and waits for the restore job to complete. The target's data are overwritten: a restore cannot be undone. Before the one restore call the provider proves the plan with read-only calls (the target is available, the time restorable, every data node mapped); a preview sends nothing. Changing what is restored (`instanceId`, `targetInstanceId`, `restoreTime`, `dataNodeRelations`) restores again, as a replacement. Deleting the resource only forgets it: nothing on DDM is changed. When the wait is interrupted (Ctrl-C, a timeout), the next `pulumi up` resumes waiting on the same job without restoring again.",
  inputs: { ...RESTORE_WHAT, ...RESTORE_HOW },
  outputs: {
    plan: {
      ref: "RestorePlan",
      description: "The restore as it was sent: target, time and the complete data-node mapping.",
      required: true,
    },
    jobId: { type: "string", description: "ID of the DDM job that runs the restore.", required: true },
    status: {
      type: "string",
      description:
        "Status of the restore job: `Running`, `Completed`, `Failed`, or `Unknown` when it could not be read.",
      required: true,
    },
    process: {
      type: "string",
      description:
        'Progress of the restore job as the API gives it, e.g. `60%` while it runs; `""` otherwise.',
    },
    createdTime: { type: "string", description: "When the restore job was created, RFC 3339 UTC." },
    endTime: {
      type: "string",
      description: "When the restore job ended, RFC 3339 UTC. Absent while it runs.",
    },
  },
} as const satisfies ResourceSpec;
