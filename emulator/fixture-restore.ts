/**
 * The fixture's restore data: the data nodes (RDS instances) behind each DDM instance, in
 * the wire form of `docs/api/ddm-restore-jobs-v3.md`.
 *
 *   - `FixtureInstance.relatedDataNodes`: the source's data nodes, as `related-dn` answers;
 *   - `FixtureProject.targetDataNodes`: per target DDM instance id, its data nodes with their
 *     availability, as `restorable-data-node` answers.
 *
 * Both are optional (older fixture files have neither); when present they are checked here.
 */

/** One data node of a source DDM instance (`RelatedDn`), as `related-dn` sends it. */
export interface RelatedDataNodeRecord {
  /** The data node's (RDS instance's) id. */
  instance_id: string;
  instance_name: string;
  /** e.g. `normal`, `abnormal`. */
  instance_status: string;
  /** e.g. `mysql`. */
  engine_name: string;
  /** Disk size in bytes (a JSON number), e.g. 40000000000. */
  data_volume_size: number;
  /** e.g. `8.0.32`. */
  version: string;
}

/** One data node of a target DDM instance (`TargetDn4Restore`), as `restorable-data-node` sends it. */
export interface TargetDataNodeRecord {
  instance_id: string;
  instance_name: string;
  engine_name: string;
  status: string;
  /** Whether a source data node can be restored onto it. */
  available: boolean;
  /** Why not; `""` when available. */
  unavailable_reason: string;
  vpc_name: string;
  private_ip: string;
}

/** Target DDM instance id → its data nodes. */
export type TargetDataNodes = Record<string, TargetDataNodeRecord[]>;

/** A related data node in the wire's field order. */
export function relatedDataNode(n: RelatedDataNodeRecord): RelatedDataNodeRecord {
  return {
    instance_id: n.instance_id,
    instance_name: n.instance_name,
    instance_status: n.instance_status,
    engine_name: n.engine_name,
    data_volume_size: n.data_volume_size,
    version: n.version,
  };
}

/** A target data node in the wire's field order. */
export function targetDataNode(n: TargetDataNodeRecord): TargetDataNodeRecord {
  return {
    instance_id: n.instance_id,
    instance_name: n.instance_name,
    engine_name: n.engine_name,
    status: n.status,
    available: n.available,
    unavailable_reason: n.unavailable_reason,
    vpc_name: n.vpc_name,
    private_ip: n.private_ip,
  };
}

// ---------------------------------------------------------------------------------------
// Built-in data

/** 40 GB, the size in the reference's example. */
const DN_BYTES = 40_000_000_000;

/** A normal MySQL 8.0.32 source data node. */
export function sourceDn(instanceId: string, name: string, bytes = DN_BYTES): RelatedDataNodeRecord {
  return {
    instance_id: instanceId,
    instance_name: name,
    instance_status: "normal",
    engine_name: "mysql",
    data_volume_size: bytes,
    version: "8.0.32",
  };
}

/** A target data node; available unless a reason is given. */
export function targetDn(
  instanceId: string,
  name: string,
  vpcName: string,
  privateIp: string,
  unavailableReason = "",
): TargetDataNodeRecord {
  return {
    instance_id: instanceId,
    instance_name: name,
    engine_name: "mysql",
    status: "normal",
    available: unavailableReason === "",
    unavailable_reason: unavailableReason,
    vpc_name: vpcName,
    private_ip: privateIp,
  };
}

export const DN_UNAVAILABLE_REASONS = [
  "The instance is already associated with another DDM instance.",
  "The instance is not in the same VPC as the target DDM instance.",
  "The instance version is earlier than that of the source data node.",
];

/**
 * Data nodes for generated fixtures: `perSource` source data nodes and, for each of the
 * first `targetsWithNodes` available targets, `perTarget` available data nodes plus (every
 * third target) one unavailable one. `nextHex(n)` supplies the id digits (deterministic).
 */
