/**
 * An explicit provider's credentials are used whole, whatever the ambient environment holds:
 * the plugin configured with AK/SK or a password, run where HW_AUTH_TOKEN (another account)
 * is set, authenticates with what it was given.
 */
import { expect } from "chai";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { HwddmProvider } from "../../provider/plugin/server";
import { toServiceError } from "../../provider/plugin/grpc-errors";
import { fromStruct, toStruct } from "../../provider/plugin/protocol";
import { wrapSecret } from "../../provider/secret-wire";
import { SOURCE, TestEmulator, asInvokeResponse, startTestEmulator } from "./helpers";

describe("plugin: an explicit provider's credentials come from one layer", () => {
  let em: TestEmulator;
  before(async () => (em = await startTestEmulator()));
  after(() => em.close());

  /** The environment of a machine logged in to another account. */
  const ambient = () => ({
    HW_REGION_NAME: em.config().region as string,
    HW_AUTH_TOKEN: "tok-of-another-account-value",
    HW_SECRET_KEY: "sk-of-another-account-value",
  });

  function configure(provider: HwddmProvider, args: Record<string, unknown>): void {
    const req = new provproto.ConfigureRequest();
    req.setArgs(toStruct(args));
    provider.configure(req);
  }

  function invoke(provider: HwddmProvider) {
    const req = new provproto.InvokeRequest();
    req.setTok("hwddm:backup:getRestorableInstances");
    req.setArgs(toStruct({ instanceId: SOURCE }));
    return provider.invoke(req);
  }

  for (const mode of ["aksk", "password"] as const) {
    it(`uses the configured ${mode} credentials where HW_AUTH_TOKEN is set`, async () => {
      const provider = new HwddmProvider({ env: ambient() });
      const config = em.config(mode);
      const args: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(config))
        if (v !== undefined) args[k] = ["secretKey", "password"].includes(k) ? wrapSecret(v) : v;
      configure(provider, args);
      const res = asInvokeResponse(await invoke(provider));
      expect(res.getFailuresList()).to.deep.equal([]);
      const result = fromStruct(res.getReturn()) as { instances: unknown[] };
      expect(result.instances.length).to.be.above(0);
    });
  }

  it("refuses a configured accessKey that only the ambient HW_SECRET_KEY would complete", async () => {
    const provider = new HwddmProvider({ env: ambient() });
    configure(provider, { accessKey: em.config("aksk").accessKey, endpoint: em.config().endpoint });
    const err = await invoke(provider).catch((e: unknown) => e);
    const details = toServiceError(err).details;
    expect(details).to.match(/accessKey is set \(from hwddm:accessKey\) but secretKey is not/);
    expect(details).to.match(/\$HW_SECRET_KEY is set but not used/);
    expect(details).not.to.include("sk-of-another-account-value");
  });
});
