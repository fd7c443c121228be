/**
 * The emulator's data: which projects exist, which DDM instances each holds, and for each
 * instance the records the two restore queries answer with. A fixture is plain JSON (see
 * `emulator/README.md` for the file format); `loadFixture` reads and checks one,
 * `defaultFixture` is the built-in demo data (it contains the contract's example values) and
 * `generateFixture` builds large deterministic data sets for paging tests and benchmarks.
 *
 * The records are stored in wire form (snake_case, times in the API's `+0000` form) and are
 * checked with the contract's own zod schemas, so the emulator can never serve a record the
 * core's decoder would refuse.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigurationError } from "../provider/errors";
import { dropUndefined } from "../provider/objects";
import { contractSchemas, formatPath } from "../provider/contract";
import type { RestorableInstanceWire, RestoreTimeIntervalWire } from "../provider/wire";
import { idProblem } from "../provider/validate";
import { RelatedDataNodesSchema, TargetDataNodesSchema } from "./fixture-restore-schemas";
import {
  RelatedDataNodeRecord,
  TargetDataNodes,
  defaultRestoreData,
  relatedDataNode,
  targetDataNode,
} from "./fixture-restore";

/** One target a backup can be restored into (`DDMInstance4Restore`), exactly as the API sends it. */
export type RestorableInstanceRecord = RestorableInstanceWire;

/** One restore window (`RestoreTimeInterval`), times in the API's form, e.g. `2025-05-20T09:40:40+0000`. */
export type RestoreWindowRecord = RestoreTimeIntervalWire;

/** A DDM instance whose backups can be restored (the `{instance_id}` of both paths). */
export interface FixtureInstance {
  /** The instance id used in the path, e.g. `1f5c9fd6cd984056ba89c8c87cc03278in09`. */
  id: string;
  /** A label for people; the API never returns it. */
  name?: string;
  /** Answer of `restorable-instances`, in order. */
  restorableInstances: RestorableInstanceRecord[];
  /** Answer of `restorable-time-interval`, in order. */
  restoreWindows: RestoreWindowRecord[];
  /** Answer of `related-dn`: the instance's data nodes (optional; none when absent). */
  relatedDataNodes?: RelatedDataNodeRecord[];
}

/** A project: IAM's `GET /v3/projects?name=` finds it by `name` (Huawei names a region's default project after the region). */
export interface FixtureProject {
  /** Project id (the `{project_id}` of both paths). */
  id: string;
  /** Project name, normally the region name (`ap-southeast-1`) or `{region}_{suffix}`. */
  name: string;
  instances: FixtureInstance[];
  /**
   * Target DDM instance id → its data nodes, as `restorable-data-node` answers (optional;
   * a target without an entry has no data nodes).
   */
  targetDataNodes?: TargetDataNodes;
}

/** The credentials the emulator accepts. All are fake, fixed and documented: they are not secrets. */
export interface FixtureCredentials {
  /** A static IAM token accepted as `X-Auth-Token` on every project; never expires. */
  token: string;
  /** The one known access key id (AK/SK signing). */
  accessKey: string;
  /** Its secret key. */
  secretKey: string;
  /** When a request carries `X-Security-Token`, it must equal this. */
  securityToken: string;
  /** Account (domain) name for IAM password auth. */
  domainName: string;
  /** Account (domain) id, reported by IAM. */
  domainId: string;
  /** IAM user name for password auth. */
  userName: string;
  /** IAM user id, reported by IAM. */
  userId: string;
  /** IAM user password. */
  password: string;
}

/** The whole data set. */
export interface Fixture {
  /** The region the emulator pretends to serve; the credentials' project is the first project named after it. */
  region: string;
  credentials: FixtureCredentials;
  /** At least one. Project ids are unique; names may repeat (IAM lookups then find several). */
  projects: FixtureProject[];
}

/** The fake credentials every built-in fixture uses (and a fixture file gets for any it leaves out). */
export const DEFAULT_CREDENTIALS: Readonly<FixtureCredentials> = Object.freeze({
  token: "hwddm-emulator-static-token-NOT-A-REAL-TOKEN",
  accessKey: "HWDDMEMULATORFAKEAK1",
  secretKey: "hwddmEmulatorFakeSecretKeyNotARealSecret",
  securityToken: "hwddm-emulator-fake-security-token",
  domainName: "hwddm-emulator-domain",
  domainId: "e0d0000000000000000000000000d001",
  userName: "hwddm-emulator-user",
  userId: "e0a0000000000000000000000000a001",
  password: "hwddm-emulator-password",
});

/** The region of the built-in fixtures. */
export const DEFAULT_REGION = "ap-southeast-1";

/** The contract's example ids, also the first entries of `defaultFixture()`. */
export const CONTRACT_EXAMPLE = Object.freeze({
  projectId: "619d3e78f61b4be68bc5aa0b59edcf7b",
  sourceInstanceId: "1f5c9fd6cd984056ba89c8c87cc03278in09",
  targetInstanceId: "3b65c609427c4b20bc0ae93e161dc7adin09",
  targetInstanceName: "ddm-agent-create-instance1",
  vpcName: "vpc-ddm-172",
  windowStart: "2025-05-20T09:40:40+0000",
  windowEnd: "2025-05-21T11:15:43+0000",
});

