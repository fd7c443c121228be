/**
 * The emulator's error answers and the query checks every DDM route shares: the error table
 * (also in README.md), the failure a handler throws, and DBS's offset/limit rules.
 */

/** Largest `limit` and its default, as DBS pages. */
export const API_DEFAULT_LIMIT = 10;
export const API_MAX_LIMIT = 128;
export const JSON_TYPE = "application/json;charset=UTF-8";

/** Error codes the emulator answers with (also in README.md). */
export const EMULATOR_ERRORS = Object.freeze({
  parameter: { status: 400, code: "DBS.280001", msg: "Parameter error." },
  projectNotFound: { status: 404, code: "DBS.280213", msg: "Project not found." },
  instanceNotFound: { status: 404, code: "DBS.280214", msg: "Instance not found." },
  targetNotFound: { status: 404, code: "DBS.280214", msg: "Target instance not found." },
  jobNotFound: { status: 404, code: "DBS.300400", msg: "The task is not found." },
  targetBusy: {
    status: 409,
    code: "DBS.200019",
    msg: "Another operation is being performed on the instance. Try again later.",
  },
  apiNotFound: {
    status: 404,
    code: "APIGW.0101",
    msg: "The API does not exist or has not been published in the environment.",
  },
  methodNotAllowed: { status: 405, code: "APIGW.0101", msg: "The API request method does not exist." },
  tooLarge: { status: 413, code: "APIGW.0201", msg: "Request entity too large." },
  auth: { status: 401, code: "APIGW.0301", msg: "Incorrect IAM authentication information" },
  iamBadRequest: { status: 400, code: "IAM.0011", msg: "Request parameter error." },
  iamBadCredentials: { status: 401, code: "IAM.0001", msg: "The username or password is wrong." },
  iamNoProject: { status: 400, code: "IAM.0012", msg: "The project in the scope does not exist." },
});

export type EmulatorErrorName = keyof typeof EMULATOR_ERRORS;

/** An error answer: thrown by a handler, sent as `{error_code, error_msg}`. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly msg: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${code}: ${msg}`);
  }
}

/** The failure of a named table entry, its message optionally replaced. */
export function failure(name: EmulatorErrorName, msg?: string): HttpFailure {
  const e = EMULATOR_ERRORS[name];
  return new HttpFailure(e.status, e.code, msg ?? e.msg);
}

export function parameterError(msg?: string): HttpFailure {
  return failure("parameter", msg);
}

/** offset/limit exactly as DBS checks them: absent → default; otherwise a plain integer in range. */
export function pagingOf(query: URLSearchParams): { offset: number; limit: number } {
  const one = (name: string, dflt: number, min: number, max: number): number => {
    const all = query.getAll(name);
    if (all.length === 0) return dflt;
    if (all.length > 1 || !/^\d{1,15}$/.test(all[0])) throw parameterError();
    const n = Number(all[0]);
    if (n < min || n > max) throw parameterError();
    return n;
  };
  return {
    offset: one("offset", 0, 0, Number.MAX_SAFE_INTEGER),
    limit: one("limit", API_DEFAULT_LIMIT, 1, API_MAX_LIMIT),
  };
}
