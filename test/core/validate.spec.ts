import { expect } from "chai";
import { ValidationError } from "../../provider/errors";
import {
  FailureCollector,
  checkId,
  checkLimit,
  checkOffset,
  idProblem,
  integerProblem,
  toInteger,
} from "../../provider/validate";

function rejection(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(ValidationError.isInstance(e), String(e)).to.equal(true);
    return e as ValidationError;
  }
  throw new Error("expected a ValidationError, nothing was thrown");
}

describe("validate: ids that go into a URL path", () => {
  for (const id of [
    "1f5c9fd6cd984056ba89c8c87cc03278in09",
    "619d3e78f61b4be68bc5aa0b59edcf7b",
    "a.b",
    "a-b_c~d",
    "实例",
    "x".repeat(128),
  ]) {
    it(`accepts ${JSON.stringify(id.length > 20 ? `${id.slice(0, 20)}…` : id)}`, () => {
      expect(idProblem(id)).to.equal(undefined);
      expect(checkId("instanceId", id)).to.equal(id);
    });
  }

  const bad: [unknown, string][] = [
    ["a/b", "a slash"],
    ["a?b", "a question mark"],
    ["a#b", "a hash"],
    ["..", "a parent reference"],
    ["a..b", "two dots inside"],
    ["a%2Fb", "an encoded slash"],
    ["%2E%2E", "encoded dots"],
    ["a\\b", "a backslash"],
    [" abc", "a leading space"],
    ["abc ", "a trailing space"],
    ["a b", "an inner space"],
    ["a\tb", "a tab"],
    ["a\nb", "a newline"],
    ["a\u00a0b", "a no-break space"],
    ["a\u2028b", "a line separator"],
    ["a\u0000b", "a NUL"],
    ["a\u001bb", "an escape"],
    ["a\u007fb", "DEL"],
    ["a\u0085b", "a C1 control (NEL)"],
    ["x".repeat(129), "129 characters"],
    ["x".repeat(10_000), "10 000 characters"],
    ["", "the empty string"],
    [undefined, "nothing"],
    [null, "null"],
    [42, "a number"],
    [["abc"], "an array"],
    [{ id: "abc" }, "an object"],
  ];
  for (const [value, what] of bad) {
    it(`rejects ${what}, naming the field and what is allowed`, () => {
      expect(idProblem(value)).to.be.a("string");
      const e = rejection(() => checkId("instanceId", value));
      expect(e.field).to.equal("instanceId");
      expect(e.failures).to.deep.equal([{ property: "instanceId", reason: idProblem(value) }]);
      expect(e.message).to.include("invalid instanceId").and.include('without "/", "?", "#"');
    });
  }

  it("shows a 10 000-character id cut short, with its length", () => {
    const e = rejection(() => checkId("projectId", "x".repeat(10_000)));
    expect(e.message.length).to.be.below(400);
    expect(e.message).to.include("(10000 characters)");
  });
});

describe("validate: ids with lone UTF-16 surrogates", () => {
  it("refuses a lone high or low surrogate as a ValidationError, and keeps a proper pair", () => {
    for (const id of ["a\uD800", "\uDC00b", "a\uDBFFc\uDFFF".slice(0, 3)]) {
      expect(idProblem(id), JSON.stringify(id)).to.match(/lone UTF-16 surrogate/);
      expect(() => checkId("instanceId", id)).to.throw(ValidationError);
    }
    expect(idProblem("a\uD83D\uDE00b")).to.equal(undefined);
  });
});

