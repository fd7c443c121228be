/**
 * Choosing the faults of one request: a checked list of faults (`faults.ts`) with a request
 * counter per fault, asked once per request what happens to it.
 */
import {
  FaultSpec,
  HtmlFault,
  LIST_ROUTES,
  MalformedFault,
  ResetFault,
  RouteName,
  StallFault,
  StatusFault,
  checkFaultSpec,
  faultLabel,
} from "./faults";
import { ValidationError } from "../provider/errors";

/** What the faults decided for one request. */
export interface FaultDecision {
  /** Total delay before answering, ms (all latency faults in their window). */
  delayMs: number;
  /** The first terminal fault in its window (status, reset, stall, malformed, html), if any. */
  terminal?: StatusFault | ResetFault | StallFault | MalformedFault | HtmlFault;
  /** Net records removed (> 0) or added (< 0) from the list, from shrink/grow faults. */
  shrinkBy: number;
  /** Labels of every fault applied, for stats and the log. */
  applied: string[];
  /** Route `restore`: the job this POST creates ends Failed with this reason (`job-fail`). */
  jobFailReason?: string;
  /** Route `restore`: the job this POST creates hangs at this process percentage (`job-hang`). */
  jobHangProcess?: number;
  /** Route `restore`: the answer is dropped after the POST was processed (`lost-answer`). */
  lostAnswer?: boolean;
  /** Route `job`: the job query answers 404 job-not-found (`job-vanish`). */
  jobVanish?: boolean;
}

/** A set of checked faults with their per-fault request counters. */
export class FaultPlan {
  private readonly faults: FaultSpec[];
  private readonly seen: number[];

  constructor(
    specs: readonly FaultSpec[] = [],
    private readonly random: () => number = Math.random,
  ) {
    if (!Array.isArray(specs))
      throw new ValidationError([{ property: "faults", reason: "expected an array of faults" }]);
    this.faults = specs.map((s: FaultSpec, i) => checkFaultSpec(s, `faults[${i}]`));
    this.seen = this.faults.map(() => 0);
  }

  /** The checked specs, in order. */
  get specs(): FaultSpec[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Count one request to `route` against every fault and decide what happens to it. */
  decide(route: RouteName): FaultDecision {
    const d: FaultDecision = { delayMs: 0, shrinkBy: 0, applied: [] };
    this.faults.forEach((f, i) => {
      const target = f.route ?? "any";
      const isList = f.kind === "shrink" || f.kind === "grow";
      if (target !== "any" && target !== route) return;
      if (isList && !LIST_ROUTES.includes(route)) return;
      const n = ++this.seen[i];
      const after = f.after ?? 0;
      if (n <= after || (f.times !== undefined && n > after + f.times)) return;
      switch (f.kind) {
        case "latency":
          d.delayMs += f.ms + (f.jitterMs ? Math.floor(this.random() * (f.jitterMs + 1)) : 0);
          d.applied.push(faultLabel(f));
          break;
        case "shrink":
          d.shrinkBy += f.by ?? 1;
          d.applied.push(faultLabel(f));
          break;
        case "grow":
          d.shrinkBy -= f.by ?? 1;
          d.applied.push(faultLabel(f));
          break;
        case "job-fail":
          // The first job outcome fault in its window decides (fail or hang).
          if (d.jobFailReason === undefined && d.jobHangProcess === undefined) {
            d.jobFailReason = f.reason ?? "";
            d.applied.push(faultLabel(f));
          }
          break;
        case "job-hang":
          if (d.jobFailReason === undefined && d.jobHangProcess === undefined) {
            d.jobHangProcess = f.process ?? 50;
            d.applied.push(faultLabel(f));
          }
          break;
        case "lost-answer":
          if (!d.lostAnswer) d.applied.push(faultLabel(f));
          d.lostAnswer = true;
          break;
        case "job-vanish":
          if (!d.jobVanish) d.applied.push(faultLabel(f));
          d.jobVanish = true;
          break;
        default:
          if (!d.terminal) {
            d.terminal = f;
            d.applied.push(faultLabel(f));
          }
      }
    });
    return d;
  }
}
