/** `hwddm restorable-data-nodes`: the target's data nodes one source data node can be restored into. */
import { Command } from "commander";
import { getRestorableDataNodes } from "../../provider/functions";
import { RESTORABLE_DATA_NODES_KEYS } from "../../provider/functions/keys";
import { GET_RESTORABLE_DATA_NODES } from "../../provider/spec";
import { formatRfc3339, parseTimeInput } from "../../provider/time";
import type { GetRestorableDataNodesArgs, GetRestorableDataNodesResult } from "../../provider/types";
import { EXIT } from "../output";
import {
  CliContext,
  ConnectionFlags,
  PagingFlags,
  addArgOptions,
  addConnectionOptions,
  addFormatOptions,
  addPagingOptions,
  argsFromFlags,
  connectionArgs,
  invokeContext,
  outputFormat,
} from "./common";

interface RestorableDataNodesFlags extends ConnectionFlags, PagingFlags {
  restoreTime: string;
  json?: boolean;
}

export function restorableDataNodesCommand(ctx: CliContext): Command {
  const cmd = new Command("restorable-data-nodes").description(
    "List the target instance's data nodes that one source data node can be restored into.",
  );
  addConnectionOptions(cmd);
  addArgOptions(cmd, GET_RESTORABLE_DATA_NODES.inputs, RESTORABLE_DATA_NODES_KEYS);

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
    const args = {
      ...connectionArgs(flags),
      ...argsFromFlags(flags, GET_RESTORABLE_DATA_NODES.inputs, [
        ...RESTORABLE_DATA_NODES_KEYS,
        "offset",
        "limit",
      ]),
      restoreTime: parseTimeInput(flags.restoreTime, "--restore-time"),
    };
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
