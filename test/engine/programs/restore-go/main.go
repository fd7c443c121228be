// planRestore chooses the target and the latest restorable time (5 minutes from the window's
// edge); the Restore resource restores it and waits on the job.
package main

import (
	"github.com/pulumi-hwddm/pulumi-hwddm/sdk/go/hwddm/backup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		source := config.Require(ctx, "sourceInstanceId")
		plan, err := backup.PlanRestore(ctx, &backup.PlanRestoreArgs{
			InstanceId:    source,
			Latest:        pulumi.BoolRef(true),
			MarginSeconds: 300,
		})
		if err != nil {
			return err
		}
		args := &backup.RestoreArgs{
			InstanceId:       pulumi.String(source),
			TargetInstanceId: pulumi.String(plan.TargetInstanceId),
			RestoreTime:      pulumi.String(plan.RestoreTime),
		}
		if poll, err := config.TryFloat64(ctx, "pollIntervalSeconds"); err == nil {
			args.PollIntervalSeconds = pulumi.Float64(poll)
		}
		restore, err := backup.NewRestore(ctx, "restore", args)
		if err != nil {
			return err
		}
		ctx.Export("targetInstanceId", pulumi.String(plan.TargetInstanceId))
		ctx.Export("restoreTime", pulumi.String(plan.RestoreTime))
		ctx.Export("jobId", restore.JobId)
		ctx.Export("status", restore.Status)
		return nil
	})
}
