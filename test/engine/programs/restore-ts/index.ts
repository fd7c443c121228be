/**
 * planRestore chooses the target and the latest restorable time (5 minutes from the window's
 * edge); the Restore resource restores it and waits on the job, within `createTimeout`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as hwddm from "pulumi-hwddm";

const config = new pulumi.Config();
const instanceId = config.require("sourceInstanceId");
const plan = hwddm.backup.planRestoreOutput({ instanceId, latest: true, marginSeconds: 300 });

const restore = new hwddm.backup.Restore(
  "restore",
  {
    instanceId,
    targetInstanceId: plan.targetInstanceId,
    restoreTime: plan.restoreTime,
    pollIntervalSeconds: config.getNumber("pollIntervalSeconds"),
  },
  { customTimeouts: { create: config.get("createTimeout") ?? "60m" } },
);

export const targetInstanceId = plan.targetInstanceId;
export const restoreTime = plan.restoreTime;
export const jobId = restore.jobId;
export const status = restore.status;
