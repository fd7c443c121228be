import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CONTRACT_EXAMPLE,
  DEFAULT_CREDENTIALS,
  defaultFixture,
  generateFixture,
  loadFixture,
  parseFixture,
  startEmulator,
} from "../../emulator";
import { ConfigurationError } from "../../provider/errors";
import { tryParseApiTime } from "../../provider/time";

function configError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (e) {
    if (ConfigurationError.isInstance(e)) return e;
    throw e;
  }
  throw new Error("expected a ConfigurationError");
}

describe("emulator: fixtures", () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "hwddm-fixture-"));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, content: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
    return path;
  };

  it("the default fixture holds the contract's example values and passes its own check", () => {
    const f = defaultFixture();
    expect(parseFixture(f)).to.deep.equal(f);
    const project = f.projects[0];
    expect(project.id).to.equal(CONTRACT_EXAMPLE.projectId);
    expect(project.name).to.equal(f.region).and.equal("ap-southeast-1");
    const source = project.instances[0];
    expect(source.id).to.equal(CONTRACT_EXAMPLE.sourceInstanceId);
    expect(source.restorableInstances[0]).to.deep.equal({
      instance_id: "3b65c609427c4b20bc0ae93e161dc7adin09",
      instance_name: "ddm-agent-create-instance1",
      status: "normal",
      available: true,
      unavailable_reason: "",
      vpc_name: "vpc-ddm-172",
    });
    expect(source.restoreWindows).to.deep.include({
      start_time: "2025-05-20T09:40:40+0000",
      end_time: "2025-05-21T11:15:43+0000",
    });
    expect(f.credentials).to.deep.equal(DEFAULT_CREDENTIALS);
  });

  it("the default fixture lets the contract's example source be restored: two source data nodes, two available ones per available target, one unavailable with a reason", () => {
    const f = defaultFixture();
    const project = f.projects[0];
    const source = project.instances[0];
    expect(source.relatedDataNodes).to.have.length(2);
    for (const n of source.relatedDataNodes ?? []) {
      expect(n.data_volume_size).to.be.a("number");
      expect(Object.keys(n)).to.deep.equal([
        "instance_id",
        "instance_name",
        "instance_status",
        "engine_name",
        "data_volume_size",
        "version",
      ]);
    }
    const targets = project.targetDataNodes ?? {};
    for (const t of source.restorableInstances.filter((r) => r.available))
      expect(targets[t.instance_id].filter((n) => n.available).length, t.instance_id).to.be.at.least(2);
    const unavailable = Object.values(targets)
      .flat()
      .filter((n) => !n.available);
    expect(unavailable).to.have.length(1);
    expect(unavailable[0].unavailable_reason).to.not.equal("");
    expect(targets[CONTRACT_EXAMPLE.targetInstanceId]).to.deep.include(unavailable[0]);
  });

  it("checks data nodes when present: fields, types, duplicates, target ids", () => {
    const withNode = (node: unknown) => ({
      projects: [{ id: "p1", name: "ap-southeast-1", instances: [{ id: "i1", relatedDataNodes: [node] }] }],
    });
    const good = {
      instance_id: "dn1",
      instance_name: "a",
      instance_status: "normal",
      engine_name: "mysql",
      data_volume_size: 1,
      version: "8.0",
    };
    expect(parseFixture(withNode(good)).projects[0].instances[0].relatedDataNodes).to.deep.equal([good]);
    expect(configError(() => parseFixture(withNode({ ...good, data_volume_size: "1" }))).message).to.match(
      /projects\[0\]\.instances\[0\]\.relatedDataNodes\[0\]\.data_volume_size/,
    );
    expect(configError(() => parseFixture(withNode({ ...good, extra: 1 }))).message).to.match(
      /relatedDataNodes/,
    );
    const twice = {
      projects: [{ id: "p1", name: "r", instances: [{ id: "i1", relatedDataNodes: [good, good] }] }],
    };
    expect(configError(() => parseFixture(twice)).message).to.match(/duplicate data node dn1/);
    const tdn = {
      instance_id: "t1",
      instance_name: "t",
      engine_name: "mysql",
      status: "normal",
      available: true,
      vpc_name: "v",
      private_ip: "10.0.0.1",
    };
    const targets = (map: unknown) => ({ projects: [{ id: "p1", name: "r", targetDataNodes: map }] });
    expect(parseFixture(targets({ x1: [tdn] })).projects[0].targetDataNodes).to.deep.equal({
      x1: [{ ...tdn, unavailable_reason: "" }],
    });
    expect(configError(() => parseFixture(targets({ x1: [{ ...tdn, available: "yes" }] }))).message).to.match(
      /targetDataNodes/,
    );
    expect(configError(() => parseFixture(targets({ "a/b": [tdn] }))).message).to.match(/target instance id/);
  });

  it("returns a fresh copy each call", () => {
    const a = defaultFixture();
    a.projects[0].instances = [];
    expect(defaultFixture().projects[0].instances).to.have.length(2);
  });

  it("loads a minimal file, filling in region, credentials and empty lists", () => {
    const path = write("minimal.json", {
      projects: [{ id: "p1", name: "ap-southeast-1", instances: [{ id: "i1" }] }],
    });
    const f = loadFixture(path);
    expect(f.region).to.equal("ap-southeast-1");
    expect(f.credentials).to.deep.equal(DEFAULT_CREDENTIALS);
    expect(f.projects[0].instances[0]).to.deep.equal({
      id: "i1",
      restorableInstances: [],
      restoreWindows: [],
    });
  });

  it("keeps credentials a file gives and defaults the others", () => {
    const path = write("creds.json", {
      region: "cn-north-4",
      credentials: { token: "my-own-fake-token", password: "my-own-fake-password" },
      projects: [{ id: "p1", name: "cn-north-4" }],
    });
    const f = loadFixture(path);
    expect(f.credentials.token).to.equal("my-own-fake-token");
    expect(f.credentials.password).to.equal("my-own-fake-password");
    expect(f.credentials.accessKey).to.equal(DEFAULT_CREDENTIALS.accessKey);
  });

  it("accepts unavailable_reason left out (as the contract allows) and serves it as an empty string", () => {
    const f = parseFixture({
      projects: [
        {
          id: "p1",
          name: "r",
          instances: [
            {
              id: "i1",
              restorableInstances: [
                { instance_id: "t", instance_name: "n", status: "normal", available: true, vpc_name: "v" },
              ],
            },
          ],
        },
      ],
    });
    expect(f.projects[0].instances[0].restorableInstances[0].unavailable_reason).to.equal("");
  });

  const invalid: [string, unknown, RegExp][] = [
    ["not JSON", "{ nope", /is not valid JSON/],
    ["no projects", {}, /projects: /],
    ["empty projects", { projects: [] }, /projects: /],
    ["an unknown key", { projects: [{ id: "p", name: "r", extra: 1 }] }, /projects\[0\]: .*extra/],
    [
      "a bad time",
      {
        projects: [
          {
            id: "p",
            name: "r",
            instances: [
              {
                id: "i",
                restoreWindows: [{ start_time: "yesterday", end_time: "2025-05-20T09:40:40+0000" }],
              },
            ],
          },
        ],
      },
      /projects\[0\]\.instances\[0\]\.restoreWindows\[0\]\.start_time: "yesterday" is not/,
    ],
    [
      "a window ending before it starts",
      {
        projects: [
          {
            id: "p",
            name: "r",
            instances: [
              {
                id: "i",
                restoreWindows: [
                  { start_time: "2025-05-21T09:40:40+0000", end_time: "2025-05-20T09:40:40+0000" },
                ],
              },
            ],
          },
        ],
      },
      /end_time: .*before start_time/,
    ],
    [
      "available as a string",
      {
        projects: [
          {
            id: "p",
            name: "r",
            instances: [
              {
                id: "i",
                restorableInstances: [
                  { instance_id: "t", instance_name: "n", status: "s", available: "true", vpc_name: "v" },
                ],
              },
            ],
          },
        ],
      },
      /restorableInstances\[0\]\.available/,
    ],
    ["an id with a slash", { projects: [{ id: "a/b", name: "r" }] }, /projects\[0\]\.id: got "a\/b"/],
    [
      "a duplicate instance id",
      { projects: [{ id: "p", name: "r", instances: [{ id: "i" }, { id: "i" }] }] },
      /projects\[0\]\.instances\[1\]\.id: duplicate instance id i/,
    ],
    [
      "a duplicate project id",
      {
        projects: [
          { id: "p", name: "r" },
          { id: "p", name: "s" },
        ],
      },
      /projects\[1\]\.id: duplicate project id p/,
    ],
    [
      "an empty credential",
      { credentials: { token: "" }, projects: [{ id: "p", name: "r" }] },
      /credentials\.token/,
    ],
  ];
  for (const [what, content, message] of invalid) {
    it(`refuses a file with ${what}, naming the file and the field`, () => {
      const path = write(`${what.replace(/\W+/g, "-")}.json`, content);
      const e = configError(() => loadFixture(path));
      expect(e.message).to.contain(path);
      expect(e.message).to.match(message);
      expect(e.keys).to.deep.equal(["data"]);
    });
  }

  it("refuses a missing file with a clear error", () => {
    const e = configError(() => loadFixture(join(dir, "missing.json")));
    expect(e.message).to.match(/cannot read emulator fixture .*missing\.json: ENOENT/);
  });

  it("startEmulator refuses invalid data before listening", async () => {
    let error: unknown;
    try {
      await startEmulator({ data: { projects: [] } as never });
    } catch (e) {
      error = e;
    }
    expect(ConfigurationError.isInstance(error)).to.equal(true);
  });
});

