/** The two IAM calls the client makes: the password → token exchange and the project list. */
import { randomBytes } from "node:crypto";
import { registerSecret } from "../provider/errors";
import { EMULATOR_ERRORS, HttpFailure } from "./http-errors";
import { Fixture, FixtureProject } from "./fixture";
import { IssuedToken, iamTime } from "./auth";

/** A 201 answer to `POST /v3/auth/tokens`: the body, and the token for `X-Subject-Token`. */
export interface TokenAnswer {
  body: { token: Record<string, unknown> };
  subjectToken: string;
}

/**
 * Check a password token request against the fixture's credentials and issue a token (kept in
 * `issued`, expired ones dropped) scoped to the requested project, or to the domain.
 */
export function issueToken(
  fixture: Fixture,
  issued: Map<string, IssuedToken>,
  issuedAtMs: number,
  lifetimeMs: number,
  body: Buffer,
  rawQuery: string,
): TokenAnswer {
  const bad = (detail: string): never => {
    const e = EMULATOR_ERRORS.iamBadRequest;
    throw new HttpFailure(e.status, e.code, `${e.msg} ${detail}`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    bad("The request body is not valid JSON.");
  }
  type Named = { name?: unknown; id?: unknown };
  const auth = (parsed as { auth?: Record<string, unknown> } | null)?.auth;
  const identity = auth?.identity as
    { methods?: unknown; password?: { user?: Record<string, unknown> } } | undefined;
  if (!identity || !Array.isArray(identity.methods) || !identity.methods.includes("password"))
    bad('auth.identity.methods must include "password".');
  const user = identity?.password?.user;
  const domain = user?.domain as Named | undefined;
  if (typeof user?.name !== "string" || typeof user?.password !== "string")
    bad("auth.identity.password.user needs name and password.");
  if (typeof domain?.name !== "string" && typeof domain?.id !== "string")
    bad("auth.identity.password.user.domain needs name or id.");
  const scope = auth?.scope as { project?: Named; domain?: Named } | undefined;
  if (!scope || (!scope.project && !scope.domain)) bad("auth.scope needs a project or a domain.");
  const c = fixture.credentials;
  const domainOk = domain?.name !== undefined ? domain.name === c.domainName : domain?.id === c.domainId;
  if (!domainOk || user?.name !== c.userName || user?.password !== c.password) {
    const e = EMULATOR_ERRORS.iamBadCredentials;
    throw new HttpFailure(e.status, e.code, e.msg);
  }
  let project: FixtureProject | undefined;
  if (scope?.project) {
    const p = scope.project;
    project =
      typeof p.id === "string"
        ? fixture.projects.find((x) => x.id === p.id)
        : typeof p.name === "string"
          ? fixture.projects.find((x) => x.name === p.name)
          : undefined;
    if (!project) {
      const e = EMULATOR_ERRORS.iamNoProject;
      throw new HttpFailure(e.status, e.code, e.msg);
    }
  }
  const expiresAtMs = issuedAtMs + lifetimeMs;
  for (const [k, v] of issued) if (v.expiresAtMs <= issuedAtMs) issued.delete(k);
  const token = `hwddm-emulator-issued-${randomBytes(24).toString("hex")}`;
  registerSecret(token);
  issued.set(token, { issuedAtMs, expiresAtMs, ...(project ? { projectId: project.id } : {}) });
  const domainInfo = { id: c.domainId, name: c.domainName };
  const out: Record<string, unknown> = {
    expires_at: iamTime(expiresAtMs),
    issued_at: iamTime(issuedAtMs),
    methods: ["password"],
    user: { id: c.userId, name: c.userName, domain: domainInfo, password_expires_at: "" },
    roles: [{ id: "0", name: "op_service" }],
  };
  if (project) out.project = { id: project.id, name: project.name, domain: domainInfo };
  else out.domain = domainInfo;
  if (!new URLSearchParams(rawQuery).has("nocatalog")) out.catalog = [];
  return { body: { token: out }, subjectToken: token };
}

/** `GET /v3/projects?name=`: the fixture's projects, filtered by name when one is given. */
export function listProjects(fixture: Fixture, baseUrl: string, rawQuery: string): Record<string, unknown> {
  const q = new URLSearchParams(rawQuery);
  const name = q.get("name");
  const c = fixture.credentials;
  const projects = fixture.projects
    .filter((p) => name === null || p.name === name)
    .map((p) => ({
      id: p.id,
      name: p.name,
      domain_id: c.domainId,
      parent_id: c.domainId,
      description: "",
      enabled: true,
      is_domain: false,
      links: { self: `${baseUrl}/v3/projects/${p.id}` },
    }));
  return {
    projects,
    links: { self: `${baseUrl}/v3/projects${rawQuery ? `?${rawQuery}` : ""}`, previous: null, next: null },
  };
}
