/**
 * The data functions (`hwddm:backup:<name>`): each one's inputs and outputs. The inputs every
 * function shares are declared once here and spread into each.
 */
import type { FunctionSpec, Property } from "./declaration";

const SOURCE = "ID of the DDM instance whose backup is to be restored";
const source = (description: string): Property => ({
  type: "string",
  description,
  required: true,
  format: "id",
});

/** How to reach DDM; each overrides the provider's setting for one call. */
export const CONNECTION_INPUTS = {
  projectId: { type: "string", description: "Overrides the provider's project id.", format: "id" },
  region: { type: "string", description: "Overrides the provider's region.", maxLength: 64 },
  endpoint: { type: "string", description: "Overrides the provider's DDM endpoint.", maxLength: 2048 },
} as const satisfies Record<string, Property>;

export const PAGING_INPUTS = {
  offset: {
    type: "integer",
    description: "Records skipped before the first returned; an integer >= 0. Default 0.",
    minimum: 0,
  },
  limit: {
    type: "integer",
    description: "Most records returned in all; an integer >= 1. Default: every record from `offset`.",
    minimum: 1,
  },
} as const satisfies Record<string, Property>;

const TIME_FORMS = "RFC 3339 (or the API's forms, e.g. `2025-05-20T09:40:40+0000`) or epoch milliseconds";
const time = (description: string, required?: true): Property => ({
  oneOf: ["string", "number"],
  description,
  format: "time",
  ...(required ? { required } : {}),
});
const MARGIN: Property = {
  oneOf: ["number", "string"],
  format: "duration",
  description:
    "Keep the time this far from both edges of its window: seconds, or a duration such as `90s`, `5m`, `1h`. Default 0.",
};

/** How a target is chosen (selectRestoreTarget, planRestore). */
const criterion = (description: string): Property => ({ type: "string", description, format: "selection" });
const TARGET_CRITERIA = {
  targetInstanceId: criterion(
    "Choose the target with this instance id, exactly (the source is `instanceId`).",
  ),
  name: criterion("Choose the target with exactly this name."),
  nameRegex: criterion("Choose the first target whose name matches this JavaScript regular expression."),
  vpcName: criterion("Choose a target in this VPC (exact name)."),
  status: criterion("Choose a target with this status, e.g. `normal`."),
};

const out = (
  description: string,
  type: "string" | "integer" | "number" | "boolean" = "string",
): Property => ({
  type,
  description,
  required: true,
});
const optionalOut = (description: string, type: "string" | "number" | "boolean" = "string"): Property => ({
  type,
  description,
});
const list = (ref: string, description: string): Property => ({
  type: "array",
  items: { ref },
  description,
  required: true,
});

/** The arguments every function takes (planRestore refuses `offset` and `limit`, by name). */
export const COMMON_INPUTS = {
  instanceId: source(`${SOURCE}.`),
  ...CONNECTION_INPUTS,
  ...PAGING_INPUTS,
} as const satisfies Record<string, Property>;

/** The outputs every function gives first. */
const QUERY_OUTPUTS = {
  id: out("Deterministic id of this query (same inputs, same id)."),
  instanceId: out("ID of the source DDM instance."),
  projectId: out("Project id used."),
  region: out("Region used."),
} as const satisfies Record<string, Property>;
const WARNINGS: Property = {
  type: "array",
  items: "string",
  description: "Non-fatal notes, e.g. that the list changed while it was paged. Empty when none.",
  required: true,
};

export const GET_RESTORABLE_INSTANCES = {
  token: "hwddm:backup:getRestorableInstances",
  description:
    "Lists the DDM instances the given instance's backup can be restored into (every page, then filtered), with a deterministic id. Values are known at preview.",
  inputs: {
    ...COMMON_INPUTS,
    availableOnly: {
      type: "boolean",
      description: "Keep only instances with `available: true`. Default false.",
    },
    status: { type: "string", description: "Keep only instances whose status equals this, e.g. `normal`." },
    vpcName: { type: "string", description: "Keep only instances in this VPC (exact name)." },
    nameRegex: {
      type: "string",
      description: "Keep only instances whose name matches this JavaScript regular expression.",
      format: "regex",
    },
  },
  outputs: {
    ...QUERY_OUTPUTS,
    instances: list("RestorableInstance", "The instances fetched (all pages), after filters."),
    total: out("The API's `total` (before filters).", "integer"),
    warnings: WARNINGS,
  },
} as const satisfies FunctionSpec;

