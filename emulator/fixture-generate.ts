/**
 * Large deterministic fixtures for paging tests and benchmarks (`generateFixture`) and the
 * small PRNG they (and the tests' seeded cases) use.
 */
import { ConfigurationError } from "../provider/errors";
import {
  CONTRACT_EXAMPLE,
  DEFAULT_CREDENTIALS,
  DEFAULT_REGION,
  Fixture,
  FixtureInstance,
  RestorableInstanceRecord,
  RestoreWindowRecord,
  formatApiTime,
} from "./fixture";
import { TargetDataNodes, generateDataNodes } from "./fixture-restore";

export interface GenerateFixtureOptions {
  /** Restorable instances per source instance, integer >= 0. */
  instances: number;
  /** Restore windows per source instance, integer >= 0. */
  windows: number;
  /** Seed of the generator; the same options always give the same fixture. Default 1. */
  seed?: number;
  /** Source instances (the first is the contract's `1f5c9fd6cd984056ba89c8c87cc03278in09`). Default 1. */
  sources?: number;
  /** Default `619d3e78f61b4be68bc5aa0b59edcf7b`. */
  projectId?: string;
  /** Default `ap-southeast-1` (also the project's name). */
  region?: string;
  /** Data nodes per source, and available data nodes per target that has any. Default 2; 0: none. */
  dataNodes?: number;
  /** How many of each source's available targets get data nodes (the first ones). Default 32. */
  dataNodeTargets?: number;
}

const VPCS = ["vpc-ddm-172", "vpc-analytics-10", "vpc-prod-192"];
const REASONS = [
  "The DDM instance version is earlier than that of the source instance.",
  "The instance is not in the same VPC as the source instance.",
  "The instance is frozen.",
];
/** Generated windows end here (the contract's window end) and go back in time. */
const GENERATED_LAST_END_MS = Date.UTC(2025, 4, 21, 11, 15, 43);

/** mulberry32: a small deterministic PRNG, enough for test data (the tests' seeded cases use it too). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(rand: () => number, length: number): string {
  let out = "";
  while (out.length < length) out += Math.floor(rand() * 16).toString(16);
  return out;
}

function countOption(name: string, value: unknown, fallback?: number): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
    throw new ConfigurationError(`generateFixture: ${name} must be an integer >= 0`, [name]);
  return v;
}

/**
 * A deterministic fixture for paging tests and benchmarks: `sources` source instances in one
 * project, each with `instances` restorable instances (about one in five unavailable, with a
 * reason; three VPCs) and `windows` non-overlapping restore windows in ascending order, the
 * last ending at 2025-05-21T11:15:43+0000. Ids are unique; names are
 * `ddm-target-000001`, ... Credentials are `DEFAULT_CREDENTIALS`. Each source has `dataNodes`
 * data nodes and its first `dataNodeTargets` available targets `dataNodes` available data
 * nodes each (every third one more, unavailable), drawn from a second generator so the rest
 * of the data is the same as without them.
 */
export function generateFixture(opts: GenerateFixtureOptions): Fixture {
  const nInstances = countOption("instances", opts.instances);
  const nWindows = countOption("windows", opts.windows);
  const nSources = countOption("sources", opts.sources, 1);
  const seed = countOption("seed", opts.seed, 1);
  const perNode = countOption("dataNodes", opts.dataNodes, 2);
  const nodeTargets = countOption("dataNodeTargets", opts.dataNodeTargets, 32);
  const rand = prng(seed);
  const dnRand = prng(seed ^ 0x5eed_d0d0);
  const dnIds = new Set<string>();
  const targetDataNodes: TargetDataNodes = {};
  const region = opts.region ?? DEFAULT_REGION;
  const seen = new Set<string>();
  const uniqueId = (): string => {
    let v = `${hex(rand, 32)}in09`;
    while (seen.has(v)) v = `${hex(rand, 32)}in09`;
    seen.add(v);
    return v;
  };
  seen.add(CONTRACT_EXAMPLE.sourceInstanceId);
  const width = Math.max(6, String(nInstances).length);
  const instances: FixtureInstance[] = [];
  for (let s = 0; s < nSources; s++) {
    const restorableInstances: RestorableInstanceRecord[] = [];
    const sourceId = s === 0 ? CONTRACT_EXAMPLE.sourceInstanceId : uniqueId();
    for (let i = 0; i < nInstances; i++) {
      const available = rand() >= 0.2;
      restorableInstances.push({
        instance_id: uniqueId(),
        instance_name: `ddm-target-${String(i + 1).padStart(width, "0")}`,
        status: available ? "normal" : rand() < 0.5 ? "normal" : "frozen",
        available,
        unavailable_reason: available ? "" : REASONS[Math.floor(rand() * REASONS.length)],
        vpc_name: VPCS[Math.floor(rand() * VPCS.length)],
      });
    }
    const restoreWindows: RestoreWindowRecord[] = [];
    let end = GENERATED_LAST_END_MS;
    for (let w = 0; w < nWindows; w++) {
      const length = (1 + Math.floor(rand() * 26)) * 3_600_000 + Math.floor(rand() * 3600) * 1000;
      const start = end - length;
      restoreWindows.push({ start_time: formatApiTime(start), end_time: formatApiTime(end) });
      const gap = (5 + Math.floor(rand() * 115)) * 60_000;
      end = start - gap;
    }
    restoreWindows.reverse();
    const instance: FixtureInstance = {
      id: sourceId,
      name: `ddm-source-${s + 1}`,
      restorableInstances,
      restoreWindows,
    };
    if (perNode > 0) {
      const nodes = generateDataNodes(
        s,
        restorableInstances.filter((r) => r.available),
        { perSource: perNode, perTarget: perNode, targetsWithNodes: nodeTargets },
        (n) => hex(dnRand, n),
        dnIds,
      );
      instance.relatedDataNodes = nodes.related;
      Object.assign(targetDataNodes, nodes.targets);
    }
    instances.push(instance);
  }
  return {
    region,
    credentials: { ...DEFAULT_CREDENTIALS },
    projects: [
      {
        id: opts.projectId ?? CONTRACT_EXAMPLE.projectId,
        name: region,
        instances,
        ...(perNode > 0 ? { targetDataNodes } : {}),
      },
    ],
  };
}
