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

pulumi.export("targetInstanceId", candidates.instances.apply(lambda found: found[0].instance_id))
pulumi.export("latestRestorableTime", windows.latest_restorable_time)
pulumi.export("latestRestorableTimeEpochMs", windows.latest_restorable_time_epoch_ms)
