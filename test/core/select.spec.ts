import { expect } from "chai";
import { SelectionError, ValidationError } from "../../provider/errors";
import {
  RestoreTimeOptions,
  TargetCriteria,
  selectRestoreTarget,
  selectRestoreTime,
} from "../../provider/select";
import type { RestorableInstance, RestoreTimeIntervalOut } from "../../provider/types";

function inst(id: string, over: Partial<RestorableInstance> = {}): RestorableInstance {
  return {
    instanceId: id,
    instanceName: `ddm-${id}`,
    status: "normal",
    available: true,
    unavailableReason: "",
    vpcName: "vpc-a",
    ...over,
  };
}

const instances = {
  instances: [
    inst("a", { available: false, unavailableReason: "engine version too old" }),
    inst("b", { vpcName: "vpc-b" }),
    inst("c", { status: "frozen", instanceName: "ddm-c-test" }),
    inst("d", { instanceName: "ddm-prod-d", vpcName: "vpc-b" }),
  ],
};

function win(start: string, end: string): RestoreTimeIntervalOut {
  const s = Date.parse(start);
  const e = Date.parse(end);
  return {
    startTime: new Date(s).toISOString(),
    endTime: new Date(e).toISOString(),
    startTimeEpochMs: s,
    endTimeEpochMs: e,
  };
}

const windows = {
  intervals: [
    win("2025-05-20T09:40:40Z", "2025-05-21T11:15:43Z"),
    win("2025-05-22T00:00:00Z", "2025-05-22T06:00:00Z"),
  ],
};

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
}

describe("selectRestoreTarget", () => {
  it("with no criteria returns the first available instance", () => {
    expect(selectRestoreTarget(instances).instanceId).to.equal("b");
    expect(selectRestoreTarget(instances, {}).instanceId).to.equal("b");
  });

  const cases: [string, TargetCriteria, string][] = [
    ["instanceId", { instanceId: "c" }, "c"],
    ["exact name", { name: "ddm-prod-d" }, "d"],
    ["nameRegex", { nameRegex: "test$" }, "c"],
    ["vpcName", { vpcName: "vpc-b" }, "b"],
    ["status", { status: "frozen" }, "c"],
    ["several criteria together", { vpcName: "vpc-b", nameRegex: "prod" }, "d"],
  ];
  for (const [what, criteria, expected] of cases) {
    it(`matches by ${what}`, () => {
      expect(selectRestoreTarget(instances, criteria)).to.deep.equal(
        instances.instances.find((i) => i.instanceId === expected),
      );
    });
  }

  it("ignores undefined criteria", () => {
    expect(selectRestoreTarget(instances, { name: undefined, vpcName: "vpc-b" }).instanceId).to.equal("b");
  });

  it("never picks an unavailable instance, even when it is asked for by id, and says why", () => {
    const e = thrown(() => selectRestoreTarget(instances, { instanceId: "a" }));
    expect(SelectionError.isInstance(e)).to.equal(true);
    expect(e.message).to.contain('"ddm-a" ("a"): status "normal", available false');
    expect(e.message).to.contain('unavailableReason "engine version too old"');
    expect(e.message).to.contain("not available");
  });

  it("quotes names from the API, so a line break or terminal escape in one cannot forge a line", () => {
    const hostile = {
      instances: [
        {
          instanceId: "x",
          instanceName: "evil\n  - \u001b[32mfake (y): status normal, available true",
          status: "normal",
          available: false,
          unavailableReason: "reason\r\nwith break",
          vpcName: "v",
        },
      ],
    };
    const e = thrown(() => selectRestoreTarget(hostile));
    expect(e.message.split("\n")).to.have.length(2);
    expect(e.message).to.not.contain("\u001b");
    expect(e.message).to.contain('"evil\\n  - \\u001b[32mfake (y): status normal, available true"');
  });

  it("lists every candidate with its status, availability and every reason it did not match", () => {
    const e = thrown(() => selectRestoreTarget(instances, { vpcName: "vpc-z", status: "normal" }));
    expect(SelectionError.isInstance(e)).to.equal(true);
    expect(e.message).to.contain('matching vpcName "vpc-z", status "normal" among 4 candidates');
    for (const id of ["a", "b", "c", "d"]) expect(e.message).to.contain(`ddm-`).and.to.contain(`("${id}")`);
    expect(e.message).to.contain('vpcName "vpc-a" is not "vpc-z"');
    expect(e.message).to.contain('status "frozen" is not "normal"');
    expect(e.message.split("\n")).to.have.length(5);
  });

  it("explains a name and a regex mismatch", () => {
    const e = thrown(() => selectRestoreTarget(instances, { name: "x", nameRegex: "^zz" }));
    expect(e.message).to.contain('name is not "x"');
    expect(e.message).to.contain("name does not match /^zz/");
  });

  it("says when there are no candidates at all", () => {
    const e = thrown(() => selectRestoreTarget({ instances: [] }));
    expect(SelectionError.isInstance(e)).to.equal(true);
    expect(e.message).to.contain("no restorable instances");
  });

  it("fails when no instance is available and no criteria are given", () => {
    const e = thrown(() => selectRestoreTarget({ instances: [inst("x", { available: false })] }));
    expect(e.message).to.contain("(no criteria)");
  });

  const badCriteria: [string, unknown, string[]][] = [
    ["a non-object", "b", ["criteria"]],
    ["an unknown key", { vpc: "vpc-a" }, ["vpc"]],
    ["a non-string value", { status: 5 }, ["status"]],
    ["an empty string", { name: "" }, ["name"]],
    ["a bad regex", { nameRegex: "(" }, ["nameRegex"]],
    ["several at once", { nameRegex: "[", vpcName: 1, extra: true }, ["extra", "nameRegex", "vpcName"]],
  ];
  for (const [what, criteria, properties] of badCriteria) {
    it(`refuses criteria with ${what} as a ValidationError`, () => {
      const e = thrown(() => selectRestoreTarget(instances, criteria as TargetCriteria));
      expect(ValidationError.isInstance(e)).to.equal(true);
      expect((e as ValidationError).failures.map((f) => f.property).sort()).to.deep.equal(properties);
    });
  }

  it("refuses a value that is not a result", () => {
    const e = thrown(() => selectRestoreTarget({} as never));
    expect((e as ValidationError).field).to.equal("result");
  });
});

