"""Choose a restore target and the latest restore time of a DDM instance's backup, in Python.

Install, in the project's virtual environment: pip install pulumi ./sdk/python
(the SDK's folder in a checkout of pulumi-hwddm), and register the plugin in Pulumi.yaml.
"""
import pulumi
import pulumi_hwddm as hwddm

config = pulumi.Config()
source = config.require("sourceInstanceId")

candidates = hwddm.backup.get_restorable_instances_output(instance_id=source, available_only=True)
windows = hwddm.backup.get_restore_time_intervals_output(instance_id=source)

# The provider chooses: the first available target (or pass name, name_regex, vpc_name, status,
# target_instance_id), and a time inside a window, kept 5 minutes from its edges.
target = hwddm.backup.select_restore_target_output(instance_id=source)
time = hwddm.backup.select_restore_time_output(instance_id=source, latest=True, margin_seconds=300)

pulumi.export("candidateCount", candidates.instances.apply(len))
pulumi.export("latestRestorableTime", windows.latest_restorable_time)
pulumi.export("targetInstanceId", target.target.instance_id)
pulumi.export("restoreTime", time.time)
pulumi.export("restoreTimeEpochMs", time.epoch_ms)
