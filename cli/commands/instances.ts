/** `hwddm instances`: the instances a backup can be restored into. */
import { Command } from "commander";
import { dropUndefined } from "../../provider/objects";
import { getRestorableInstances } from "../../provider/functions";
import type { GetRestorableInstancesArgs, GetRestorableInstancesResult } from "../../provider/types";
import { EXIT } from "../output";
import {
  CliContext,
  ConnectionFlags,
  PagingFlags,
  addConnectionOptions,
  addFormatOptions,
  addPagingOptions,
  connectionArgs,
  integerArg,
  invokeContext,
  outputFormat,
} from "./common";

interface InstancesFlags extends ConnectionFlags, PagingFlags {
  availableOnly?: boolean;
  status?: string;
  vpcName?: string;
  nameRegex?: string;
  json?: boolean;
}

export function instancesCommand(ctx: CliContext): Command {
  const cmd = new Command("instances").description(
    "List the DDM instances that a source instance's backup can be restored into.",
  );
  addConnectionOptions(cmd);
  cmd
    .option("--available-only", "keep only instances that can be used now (available: true)")
    .option("--status <status>", "keep only instances with this status, e.g. normal")
    .option("--vpc-name <name>", "keep only instances in this VPC (exact name)")
    .option("--name-regex <regex>", "keep only instances whose name matches this JavaScript regex");
  addPagingOptions(cmd);
  addFormatOptions(cmd);
  cmd.addHelpText(
    "after",
    [
      "",
      "Output: a table (INSTANCE ID, NAME, STATUS, AVAILABLE, VPC, UNAVAILABLE REASON); with --json,",
      "the function result {id, instanceId, projectId, region, instances[], total, warnings[]}.",
      "",
      "Examples:",
      "  $ hwddm instances --instance-id 1f5c9fd6cd984056ba89c8c87cc03278in09 --region ap-southeast-1",
      "  $ hwddm instances --instance-id $SRC --available-only --vpc-name vpc-ddm-172 --json",
    ].join("\n"),
  );
  cmd.action(async (flags: InstancesFlags) => {
    const args = dropUndefined({
      ...connectionArgs(flags),
      availableOnly: flags.availableOnly ? true : undefined,
      status: flags.status,
      vpcName: flags.vpcName,
      nameRegex: flags.nameRegex,
      offset: integerArg(flags.offset),
      limit: integerArg(flags.limit),
    });
    const result = await getRestorableInstances(
      args as unknown as GetRestorableInstancesArgs,
      invokeContext(flags, ctx.io),
    );
    for (const w of result.warnings) ctx.print.warn(w);
    if (outputFormat(flags) === "json") ctx.print.json(result);
    else printInstancesTable(ctx, result);
    ctx.setExit(EXIT.ok);
  });
  return cmd;
}

function printInstancesTable(ctx: CliContext, result: GetRestorableInstancesResult): void {
  ctx.print.table(
    ["INSTANCE ID", "NAME", "STATUS", "AVAILABLE", "VPC", "UNAVAILABLE REASON"],
    result.instances.map((i) => [
      i.instanceId,
      i.instanceName,
      i.status,
      i.available ? "yes" : "no",
      i.vpcName,
      i.unavailableReason,
    ]),
  );
  const n = result.instances.length;
  ctx.print.line(
    `${n} instance${n === 1 ? "" : "s"} (source ${result.instanceId}, project ${result.projectId}, ` +
      `region ${result.region}; API total ${result.total})`,
  );
}