describe("selectRestoreTime", () => {
  it("latest is the latest window end", () => {
    expect(selectRestoreTime(windows, { latest: true })).to.deep.equal({
      time: "2025-05-22T06:00:00.000Z",
      epochMs: Date.parse("2025-05-22T06:00:00Z"),
    });
  });

  it("latest keeps the margin from the end", () => {
    expect(selectRestoreTime(windows, { latest: true, marginSeconds: 300 }).time).to.equal(
      "2025-05-22T05:55:00.000Z",
    );
  });

  it("accepts a margin as a duration string", () => {
    expect(selectRestoreTime(windows, { latest: true, marginSeconds: "1h" }).time).to.equal(
      "2025-05-22T05:00:00.000Z",
    );
  });

  it("latest falls back to an earlier window when the latest is too short for the margin", () => {
    const w = {
      intervals: [
        win("2025-05-20T00:00:00Z", "2025-05-20T12:00:00Z"),
        win("2025-05-21T00:00:00Z", "2025-05-21T00:01:00Z"),
      ],
    };
    expect(selectRestoreTime(w, { latest: true, marginSeconds: 60 }).time).to.equal(
      "2025-05-20T11:59:00.000Z",
    );
  });

  it("latest accepts a window exactly twice the margin long (edges inclusive)", () => {
    const w = { intervals: [win("2025-05-21T00:00:00Z", "2025-05-21T00:02:00Z")] };
    expect(selectRestoreTime(w, { latest: true, marginSeconds: 60 }).time).to.equal(
      "2025-05-21T00:01:00.000Z",
    );
  });

  it("latest fails, naming the windows and the margin, when no window is long enough", () => {
    const e = thrown(() => selectRestoreTime(windows, { latest: true, marginSeconds: "1 day" as never }));
    expect(ValidationError.isInstance(e)).to.equal(true); // "1 day" is not a duration we take
    const e2 = thrown(() => selectRestoreTime(windows, { latest: true, marginSeconds: 24 * 3600 }));
    expect(SelectionError.isInstance(e2)).to.equal(true);
    expect(e2.message).to.contain("margin of 86400 s");
    expect(e2.message).to.contain("2025-05-20T09:40:40.000Z .. 2025-05-21T11:15:43.000Z");
    expect(e2.message).to.contain("2025-05-22T00:00:00.000Z .. 2025-05-22T06:00:00.000Z");
  });

  it("latest fails when there are no windows", () => {
    const e = thrown(() => selectRestoreTime({ intervals: [] }, { latest: true }));
    expect(SelectionError.isInstance(e)).to.equal(true);
    expect(e.message).to.contain("no restore windows");
  });

  const atCases: [string, RestoreTimeOptions, string | undefined][] = [
    ["inside a window", { at: "2025-05-21T00:00:00Z" }, "2025-05-21T00:00:00.000Z"],
    ["at a start edge with no margin", { at: "2025-05-20T09:40:40+0000" }, "2025-05-20T09:40:40.000Z"],
    [
      "at an end edge with no margin, as epoch ms",
      { at: Date.parse("2025-05-22T06:00:00Z") },
      "2025-05-22T06:00:00.000Z",
    ],
    ["given in +08:00", { at: "2025-05-22T08:00:00+08:00" }, "2025-05-22T00:00:00.000Z"],
    [
      "exactly the margin from the start",
      { at: "2025-05-22T00:05:00Z", marginSeconds: 300 },
      "2025-05-22T00:05:00.000Z",
    ],
    ["inside the margin at the start", { at: "2025-05-22T00:04:59Z", marginSeconds: 300 }, undefined],
    ["inside the margin at the end", { at: "2025-05-22T05:55:01Z", marginSeconds: 300 }, undefined],
    ["between windows", { at: "2025-05-21T12:00:00Z" }, undefined],
    ["before every window", { at: "2020-01-01T00:00:00Z" }, undefined],
  ];
  for (const [what, opts, expected] of atCases) {
    it(`at ${what}: ${expected ?? "SelectionError"}`, () => {
      if (expected) {
        const got = selectRestoreTime(windows, opts);
        expect(got).to.deep.equal({ time: expected, epochMs: Date.parse(expected) });
      } else {
        const e = thrown(() => selectRestoreTime(windows, opts));
        expect(SelectionError.isInstance(e)).to.equal(true);
        expect(e.message).to.contain("is not restorable");
        expect(e.message).to.contain("2025-05-22T00:00:00.000Z .. 2025-05-22T06:00:00.000Z");
        if (opts.marginSeconds) expect(e.message).to.contain(`margin of ${opts.marginSeconds} s`);
      }
    });
  }

  const badOpts: [string, unknown, string[]][] = [
    ["not an object", "latest", ["opts"]],
    ["neither latest nor at", {}, ["at"]],
    ["latest false without at", { latest: false }, ["at"]],
    ["both latest and at", { latest: true, at: "2025-05-21T00:00:00Z" }, ["at"]],
    ["latest not a boolean", { latest: "yes" }, ["latest"]],
    ["a bad time", { at: "noon" }, ["at"]],
    ["a negative margin", { latest: true, marginSeconds: -5 }, ["marginSeconds"]],
    ["an unknown option", { latest: true, margin: 5 }, ["margin"]],
  ];
  for (const [what, opts, properties] of badOpts) {
    it(`refuses options with ${what} as a ValidationError`, () => {
      const e = thrown(() => selectRestoreTime(windows, opts as RestoreTimeOptions));
      expect(ValidationError.isInstance(e), String(e)).to.equal(true);
      expect((e as ValidationError).failures.map((f) => f.property)).to.deep.equal(properties);
    });
  }

  it("refuses a value that is not a result", () => {
    const e = thrown(() => selectRestoreTime({ intervals: [{ startTime: "x" }] } as never, { latest: true }));
    expect((e as ValidationError).field).to.equal("result");
  });
});
