/** emulatorEnv / emulatorConfig / emulatorBanner: the core's variable names, one source of truth. */
import { expect } from "chai";
import {
  Emulator,
  EmulatorAuthMode,
  emulatorBanner,
  emulatorConfig,
  emulatorEnv,
  parseFaultSpec,
  startEmulator,
} from "../../emulator";
import { ENV_NAMES, resolveConfig } from "../../provider/config";
import type { ProviderConfigInput } from "../../provider/types";

const MODES: EmulatorAuthMode[] = ["token", "aksk", "password"];

describe("emulator: pointing the core at it", () => {
  let em: Emulator;
  before(async () => {
    em = await startEmulator();
  });
  after(async () => {
    await em.close();
  });

  for (const mode of MODES) {
    it(`emulatorEnv(${mode}) names each config value by the first name ENV_NAMES gives its key`, () => {
      const config = emulatorConfig(em, mode, { securityToken: true });
      const env = emulatorEnv(em, mode, { securityToken: true });
      const expected: Record<string, string> = {};
      for (const [k, v] of Object.entries(config))
        if (v !== undefined) expected[ENV_NAMES[k as keyof ProviderConfigInput][0]] = String(v);
      expect(env).to.deep.equal(expected);
    });

    it(`the core resolves emulatorEnv(${mode}) and emulatorConfig(${mode}) to the same configuration`, () => {
      const fromEnv = resolveConfig({}, undefined, emulatorEnv(em, mode));
      const fromConfig = resolveConfig({}, emulatorConfig(em, mode), {});
      expect(fromEnv).to.deep.equal(fromConfig);
      expect(fromEnv.endpoint).to.equal(em.url);
      expect(fromEnv.projectId).to.equal(em.credentials.projectId);
    });
  }

  it("emulatorBanner prints export lines the core reads, the other modes' switches and the faults", () => {
    const lines = emulatorBanner(em, [parseFaultSpec("503:times=2")]);
    expect(lines[0]).to.equal(`hwddm emulator (DDM + IAM) listening on ${em.url}`);
    const exported: Record<string, string> = {};
    for (const l of lines) {
      const m = /^export (\w+)=(.*)$/.exec(l);
      if (m) exported[m[1]] = m[2];
    }
    expect(exported).to.deep.equal(emulatorEnv(em, "token"));
    const c = em.credentials;
    expect(lines).to.include(
      `# AK/SK instead of the token: unset ${ENV_NAMES.authToken[0]}; export ${ENV_NAMES.accessKey[0]}=${c.accessKey} ${ENV_NAMES.secretKey[0]}=${c.secretKey}`,
    );
    expect(lines).to.include(
      `# IAM password instead: unset ${ENV_NAMES.authToken[0]}; export ${ENV_NAMES.domainName[0]}=${c.domainName} ${ENV_NAMES.userName[0]}=${c.userName} ${ENV_NAMES.password[0]}=${c.password}`,
    );
    expect(lines).to.include("# faults: status:503:times=2");
    expect(lines[lines.length - 1]).to.equal("# Ctrl-C stops it.");
  });
});
