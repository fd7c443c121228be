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

  it("refuses negative or fractional counts", () => {
    expect(() => generateFixture({ instances: -1, windows: 1 })).to.throw(/instances/);
    expect(() => generateFixture({ instances: 1, windows: 1.5 })).to.throw(/windows/);
  });
});
