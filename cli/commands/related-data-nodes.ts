/** `hwddm related-data-nodes`: the source instance's data nodes at a point in time. */
import { Command } from "commander";
import { dropUndefined } from "../../provider/objects";
import { getRelatedDataNodes } from "../../provider/functions";
import { RELATED_DATA_NODES_KEYS } from "../../provider/functions/keys";
import { GET_RELATED_DATA_NODES } from "../../provider/spec";
import { parseTimeInput } from "../../provider/time";
import type { GetRelatedDataNodesArgs, GetRelatedDataNodesResult } from "../../provider/types";
import { EXIT } from "../output";
import {
  CliContext,
  ConnectionFlags,
  PagingFlags,
  addArgOptions,
  addConnectionOptions,
  addFormatOptions,
  addPagingOptions,
  connectionArgs,
  integerArg,
  invokeContext,
  outputFormat,
} from "./common";

interface RelatedDataNodesFlags extends ConnectionFlags, PagingFlags {
  restoreTime: string;
  json?: boolean;
}

export function relatedDataNodesCommand(ctx: CliContext): Command {
  const cmd = new Command("related-data-nodes").description(
    "List the data nodes of the source instance at a point in time (what a restore maps one by one).",
  );
  addConnectionOptions(cmd);
  addArgOptions(cmd, GET_RELATED_DATA_NODES.inputs, RELATED_DATA_NODES_KEYS);
  addPagingOptions(cmd);
  addFormatOptions(cmd);
  cmd.addHelpText(
    "after",
    [
      "",
      "Output: a table (DATA NODE ID, NAME, STATUS, ENGINE, VERSION); with --json, the function",
      "result {id, instanceId, projectId, region, restoreTime, restoreTimeEpochMs, dataNodes[],",
      "latestRestorableTime?, latestRestorableTimeEpochMs?, total, warnings[]}.",
      "",
      "Examples:",
      "  $ hwddm related-data-nodes --instance-id $SRC --restore-time 2025-05-21T08:00:00Z",
      "  $ hwddm related-data-nodes --instance-id $SRC --restore-time 1747814400000 --json",
    ].join("\n"),
  );
  cmd.action(async (flags: RelatedDataNodesFlags) => {
    const args = dropUndefined({
      ...connectionArgs(flags),
      restoreTime: parseTimeInput(flags.restoreTime, "--restore-time"),
      offset: integerArg(flags.offset),
      limit: integerArg(flags.limit),
    });
    const result = await getRelatedDataNodes(
      args as unknown as GetRelatedDataNodesArgs,
      invokeContext(flags, ctx.io),
    );
    for (const w of result.warnings) ctx.print.warn(w);
    if (outputFormat(flags) === "json") ctx.print.json(result);
    else printRelatedTable(ctx, result);
    ctx.setExit(EXIT.ok);
  });
  return cmd;
}

function printRelatedTable(ctx: CliContext, result: GetRelatedDataNodesResult): void {
  ctx.print.table(
    ["DATA NODE ID", "NAME", "STATUS", "ENGINE", "VERSION"],
    result.dataNodes.map((n) => [n.instanceId, n.instanceName, n.instanceStatus, n.engineName, n.version]),
  );
  const n = result.dataNodes.length;
  const latest =
    result.latestRestorableTime === undefined ? "" : `; latest restorable ${result.latestRestorableTime}`;
  ctx.print.line(
    `${n} data node${n === 1 ? "" : "s"} (source ${result.instanceId} at ${result.restoreTime}, ` +
      `project ${result.projectId}, region ${result.region}; API total ${result.total}${latest})`,
  );
}
