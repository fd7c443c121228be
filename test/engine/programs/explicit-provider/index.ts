/**
 * An explicit `hwddm.Provider` configured from the project's own stack config, with the
 * credential (`authToken`, or `accessKey` + `secretKey` when `mode` is `aksk`) set with
 * `pulumi config set --secret`. Both functions go through that provider.
 */
import * as pulumi from "@pulumi/pulumi";
import * as hwddm from "pulumi-hwddm";

const config = new pulumi.Config();
const aksk = config.get("mode") === "aksk";
const provider = new hwddm.Provider("explicit", {
  region: config.require("region"),
  projectId: config.require("projectId"),
  endpoint: config.require("endpoint"),
  authUrl: config.require("authUrl"),
  ...(aksk
    ? { accessKey: config.require("accessKey"), secretKey: config.requireSecret("secretKey") }
    : { authToken: config.requireSecret("authToken") }),
});
const instanceId = config.require("sourceInstanceId");

const candidates = hwddm.backup.getRestorableInstancesOutput({ instanceId }, { provider });
const windows = hwddm.backup.getRestoreTimeIntervalsOutput({ instanceId }, { provider });

export const targetInstanceId = candidates.apply((r) => hwddm.selectRestoreTarget(r).instanceId);
export const restoreTime = windows.apply((r) => hwddm.selectRestoreTime(r, { latest: true }).time);
