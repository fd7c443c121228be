/** `hwddm restorable-data-nodes`: the target's data nodes one source data node can be restored into. */
import { Command } from "commander";
import { dropUndefined } from "../../provider/objects";
import { getRestorableDataNodes } from "../../provider/functions";
import { formatRfc3339, parseTimeInput } from "../../provider/time";
import type { GetRestorableDataNodesArgs, GetRestorableDataNodesResult } from "../../provider/types";
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

interface RestorableDataNodesFlags extends ConnectionFlags, PagingFlags {
  targetInstanceId: string;
  sourceDataNodeId: string;
  restoreTime: string;
  availableOnly?: boolean;
  json?: boolean;
}

export function restorableDataNodesCommand(ctx: CliContext): Command {
  const cmd = new Command("restorable-data-nodes").description(
    "List the target instance's data nodes that one source data node can be restored into.",
  );
  addConnectionOptions(cmd);
  cmd
    .requiredOption("--target-instance-id <id>", "the DDM instance to restore into")
    .requiredOption(
      "--source-data-node-id <id>",
      "the source's data node (a DATA NODE ID of hwddm related-data-nodes)",
    )
    .requiredOption(
      "--restore-time <time>",
      "the point in time: RFC 3339 (2025-05-21T08:00:00Z, ...+08:00) or epoch milliseconds",
    )
    .option("--available-only", "keep only data nodes that can be used now (available: true)");
  addPagingOptions(cmd);
  addFormatOptions(cmd);
  cmd.addHelpText(
    "after",
    [
      "",
      "Output: a table (DATA NODE ID, NAME, STATUS, AVAILABLE, ENGINE, VPC, PRIVATE IP, UNAVAILABLE",
      "REASON); with --json, the function result {id, instanceId, projectId, region, targetInstanceId,",
      "sourceDataNodeId, restoreTimeEpochMs, dataNodes[], total, warnings[]}.",
      "",
      "Examples:",
      "  $ hwddm restorable-data-nodes --instance-id $SRC --target-instance-id $TGT \\",
      "      --source-data-node-id $DN --restore-time 2025-05-21T08:00:00Z --available-only",
      "  $ hwddm restorable-data-nodes --instance-id $SRC --target-instance-id $TGT \\",
      "      --source-data-node-id $DN --restore-time 1747814400000 --json",
    ].join("\n"),
  );
  cmd.action(async (flags: RestorableDataNodesFlags) => {
    const args = dropUndefined({
      ...connectionArgs(flags),
      targetInstanceId: flags.targetInstanceId,
      sourceDataNodeId: flags.sourceDataNodeId,
      restoreTime: parseTimeInput(flags.restoreTime, "--restore-time"),
      availableOnly: flags.availableOnly ? true : undefined,
      offset: integerArg(flags.offset),
      limit: integerArg(flags.limit),
    });
    const result = await getRestorableDataNodes(
      args as unknown as GetRestorableDataNodesArgs,
      invokeContext(flags, ctx.io),
    );
    for (const w of result.warnings) ctx.print.warn(w);
    if (outputFormat(flags) === "json") ctx.print.json(result);
    else printTargetsTable(ctx, result);
    ctx.setExit(EXIT.ok);
  });
  return cmd;
}

function printTargetsTable(ctx: CliContext, result: GetRestorableDataNodesResult): void {
  ctx.print.table(
    ["DATA NODE ID", "NAME", "STATUS", "AVAILABLE", "ENGINE", "VPC", "PRIVATE IP", "UNAVAILABLE REASON"],
    result.dataNodes.map((n) => [
      n.instanceId,
      n.instanceName,
      n.status,
      n.available ? "yes" : "no",
      n.engineName,
      n.vpcName,
      n.privateIp,
      n.unavailableReason,
    ]),
  );
  const n = result.dataNodes.length;
  ctx.print.line(
    `${n} data node${n === 1 ? "" : "s"} of target ${result.targetInstanceId} for source data node ` +
      `${result.sourceDataNodeId} at ${formatRfc3339(result.restoreTimeEpochMs)} (source ${result.instanceId}, ` +
      `project ${result.projectId}, region ${result.region}; API total ${result.total})`,
  );
}
