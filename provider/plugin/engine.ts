/**
 * The engine's `Log` service, as the plugin uses it: what a user should see during
 * `pulumi preview`/`up` (a list that changed while it was paged, ...) becomes an engine
 * diagnostic at warning severity, shown in the run's output like the engine's own warnings.
 * Best effort: a diagnostic that cannot be sent never fails the invoke it belongs to.
 */
import * as grpc from "@grpc/grpc-js";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import { redactSecrets } from "../errors";

export class EngineLog {
  private readonly client: enginerpc.EngineClient;

  constructor(
    readonly address: string,
    private readonly debug: (message: string) => void = () => undefined,
  ) {
    this.client = new enginerpc.EngineClient(address, grpc.credentials.createInsecure());
  }

  /** Send one warning (redacted); resolves when the engine took it or refused it. */
  warn(message: string): Promise<void> {
    const req = new engineproto.LogRequest();
    req.setSeverity(engineproto.LogSeverity.WARNING);
    req.setMessage(redactSecrets(message));
    req.setEphemeral(false);
    return new Promise((resolve) => {
      this.client.log(req, (err) => {
        if (err) this.debug(`engine Log failed: ${err.message}`);
        resolve();
      });
    });
  }

  close(): void {
    this.client.close();
  }
}
