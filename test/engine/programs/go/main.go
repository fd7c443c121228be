// Choose a restore target and the latest restore time of a DDM instance's backup, in Go.
//
// Install: require github.com/pulumi-hwddm/pulumi-hwddm/sdk/go in go.mod, with a replace to the
// SDK's folder (sdk/go in a checkout of pulumi-hwddm), and register the plugin in Pulumi.yaml.
package main

import (
	"github.com/pulumi-hwddm/pulumi-hwddm/sdk/go/hwddm/backup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		source := config.Require(ctx, "sourceInstanceId")
		candidates, err := backup.GetRestorableInstances(ctx, &backup.GetRestorableInstancesArgs{
			InstanceId:    source,
			AvailableOnly: pulumi.BoolRef(true),
		})
		if err != nil {
			return err
		}
		windows, err := backup.GetRestoreTimeIntervals(ctx, &backup.GetRestoreTimeIntervalsArgs{InstanceId: source})
		if err != nil {
			return err
		}
		// The provider chooses: the first available target, and a time inside a window, kept
		// 5 minutes from its edges.
		target, err := backup.SelectRestoreTarget(ctx, &backup.SelectRestoreTargetArgs{InstanceId: source})
		if err != nil {
			return err
		}
		restore, err := backup.SelectRestoreTime(ctx, &backup.SelectRestoreTimeArgs{
			InstanceId:    source,
			Latest:        pulumi.BoolRef(true),
			MarginSeconds: 300,
		})
		if err != nil {
			return err
		}
		ctx.Export("candidateCount", pulumi.Int(len(candidates.Instances)))
		if windows.LatestRestorableTime != nil {
			ctx.Export("latestRestorableTime", pulumi.String(*windows.LatestRestorableTime))
		}
		ctx.Export("targetInstanceId", pulumi.String(target.Target.InstanceId))
		ctx.Export("restoreTime", pulumi.String(restore.Time))
		ctx.Export("restoreTimeEpochMs", pulumi.Float64(restore.EpochMs))
		return nil
	})
}
