/** The object types the functions and the Restore resource take and give (`hwddm:backup:<Name>`). */
import type { ObjectTypeSpec, Property } from "./declaration";

const str = (description: string, required?: false): Property =>
  required === false ? { type: "string", description } : { type: "string", description, required: true };

export const OBJECT_TYPES = {
  RestorableInstance: {
    description: "A DDM instance the source instance's backup could be restored into.",
    properties: {
      instanceId: str("ID of the candidate instance."),
      instanceName: str("Name of the candidate instance."),
      status: str("Status of the candidate instance, e.g. `normal`."),
      available: {
        type: "boolean",
        description: "Whether the backup can be restored into this instance.",
        required: true,
      },
      unavailableReason: str('Why the instance cannot be used; `""` when it is available.'),
      vpcName: str("Name of the VPC the instance is in."),
    },
  },
  RestoreTimeInterval: {
    description: "A window of time the source instance can be restored to.",
    properties: {
      startTime: str("Start of the window, RFC 3339 UTC with milliseconds, e.g. `2025-05-20T09:40:40.000Z`."),
      endTime: str("End of the window, RFC 3339 UTC with milliseconds."),
      startTimeEpochMs: {
        type: "number",
        description: "Start of the window in milliseconds since the Unix epoch.",
        required: true,
      },
      endTimeEpochMs: {
        type: "number",
        description: "End of the window in milliseconds since the Unix epoch.",
        required: true,
      },
    },
  },
  RelatedDataNode: {
    description:
      "A data node (an RDS for MySQL instance) of the source DDM instance at the restore time; a restore maps each one to a data node of the target.",
    properties: {
      instanceId: str("ID of the data node (an RDS instance id)."),
      instanceName: str("Name of the data node."),
      instanceStatus: str("Status of the data node, e.g. `normal` or `abnormal`."),
      dataVolumeSize: {
        type: "number",
        description:
          "Storage size of the data node in bytes, e.g. `40000000000`. Absent when the API gives none.",
      },
      version: str("Database engine version of the data node, e.g. `8.0.32`."),
      engineName: str("Database engine of the data node, e.g. `mysql`."),
    },
  },
  TargetDataNode: {
    description: "A data node of the target DDM instance that a source data node could be restored into.",
    properties: {
      instanceId: str("ID of the target data node (an RDS instance id)."),
      instanceName: str("Name of the target data node."),
      engineName: str("Database engine of the target data node, e.g. `mysql`."),
      status: str("Status of the target data node, e.g. `normal`."),
      available: {
        type: "boolean",
        description: "Whether the source data node can be restored into this one.",
        required: true,
      },
      unavailableReason: str(
        'Why the data node cannot be used (e.g. another VPC, already associated with another instance, abnormal, an older version, another engine, read-only); `""` when it is available.',
      ),
      vpcName: str("Name of the VPC the data node is in."),
      privateIp: str("Private IP address of the data node."),
    },
  },
  DataNodeRelation: {
    description: "One source data node and the target data node it is restored into.",
    properties: {
      sourceInstanceId: str("ID of a data node of the source (from `getRelatedDataNodes`)."),
      targetInstanceId: str("ID of a data node of the target (from `getRestorableDataNodes`)."),
    },
  },
  PlannedDataNodeRelation: {
    description:
      "One line of a restore plan's data-node mapping: a source data node and the available target data node it is restored into, with their names.",
    properties: {
      sourceInstanceId: str("ID of the source data node."),
      sourceInstanceName: str("Name of the source data node."),
      targetInstanceId: str("ID of the target data node."),
      targetInstanceName: str("Name of the target data node."),
    },
  },
  RestorePlan: {
    description:
      "A complete, checked restore: the source, the target, the point in time and every source data node mapped once to an available target data node.",
    properties: {
      sourceInstanceId: str("ID of the source DDM instance (whose backup is restored)."),
      targetInstanceId: str("ID of the target DDM instance (restored into)."),
      targetInstanceName: str("Name of the target DDM instance."),
      restoreTime: str(
        "The point in time restored to, RFC 3339 UTC with milliseconds, e.g. `2025-05-20T10:00:00.000Z`.",
      ),
      restoreTimeEpochMs: {
        type: "number",
        description:
          "The point in time restored to in milliseconds since the Unix epoch (the unit DDM's restore call takes).",
        required: true,
      },
      dataNodeRelations: {
        type: "array",
        items: { ref: "PlannedDataNodeRelation" },
        description:
          "Every data node of the source at that time, each mapped once to an available target data node.",
        required: true,
      },
    },
  },
} as const satisfies Record<string, ObjectTypeSpec>;