export const GET_RESTORE_TIME_INTERVALS = {
  token: "hwddm:backup:getRestoreTimeIntervals",
  description:
    "Lists the windows of time the given DDM instance can be restored to (every page, sorted), with the earliest and latest restorable times and, when `restoreTime` is given, whether that time is restorable. Values are known at preview.",
  inputs: {
    ...COMMON_INPUTS,
    restoreTime: time(`A time to check: ${TIME_FORMS}.`),
  },
  outputs: {
    ...QUERY_OUTPUTS,
    intervals: list("RestoreTimeInterval", "The restorable windows, sorted by start time."),
    earliestRestorableTime: optionalOut(
      "Start of the earliest window, RFC 3339 UTC with milliseconds. Absent when there are no windows.",
    ),
    earliestRestorableTimeEpochMs: optionalOut(
      "`earliestRestorableTime` in epoch milliseconds. Absent when there are no windows.",
      "number",
    ),
    latestRestorableTime: optionalOut(
      "End of the latest window, RFC 3339 UTC with milliseconds. Absent when there are no windows.",
    ),
    latestRestorableTimeEpochMs: optionalOut(
      "`latestRestorableTime` in epoch milliseconds. Absent when there are no windows.",
      "number",
    ),
    total: out("The API's `total`.", "integer"),
    warnings: WARNINGS,
    restoreTimeEpochMs: optionalOut(
      "`restoreTime` in epoch milliseconds. Present when `restoreTime` was given.",
      "number",
    ),
    restoreTimeRestorable: optionalOut(
      "Whether `restoreTime` falls inside a window. Present when `restoreTime` was given.",
      "boolean",
    ),
  },
} as const satisfies FunctionSpec;

export const SELECT_RESTORE_TARGET = {
  token: "hwddm:backup:selectRestoreTarget",
  description:
    "Chooses the instance a backup of the given DDM instance is to be restored into: the first available candidate (every page fetched) that matches every given criterion; with no criteria, the first available one. When none fits, the invoke fails with a message listing every candidate with its status, availability, `unavailableReason` and why it does not match. Values are known at preview.",
  inputs: {
    ...COMMON_INPUTS,
    ...TARGET_CRITERIA,
  },
  outputs: {
    ...QUERY_OUTPUTS,
    target: {
      ref: "RestorableInstance",
      description: "The chosen target: the first available instance that matches every given criterion.",
      required: true,
    },
    total: out("The API's `total` of candidates.", "integer"),
    warnings: WARNINGS,
  },
} as const satisfies FunctionSpec;

export const SELECT_RESTORE_TIME = {
  token: "hwddm:backup:selectRestoreTime",
  description:
    "Chooses the point in time the given DDM instance is to be restored to: the latest restorable time (`latest: true`) or the given `at`, kept `marginSeconds` away from both edges of its window (every page of windows fetched). When none fits, the invoke fails with a message naming the windows. Values are known at preview.",
  inputs: {
    ...COMMON_INPUTS,
    latest: {
      type: "boolean",
      format: "selection",
      description:
        "`true`: choose the latest restorable time, kept `marginSeconds` from the window's edges (when the latest window is too short for that, the next-latest long enough). Give this or `at`.",
    },
    at: time(`Choose this time when it is restorable: ${TIME_FORMS}. Give this or \`latest\`.`),
    marginSeconds: MARGIN,
  },
  outputs: {
    ...QUERY_OUTPUTS,
    time: out("The chosen restore time, RFC 3339 UTC with milliseconds, e.g. `2025-05-21T11:15:43.000Z`."),
    epochMs: out(
      "The chosen restore time in milliseconds since the Unix epoch (the unit DDM's restore call takes).",
      "number",
    ),
    total: out("The API's `total` of windows.", "integer"),
    warnings: WARNINGS,
  },
} as const satisfies FunctionSpec;

export const GET_RELATED_DATA_NODES = {
  token: "hwddm:backup:getRelatedDataNodes",
  description:
    "Lists the data nodes (RDS instances) of the given DDM instance at a point in time (every page), as a restore maps them one by one to the target's data nodes, with a deterministic id. Values are known at preview.",
  inputs: {
    instanceId: source(`${SOURCE} (the source).`),
    ...CONNECTION_INPUTS,
    ...PAGING_INPUTS,
    restoreTime: time(`The point in time: ${TIME_FORMS}. Required.`, true),
  },
  outputs: {
    ...QUERY_OUTPUTS,
    restoreTime: out("`restoreTime`, RFC 3339 UTC with milliseconds."),
    restoreTimeEpochMs: out("`restoreTime` in milliseconds since the Unix epoch.", "number"),
    dataNodes: list(
      "RelatedDataNode",
      "The source's data nodes at that time (all pages), in the order the API lists them.",
    ),
    latestRestorableTime: optionalOut(
      "The latest restorable time the API reports, RFC 3339 UTC with milliseconds. Absent when the API gives none.",
    ),
    latestRestorableTimeEpochMs: optionalOut(
      "`latestRestorableTime` in epoch milliseconds. Absent when the API gives none.",
      "number",
    ),
    total: out("The API's `total` of data nodes.", "integer"),
    warnings: WARNINGS,
  },
} as const satisfies FunctionSpec;