// ---------------------------------------------------------------------------------------
// Checking

const id = z.string().superRefine((v, ctx) => {
  const p = idProblem(v);
  if (p) ctx.addIssue({ code: "custom", message: p });
});

const nonEmpty = z.string().min(1);

const CredentialsSchema = z.strictObject({
  token: nonEmpty.optional(),
  accessKey: nonEmpty.optional(),
  secretKey: nonEmpty.optional(),
  securityToken: nonEmpty.optional(),
  domainName: nonEmpty.optional(),
  domainId: nonEmpty.optional(),
  userName: nonEmpty.optional(),
  userId: nonEmpty.optional(),
  password: nonEmpty.optional(),
});

const {
  restorableInstance: RestorableInstanceWireSchema,
  restoreTimeInterval: RestoreTimeIntervalWireSchema,
} = contractSchemas();

const InstanceSchema = z.strictObject({
  id,
  name: z.string().optional(),
  restorableInstances: z.array(RestorableInstanceWireSchema.strict()).default([]),
  restoreWindows: z.array(RestoreTimeIntervalWireSchema).default([]),
  relatedDataNodes: RelatedDataNodesSchema.optional(),
});

const ProjectSchema = z.strictObject({
  id,
  name: nonEmpty,
  instances: z.array(InstanceSchema).default([]),
  targetDataNodes: TargetDataNodesSchema.optional(),
});

const FixtureSchema = z
  .strictObject({
    $schema: z.string().optional(),
    description: z.string().optional(),
    region: nonEmpty.default(DEFAULT_REGION),
    credentials: CredentialsSchema.default({}),
    projects: z.array(ProjectSchema).min(1),
  })
  .superRefine((f, ctx) => {
    const projectIds = new Set<string>();
    f.projects.forEach((p, i) => {
      if (projectIds.has(p.id))
        ctx.addIssue({
          code: "custom",
          path: ["projects", i, "id"],
          message: `duplicate project id ${p.id}`,
        });
      projectIds.add(p.id);
      const instanceIds = new Set<string>();
      p.instances.forEach((inst, j) => {
        if (instanceIds.has(inst.id))
          ctx.addIssue({
            code: "custom",
            path: ["projects", i, "instances", j, "id"],
            message: `duplicate instance id ${inst.id} in project ${p.id}`,
          });
        instanceIds.add(inst.id);
      });
    });
  });

/**
 * Check a parsed fixture (from a file, `EmulatorOptions.data` or `setData`) and fill in the
 * optional parts: missing credentials take `DEFAULT_CREDENTIALS`, missing lists are empty,
 * a missing region is `ap-southeast-1`. Throws ConfigurationError naming the first bad
 * field as a dotted path (`projects[0].instances[2].restoreWindows[1].end_time`) and what
 * is wrong with it.
 */
export function parseFixture(value: unknown, source = "fixture"): Fixture {
  const r = FixtureSchema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues;
    const first = issues[0];
    const more =
      issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
    const where = first.path.length === 0 ? "(top level)" : formatPath(first.path);
    throw new ConfigurationError(`invalid emulator ${source}: ${where}: ${first.message}${more}`, ["data"]);
  }
  const f = r.data;
  return {
    region: f.region,
    credentials: { ...DEFAULT_CREDENTIALS, ...dropUndefined(f.credentials) },
    projects: f.projects.map((p) => ({
      id: p.id,
      name: p.name,
      instances: p.instances.map((inst) => ({
        id: inst.id,
        ...(inst.name !== undefined ? { name: inst.name } : {}),
        restorableInstances: inst.restorableInstances.map((x) => ({
          // The contract's field order.
          instance_id: x.instance_id,
          instance_name: x.instance_name,
          status: x.status,
          available: x.available,
          unavailable_reason: x.unavailable_reason,
          vpc_name: x.vpc_name,
        })),
        restoreWindows: inst.restoreWindows.map((w) => ({ start_time: w.start_time, end_time: w.end_time })),
        ...(inst.relatedDataNodes ? { relatedDataNodes: inst.relatedDataNodes.map(relatedDataNode) } : {}),
      })),
      ...(p.targetDataNodes
        ? {
            targetDataNodes: Object.fromEntries(
              Object.entries(p.targetDataNodes).map(([k, v]) => [k, v.map(targetDataNode)]),
            ),
          }
        : {}),
    })),
  };
}

/** Read and check a fixture file (JSON). Throws ConfigurationError saying which file and what is wrong. */
export function loadFixture(path: string): Fixture {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code ?? "read error";
    throw new ConfigurationError(`cannot read emulator fixture ${path}: ${code}`, ["data"]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigurationError(`emulator fixture ${path} is not valid JSON: ${(e as Error).message}`, [
      "data",
    ]);
  }
  return parseFixture(value, `fixture ${path}`);
}