describe("validate: offset and limit", () => {
  it("offset accepts 0 and large integers", () => {
    expect(checkOffset(0)).to.equal(0);
    expect(checkOffset(250)).to.equal(250);
    expect(checkOffset(1e9)).to.equal(1e9);
  });

  it("limit accepts 1, 128, 129 and 1e9 (the most records in all, not a page size)", () => {
    for (const n of [1, 128, 129, 1e9]) expect(checkLimit(n)).to.equal(n);
  });

  const badBoth: [unknown, string][] = [
    [-1, "-1"],
    [1.5, "1.5"],
    ["10", 'the string "10" (function arguments are typed)'],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [2 ** 53, "2^53 (not a safe integer)"],
    [null, "null"],
    [true, "true"],
  ];
  for (const [value, what] of badBoth) {
    it(`offset and limit both reject ${what}, naming their field`, () => {
      expect(rejection(() => checkOffset(value)).failures[0].property).to.equal("offset");
      expect(rejection(() => checkLimit(value)).failures[0].property).to.equal("limit");
    });
  }

  it("limit rejects 0 and says integers >= 1 are allowed; offset says >= 0", () => {
    expect(rejection(() => checkLimit(0)).message).to.equal("invalid limit: got 0; expected an integer >= 1");
    expect(rejection(() => checkOffset(-1)).message).to.equal(
      "invalid offset: got -1; expected an integer >= 0",
    );
  });

  it("a custom field name is used in the failure", () => {
    expect(rejection(() => checkLimit(0, "pageLimit")).field).to.equal("pageLimit");
  });

  it("integerProblem checks an upper bound when given one", () => {
    expect(integerProblem(128, 1, 128)).to.equal(undefined);
    expect(integerProblem(129, 1, 128)).to.equal("got 129; expected an integer from 1 to 128");
    expect(integerProblem("5", 1)).to.match(/got "5"/);
  });

  it("toInteger converts integers and strings of digits, nothing else", () => {
    expect(toInteger(10)).to.equal(10);
    expect(toInteger("10")).to.equal(10);
    expect(toInteger(" 7 ")).to.equal(7);
    expect(toInteger("-3")).to.equal(-3);
    for (const v of [1.5, "1.5", "1e3", "", "abc", "1234567890123456", Number.NaN, null, undefined, true]) {
      expect(toInteger(v), String(v)).to.equal(undefined);
    }
  });
});

describe("validate: FailureCollector", () => {
  it("collects every failure, returns checked values, and throws one ValidationError listing all", () => {
    const c = new FailureCollector();
    expect(c.check(() => checkId("instanceId", "ok-id"))).to.equal("ok-id");
    expect(c.check(() => checkId("instanceId", "a/b"))).to.equal(undefined);
    expect(c.check(() => checkOffset(-1))).to.equal(undefined);
    expect(c.check(() => checkLimit(0))).to.equal(undefined);
    c.add("token", "unknown function hwddm:x");
    expect(c.failures.map((f) => f.property)).to.deep.equal(["instanceId", "offset", "limit", "token"]);
    const e = rejection(() => c.throwIfAny());
    expect(e.failures).to.have.length(4);
    expect(e.field).to.equal("instanceId");
    expect(e.message).to.match(
      /^invalid input: instanceId: .*; offset: .*; limit: .*; token: unknown function hwddm:x$/,
    );
  });

  it("throwIfAny does nothing when every check passed", () => {
    const c = new FailureCollector();
    c.check(() => checkOffset(0));
    expect(() => c.throwIfAny()).not.to.throw();
    expect(c.failures).to.deep.equal([]);
  });

  it("lets errors that are not validation errors through", () => {
    const c = new FailureCollector();
    expect(() =>
      c.check(() => {
        throw new TypeError("bug");
      }),
    ).to.throw(TypeError, "bug");
    expect(c.failures).to.deep.equal([]);
  });

  it("keeps all failures of a multi-failure ValidationError", () => {
    const c = new FailureCollector();
    c.check(() => {
      throw new ValidationError([
        { property: "a", reason: "x" },
        { property: "b", reason: "y" },
      ]);
    });
    expect(c.failures).to.deep.equal([
      { property: "a", reason: "x" },
      { property: "b", reason: "y" },
    ]);
  });
});
