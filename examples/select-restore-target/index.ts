/**
 * Choose where and to when a DDM instance's backup can be restored, at `pulumi preview`.
 *
 * Stack config (project namespace):
 * - `sourceInstanceId` (required): the DDM instance whose backup is to be restored.
 * - `restoreTime` (default `latest`): `latest`, or a time (RFC 3339, the API's form, or
 *   epoch milliseconds) that must be restorable.
 * - `marginSeconds` (default 0): keep the chosen time this far from both window edges.
 * - `targetName`, `targetNameRegex`, `targetVpc` (optional): narrow the restore target.
 *
 * Outputs: `targetInstanceId`, `targetInstanceName`, `restoreTime` (RFC 3339 UTC) and
 * `restoreTimeEpochMs` (what DDM's restore call takes), e.g. for a restore resource:
 *
 *     new huaweicloud.DdmInstanceRestore("restore", {
 *         instanceId: targetInstanceId,
 *         sourceInstanceId,
 *         restoreTime: restoreTimeEpochMs,
 *     });
 *
 * The SDK is the workspace package pulumi-hwddm, imported as in an installed program.
 */
import * as pulumi from "@pulumi/pulumi";
import * as hwddm from "pulumi-hwddm";

const config = new pulumi.Config();
const sourceInstanceId = config.require("sourceInstanceId");
const wantedTime = config.get("restoreTime") ?? "latest";
const marginSeconds = config.getNumber("marginSeconds") ?? 0;
const criteria: hwddm.TargetCriteria = {
  name: config.get("targetName"),
  nameRegex: config.get("targetNameRegex"),
  vpcName: config.get("targetVpc"),
};
const latest = wantedTime === "latest";

// Both functions in Output form: values are known at preview, and unknown inputs would
// simply make the answers unknown instead of failing.
const candidates = hwddm.backup.getRestorableInstancesOutput({ instanceId: sourceInstanceId });
const windows = hwddm.backup.getRestoreTimeIntervalsOutput({
  instanceId: sourceInstanceId,
  restoreTime: latest ? undefined : wantedTime,
});

// One line each: the first available target that matches, and a time inside a window.
const target = candidates.apply((result) => hwddm.selectRestoreTarget(result, criteria));
const time = windows.apply((result) =>
  hwddm.selectRestoreTime(
    result,
    latest ? { latest: true, marginSeconds } : { at: wantedTime, marginSeconds },
  ),
);

export const targetInstanceId = target.instanceId;
export const targetInstanceName = target.instanceName;
export const restoreTime = time.time;
export const restoreTimeEpochMs = time.epochMs;
