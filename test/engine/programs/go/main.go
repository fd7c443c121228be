// Choose a restore target and the latest restore time of a DDM instance's backup, in Go.
//
// Install: require github.com/pulumi-hwddm/pulumi-hwddm/sdk/go in go.mod, with a replace to the
// SDK's folder (sdk/go in a checkout of pulumi-hwddm), and register the plugin in Pulumi.yaml.
package main

import (
	"fmt"

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
		if len(candidates.Instances) == 0 {
			return fmt.Errorf("no instance can take a restore of %s", source)
		}
		windows, err := backup.GetRestoreTimeIntervals(ctx, &backup.GetRestoreTimeIntervalsArgs{InstanceId: source})
		if err != nil {
			return err
		}
		ctx.Export("targetInstanceId", pulumi.String(candidates.Instances[0].InstanceId))
		if windows.LatestRestorableTime != nil {
			ctx.Export("latestRestorableTime", pulumi.String(*windows.LatestRestorableTime))
		}
		return nil
	})
}