export const GET_RESTORABLE_DATA_NODES = {
  token: "hwddm:backup:getRestorableDataNodes",
  description:
    "Lists the data nodes of the target DDM instance that one data node of the source can be restored into at a point in time (every page, then filtered), with a deterministic id. Values are known at preview.",
  inputs: {
    instanceId: source(`${SOURCE} (the source).`),
    ...CONNECTION_INPUTS,
    ...PAGING_INPUTS,
    targetInstanceId: source("ID of the DDM instance to restore into (the target). Required."),
    sourceDataNodeId: source(
      "ID of the source data node (a `dataNodes[].instanceId` of `getRelatedDataNodes`). Required.",
    ),
    restoreTime: time(`The point in time: ${TIME_FORMS}. Required.`, true),
    availableOnly: {
      type: "boolean",
      description: "Keep only data nodes with `available: true`. Default false.",
    },
  },
  outputs: {
    ...QUERY_OUTPUTS,
    targetInstanceId: out("ID of the target DDM instance."),
    sourceDataNodeId: out("ID of the source data node."),
    restoreTimeEpochMs: out("`restoreTime` in milliseconds since the Unix epoch.", "number"),
    dataNodes: list(
      "TargetDataNode",
      "The target's data nodes offered for the source data node (all pages), after the filter.",
    ),
    total: out("The API's `total` (before the filter).", "integer"),
    warnings: WARNINGS,
  },
} as const satisfies FunctionSpec;

export const PLAN_RESTORE = {
  token: "hwddm:backup:planRestore",
  description:
    "Plans a restore of the given DDM instance's backup, read-only: the target chosen as `selectRestoreTarget` chooses it, the time as `selectRestoreTime` chooses it (`latest` or `at`, one of the two), and every source data node at that time mapped to an available target data node. The default mapping: the source's data nodes in the API's order, each taking the first available target data node not taken yet (a complete mapping is found when one exists); a given `dataNodeRelations` is checked, never changed. When nothing fits, the invoke fails with a message naming what is missing. Reads every record (no `offset`/`limit`). Values are known at preview.",
  inputs: {
    instanceId: source(`${SOURCE} (the source).`),
    ...CONNECTION_INPUTS,
    ...TARGET_CRITERIA,
    latest: {
      type: "boolean",
      format: "selection",
      description:
        "`true`: restore to the latest restorable time, kept `marginSeconds` from the window's edges. Give this or `at` (one of the two).",
    },
    at: time(`Restore to this time when it is restorable: ${TIME_FORMS}. Give this or \`latest\`.`),
    marginSeconds: MARGIN,
    dataNodeRelations: {
      type: "array",
      items: { ref: "DataNodeRelation" },
      description:
        "The data-node mapping to check (never changed): every source data node exactly once, each to an available target data node. Default: the mapping rule above.",
    },
  },
  outputs: {
    ...QUERY_OUTPUTS,
    targetInstanceId: out("ID of the chosen target DDM instance."),
    targetInstanceName: out("Name of the chosen target DDM instance."),
    restoreTime: out(
      "The chosen point in time, RFC 3339 UTC with milliseconds, e.g. `2025-05-21T11:15:43.000Z`.",
    ),
    restoreTimeEpochMs: out(
      "The chosen point in time in milliseconds since the Unix epoch (the unit DDM's restore call takes).",
      "number",
    ),
    dataNodeRelations: list(
      "PlannedDataNodeRelation",
      "Every source data node at that time, each mapped once to an available target data node.",
    ),
    warnings: WARNINGS,
  },
} as const satisfies FunctionSpec;

/** Every function, in schema order. */
export const FUNCTIONS: readonly FunctionSpec[] = [
  GET_RESTORABLE_INSTANCES,
  GET_RESTORE_TIME_INTERVALS,
  SELECT_RESTORE_TARGET,
  SELECT_RESTORE_TIME,
  GET_RELATED_DATA_NODES,
  GET_RESTORABLE_DATA_NODES,
  PLAN_RESTORE,
];