export function generateDataNodes(
  sourceIndex: number,
  availableTargets: { instance_id: string; vpc_name: string }[],
  opts: { perSource: number; perTarget: number; targetsWithNodes: number },
  nextHex: (n: number) => string,
  dataNodeIds: Set<string>,
): { related: RelatedDataNodeRecord[]; targets: TargetDataNodes } {
  const dnId = (): string => {
    let v = `${nextHex(32)}in01`;
    while (dataNodeIds.has(v)) v = `${nextHex(32)}in01`;
    dataNodeIds.add(v);
    return v;
  };
  const related: RelatedDataNodeRecord[] = [];
  for (let d = 0; d < opts.perSource; d++)
    related.push(sourceDn(dnId(), `ddm-source-${sourceIndex + 1}-dn-${d + 1}`, DN_BYTES * (d + 1)));
  const targets: TargetDataNodes = {};
  availableTargets.slice(0, opts.targetsWithNodes).forEach((t, ti) => {
    const nodes: TargetDataNodeRecord[] = [];
    for (let d = 0; d < opts.perTarget; d++)
      nodes.push(
        targetDn(dnId(), `rds-target-${ti + 1}-${d + 1}`, t.vpc_name, `192.168.${ti % 250}.${10 + d}`),
      );
    if (ti % 3 === 2)
      nodes.push(
        targetDn(
          dnId(),
          `rds-target-${ti + 1}-busy`,
          t.vpc_name,
          `192.168.${ti % 250}.200`,
          DN_UNAVAILABLE_REASONS[ti % DN_UNAVAILABLE_REASONS.length],
        ),
      );
    targets[t.instance_id] = nodes;
  });
  return { related, targets };
}

/**
 * The data nodes of `defaultFixture()`: the contract's source `1f5c9fd6…in09` has two; each
 * of its available targets has two available ones, and the contract's example target
 * `3b65c609…in09` one more, unavailable, with a reason. The `cn-north-4` source and its one
 * target have one each. Keyed by source instance id and by project id.
 */
export function defaultRestoreData(): {
  relatedBySource: Record<string, RelatedDataNodeRecord[]>;
  targetsByProject: Record<string, TargetDataNodes>;
} {
  const vpc = "vpc-ddm-172";
  return {
    relatedBySource: {
      "1f5c9fd6cd984056ba89c8c87cc03278in09": [
        sourceDn("a1c3e5f7091b4d6f8a0c2e4f6a8b0d1cin01", "ddm-orders-dn-01"),
        sourceDn("b2d4f6a8102c4e7a9b1d3f5a7c9e1f2ain01", "ddm-orders-dn-02", 80_000_000_000),
      ],
      "9a8b7c6d5e4f40312a1b2c3d4e5f6a7bin09": [
        sourceDn("c0ffee00112233445566778899aabbccin01", "ddm-beijing-dn-01"),
      ],
    },
    targetsByProject: {
      "619d3e78f61b4be68bc5aa0b59edcf7b": {
        "3b65c609427c4b20bc0ae93e161dc7adin09": [
          targetDn("d3e5f7a9b1c34d5e8f0a2b4c6d8e0f1ain01", "rds-agent-restore-01", vpc, "192.168.0.21"),
          targetDn("e4f6a8b0c2d44e6f9a1b3c5d7e9f1a2bin01", "rds-agent-restore-02", vpc, "192.168.0.22"),
          targetDn(
            "f5a7b9c1d3e54f7a0b2c4d6e8f0a1b3cin01",
            "rds-agent-in-use",
            vpc,
            "192.168.0.23",
            DN_UNAVAILABLE_REASONS[0],
          ),
        ],
        "8d2f4a1c0e6b4f3a9c7d5e2b1a0f9c8din09": [
          targetDn("0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5in01", "rds-drill-01", vpc, "192.168.0.31"),
          targetDn("1b2c3d4e5f6a47b8c9d0e1f2a3b4c5d6in01", "rds-drill-02", vpc, "192.168.0.32"),
        ],
        e7b3d5f1a9c24e8b9d0f1a2b3c4d5e6fin09: [
          targetDn(
            "2c3d4e5f6a7b48c9d0e1f2a3b4c5d6e7in01",
            "rds-analytics-01",
            "vpc-analytics-10",
            "10.0.0.41",
          ),
          targetDn(
            "3d4e5f6a7b8c49d0e1f2a3b4c5d6e7f8in01",
            "rds-analytics-02",
            "vpc-analytics-10",
            "10.0.0.42",
          ),
        ],
      },
      "0b5e6c2a9d8f4e7a8c1b2d3e4f5a6b7c": {
        "7f6e5d4c3b2a41908f7e6d5c4b3a2918in09": [
          targetDn(
            "4e5f6a7b8c9d40e1f2a3b4c5d6e7f8a9in01",
            "rds-beijing-restore-01",
            "vpc-bj-192",
            "192.168.1.11",
          ),
        ],
      },
    },
  };
}
