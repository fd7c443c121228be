/**
 * The source instance id flows out of a resource that does not exist yet at the first
 * preview: its `id` is unknown then, so the invoke cannot run and its result is unknown;
 * `pulumi up` creates the resource, and the invoke runs with the real id.
 */
import * as pulumi from "@pulumi/pulumi";
import * as hwddm from "pulumi-hwddm";

const config = new pulumi.Config();

/** A resource whose id (the instance id it is given) is only known once it is created. */
class SourceInstance extends pulumi.dynamic.Resource {
  constructor(name: string, instanceId: string) {
    super(
      {
        async create(inputs: { instanceId: string }) {
          return { id: inputs.instanceId, outs: {} };
        },
      },
      name,
      { instanceId },
      {},
    );
  }
}

const source = new SourceInstance("source", config.require("sourceInstanceId"));
const candidates = hwddm.backup.getRestorableInstancesOutput({ instanceId: source.id });

export const candidateCount = candidates.total;
export const targetInstanceId = candidates.apply((r) => hwddm.selectRestoreTarget(r).instanceId);
