"""planRestore chooses the target and the latest restorable time (5 minutes from the window's
edge); the Restore resource restores it and waits on the job."""
import pulumi
import pulumi_hwddm as hwddm

config = pulumi.Config()
source = config.require("sourceInstanceId")
plan = hwddm.backup.plan_restore_output(instance_id=source, latest=True, margin_seconds=300)

restore = hwddm.backup.Restore(
    "restore",
    instance_id=source,
    target_instance_id=plan.target_instance_id,
    restore_time=plan.restore_time,
    poll_interval_seconds=config.get_float("pollIntervalSeconds"),
)

pulumi.export("targetInstanceId", plan.target_instance_id)
pulumi.export("restoreTime", plan.restore_time)
pulumi.export("jobId", restore.job_id)
pulumi.export("status", restore.status)
