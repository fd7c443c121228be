/**
 * The zod checks of the fixture's restore data (fixture-restore.ts). Kept apart and imported only
 * by fixture.ts, so that no published declaration of the emulator names zod.
 */
import { z } from "zod";
import { idProblem } from "../provider/validate";
import type { RelatedDataNodeRecord, TargetDataNodes } from "./fixture-restore";

const id = z.string().superRefine((v, ctx) => {
  const p = idProblem(v);
  if (p) ctx.addIssue({ code: "custom", message: p });
});

const RelatedDataNodeSchema = z.strictObject({
  instance_id: id,
  instance_name: z.string(),
  instance_status: z.string(),
  engine_name: z.string(),
  data_volume_size: z.number().nonnegative(),
  version: z.string(),
});

const TargetDataNodeSchema = z.strictObject({
  instance_id: id,
  instance_name: z.string(),
  engine_name: z.string(),
  status: z.string(),
  available: z.boolean(),
  unavailable_reason: z.string().default(""),
  vpc_name: z.string(),
  private_ip: z.string(),
});

/** The checks of a fixture's data nodes (typed plainly, so the published declarations name no zod internals). */
export const RelatedDataNodesSchema: z.ZodType<RelatedDataNodeRecord[]> = z
  .array(RelatedDataNodeSchema)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((n, i) => {
      if (seen.has(n.instance_id))
        ctx.addIssue({
          code: "custom",
          path: [i, "instance_id"],
          message: `duplicate data node ${n.instance_id}`,
        });
      seen.add(n.instance_id);
    });
  });

export const TargetDataNodesSchema: z.ZodType<TargetDataNodes> = z
  .record(z.string(), z.array(TargetDataNodeSchema))
  .superRefine((map, ctx) => {
    for (const [target, list] of Object.entries(map)) {
      const p = idProblem(target);
      if (p) ctx.addIssue({ code: "custom", path: [target], message: `target instance id: ${p}` });
      const seen = new Set<string>();
      list.forEach((n, i) => {
        if (seen.has(n.instance_id))
          ctx.addIssue({
            code: "custom",
            path: [target, i, "instance_id"],
            message: `duplicate data node ${n.instance_id}`,
          });
        seen.add(n.instance_id);
      });
    }
  });