/** The project the emulator's credentials name: the first one named after the region, else the first. */
export function primaryProject(f: Fixture): FixtureProject {
  return f.projects.find((p) => p.name === f.region) ?? f.projects[0];
}

// ---------------------------------------------------------------------------------------
// Built-in data

/** Epoch ms to the API's time form, e.g. `2025-05-20T09:40:40+0000`. */
export function formatApiTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "+0000");
}

/**
 * The demo data. Project `619d3e78f61b4be68bc5aa0b59edcf7b` (`ap-southeast-1`) holds the
 * contract's source instance `1f5c9fd6cd984056ba89c8c87cc03278in09`, whose first restorable
 * instance and last restore window are the contract's examples, plus an unavailable target
 * with a reason, a target in a second VPC, three windows in all, and a second source with
 * nothing restorable (an empty answer). Project `0b5e6c2a9d8f4e7a8c1b2d3e4f5a6b7c`
 * (`cn-north-4`) is there for region lookups. A fresh copy each call.
 */
export function defaultFixture(): Fixture {
  const f = builtInFixture();
  const restore = defaultRestoreData();
  for (const p of f.projects) {
    for (const inst of p.instances) {
      const related = restore.relatedBySource[inst.id];
      if (related) inst.relatedDataNodes = related;
    }
    const targets = restore.targetsByProject[p.id];
    if (targets) p.targetDataNodes = targets;
  }
  return f;
}

function builtInFixture(): Fixture {
  return {
    region: DEFAULT_REGION,
    credentials: { ...DEFAULT_CREDENTIALS },
    projects: [
      {
        id: CONTRACT_EXAMPLE.projectId,
        name: DEFAULT_REGION,
        instances: [
          {
            id: CONTRACT_EXAMPLE.sourceInstanceId,
            name: "ddm-orders",
            restorableInstances: [
              {
                instance_id: CONTRACT_EXAMPLE.targetInstanceId,
                instance_name: CONTRACT_EXAMPLE.targetInstanceName,
                status: "normal",
                available: true,
                unavailable_reason: "",
                vpc_name: CONTRACT_EXAMPLE.vpcName,
              },
              {
                instance_id: "8d2f4a1c0e6b4f3a9c7d5e2b1a0f9c8din09",
                instance_name: "ddm-orders-restore-drill",
                status: "normal",
                available: true,
                unavailable_reason: "",
                vpc_name: CONTRACT_EXAMPLE.vpcName,
              },
              {
                instance_id: "c4e1b7a9d2f04c6e8b3a5d7f9e1c2b4ain09",
                instance_name: "ddm-orders-legacy",
                status: "normal",
                available: false,
                unavailable_reason: "The DDM instance version is earlier than that of the source instance.",
                vpc_name: CONTRACT_EXAMPLE.vpcName,
              },
              {
                instance_id: "e7b3d5f1a9c24e8b9d0f1a2b3c4d5e6fin09",
                instance_name: "ddm-analytics",
                status: "normal",
                available: true,
                unavailable_reason: "",
                vpc_name: "vpc-analytics-10",
              },
              {
                instance_id: "2a4c6e8f0b1d43f5a7c9e1b3d5f7a9c0in09",
                instance_name: "ddm-orders-frozen",
                status: "frozen",
                available: false,
                unavailable_reason: "The instance is frozen.",
                vpc_name: "vpc-analytics-10",
              },
            ],
            restoreWindows: [
              { start_time: "2025-05-18T02:00:00+0000", end_time: "2025-05-19T06:30:00+0000" },
              { start_time: "2025-05-19T07:10:12+0000", end_time: "2025-05-20T08:55:00+0000" },
              { start_time: CONTRACT_EXAMPLE.windowStart, end_time: CONTRACT_EXAMPLE.windowEnd },
            ],
          },
          {
            id: "5e7a9c1b3d5f4e6a8b0c2d4e6f8a0b1cin09",
            name: "ddm-empty",
            restorableInstances: [],
            restoreWindows: [],
          },
        ],
      },
      {
        id: "0b5e6c2a9d8f4e7a8c1b2d3e4f5a6b7c",
        name: "cn-north-4",
        instances: [
          {
            id: "9a8b7c6d5e4f40312a1b2c3d4e5f6a7bin09",
            name: "ddm-beijing",
            restorableInstances: [
              {
                instance_id: "7f6e5d4c3b2a41908f7e6d5c4b3a2918in09",
                instance_name: "ddm-beijing-restore",
                status: "normal",
                available: true,
                unavailable_reason: "",
                vpc_name: "vpc-bj-192",
              },
            ],
            restoreWindows: [
              { start_time: "2025-05-20T00:00:00+0000", end_time: "2025-05-21T00:00:00+0000" },
            ],
          },
        ],
      },
    ],
  };
}

export { generateFixture, prng } from "./fixture-generate";
export type { GenerateFixtureOptions } from "./fixture-generate";