describe("emulator: generated fixtures", () => {
  it("are deterministic for a seed and differ between seeds", () => {
    const a = generateFixture({ instances: 50, windows: 20, seed: 42 });
    const b = generateFixture({ instances: 50, windows: 20, seed: 42 });
    const c = generateFixture({ instances: 50, windows: 20, seed: 43 });
    expect(a).to.deep.equal(b);
    expect(a).to.not.deep.equal(c);
  });

  it("hold N instances and M windows per source, unique ids, some unavailable with reasons, valid windows", () => {
    const f = generateFixture({ instances: 10_000, windows: 300, sources: 2 });
    expect(() => parseFixture(f)).to.not.throw();
    const [first, second] = f.projects[0].instances;
    expect(first.id).to.equal(CONTRACT_EXAMPLE.sourceInstanceId);
    expect(second.id).to.not.equal(first.id);
    for (const src of [first, second]) {
      expect(src.restorableInstances).to.have.length(10_000);
      expect(src.restoreWindows).to.have.length(300);
    }
    const ids = [first, second].flatMap((s) => s.restorableInstances.map((i) => i.instance_id));
    expect(new Set(ids).size).to.equal(ids.length);
    const unavailable = first.restorableInstances.filter((i) => !i.available);
    expect(unavailable.length).to.be.within(1500, 2500);
    for (const u of unavailable) expect(u.unavailable_reason).to.not.equal("");
    expect(first.restorableInstances[0].instance_name).to.equal("ddm-target-000001");
    const last = first.restoreWindows[first.restoreWindows.length - 1];
    expect(last.end_time).to.equal("2025-05-21T11:15:43+0000");
    let previousEnd = -Infinity;
    for (const w of first.restoreWindows) {
      const start = tryParseApiTime(w.start_time) as number;
      expect(start).to.be.greaterThan(previousEnd);
      previousEnd = tryParseApiTime(w.end_time) as number;
    }
  });

  it("give each source data nodes and its first available targets available data nodes, deterministically", () => {
    const f = generateFixture({ instances: 40, windows: 2, sources: 2, seed: 5 });
    expect(generateFixture({ instances: 40, windows: 2, sources: 2, seed: 5 })).to.deep.equal(f);
    expect(parseFixture(f)).to.deep.equal(f);
    const project = f.projects[0];
    const targets = project.targetDataNodes ?? {};
    for (const src of project.instances) {
      expect(src.relatedDataNodes).to.have.length(2);
      const available = src.restorableInstances.filter((t) => t.available);
      expect(available.length).to.be.greaterThan(0);
      for (const t of available.slice(0, 32))
        expect(targets[t.instance_id].filter((n) => n.available)).to.have.length(2);
    }
    const all = Object.values(targets).flat();
    expect(all.some((n) => !n.available && n.unavailable_reason !== "")).to.equal(true);
    const ids = [
      ...all.map((n) => n.instance_id),
      ...project.instances.flatMap((s) => (s.relatedDataNodes ?? []).map((n) => n.instance_id)),
    ];
    expect(new Set(ids).size).to.equal(ids.length);
    // The data nodes come from their own generator: the rest is what it was without them.
    const without = generateFixture({ instances: 40, windows: 2, sources: 2, seed: 5, dataNodes: 0 });
    expect(without.projects[0].targetDataNodes).to.equal(undefined);
    expect(without.projects[0].instances.map((s) => s.restorableInstances)).to.deep.equal(
      project.instances.map((s) => s.restorableInstances),
    );
  });

  it("refuses negative or fractional counts", () => {
    expect(() => generateFixture({ instances: -1, windows: 1 })).to.throw(/instances/);
    expect(() => generateFixture({ instances: 1, windows: 1.5 })).to.throw(/windows/);
  });
});
