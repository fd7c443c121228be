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

  /**
   * Send an info line about a resource (`urn`); `ephemeral` lines are shown as the resource's
   * status while it works and not kept in the run's output (the engine's progress display).
   */
  info(message: string, urn: string, ephemeral: boolean): Promise<void> {
    const req = new engineproto.LogRequest();
    req.setSeverity(engineproto.LogSeverity.INFO);
    req.setMessage(redactSecrets(message));
    req.setUrn(urn);
    req.setEphemeral(ephemeral);
    return this.send(req);
  }

  /** A warning about a resource (`urn`), kept in the run's output. */
  warnAbout(message: string, urn: string): Promise<void> {
    const req = new engineproto.LogRequest();
    req.setSeverity(engineproto.LogSeverity.WARNING);
    req.setMessage(redactSecrets(message));
    req.setUrn(urn);
    req.setEphemeral(false);
    return this.send(req);
  }

  private send(req: engineproto.LogRequest): Promise<void> {
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
