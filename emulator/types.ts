/** The emulator's public shapes: its options, credentials, request records, counters and handle. */
import type { FaultSpec, RouteName } from "./faults";
import type { Fixture } from "./fixture";
import type { JobRecord } from "./jobs";

export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. Only an explicit value binds elsewhere. */
  host?: string;
  /** The data served; default `defaultFixture()`. Checked like a fixture file. */
  data?: Fixture;
  /** Faults to inject from the first request; see `faults.ts`. Default none. */
  faults?: FaultSpec[];
  /** Life of tokens issued by `POST /v3/auth/tokens`, seconds; default 86400 (24 h, as IAM). */
  tokenLifetimeSeconds?: number;
  /** Log one line per request. Default: true when `log` is given, else false. */
  verbose?: boolean;
  /** Where log lines go; default standard error. Lines never hold a credential. */
  log?: (line: string) => void;
  /** Largest request body accepted, bytes; default 65536. Larger: 413. */
  maxBodyBytes?: number;
  /** Clock in epoch ms, for token expiry and the X-Sdk-Date window; default `Date.now`. */
  now?: () => number;
  /** Accepted X-Sdk-Date distance from the clock, ms; default 15 minutes (the gateway's). */
  maxSkewMs?: number;
  /** How many recent requests `stats().lastRequests` keeps; default 100. */
  lastRequestsLimit?: number;
  /** How long a restore job runs on the `now` clock, ms; default 3000. */
  jobDurationMs?: number;
  /** When set, a restore job completes on its Nth `GET .../jobs/{id}` instead (the clock is then ignored). */
  jobPolls?: number;
}

/** Credentials the emulator accepts (fixed, fake, from the fixture). Printing them is fine. */
export interface EmulatorCredentials {
  region: string;
  /** The project named after `region` (the project an IAM lookup by region finds). */
  projectId: string;
  /** Static IAM token: valid as X-Auth-Token for every project, never expires. */
  token: string;
  accessKey: string;
  secretKey: string;
  /** Accepted as X-Security-Token with the AK/SK (optional on requests). */
  securityToken: string;
  domainName: string;
  userName: string;
  password: string;
}

/** How a request authenticated: `token` (the static one), `iam-token` (one IAM issued), `aksk`; `none` when not checked. */
export type AuthMode = "none" | "token" | "iam-token" | "aksk" | "refused";

/** Route of a request; `other` is anything unknown (404) or with a wrong method (405). */
export type RequestRoute = RouteName | "other";

/** One request as `stats().lastRequests` reports it (never a header value). */
export interface RequestRecord {
  /** Its X-Request-Id. */
  id: string;
  method: string;
  /** Path with query, as it arrived. */
  path: string;
  route: RequestRoute;
  /** HTTP status sent; 0 when none was (connection reset, stalled, client gave up). */
  status: number;
  /** Time from arrival to the end of the response (or of the connection), ms. */
  ms: number;
  auth: AuthMode;
  /** Labels of the faults applied (`latency`, `status:503`, `reset`, ...). */
  faults: string[];
}

export interface EmulatorStats {
  /** Every request received, whatever became of it. */
  requests: number;
  /** Requests per route (every route present, 0 when none). */
  byRoute: Record<RequestRoute, number>;
  /** Requests per status sent (`"200"`, `"503"`, ...; `"0"`: no response). */
  byStatus: Record<string, number>;
  /** Requests accepted per authentication mode. */
  byAuth: Record<"token" | "iam-token" | "aksk", number>;
  /** Faults applied per label (`latency`, `status:503`, `status:429`, `reset`, `stall`, ...). */
  faults: Record<string, number>;
  /** Requests refused with 401 by the authentication check (faults not included). */
  authFailures: number;
  /** Tokens issued by `POST /v3/auth/tokens`. */
  tokensIssued: number;
  /** Restore jobs created by `POST .../backups/recovery` (202s, including answers a fault then dropped). */
  restoresAccepted: number;
  /** The most recent requests, oldest first (a finished request has its status and ms). */
  lastRequests: RequestRecord[];
}

export interface Emulator {
  /** DDM endpoint, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** IAM endpoint: `url + "/v3"`. */
  readonly iamUrl: string;
  readonly host: string;
  readonly port: number;
  /** The accepted credentials (follow `setData`). */
  readonly credentials: EmulatorCredentials;
  /** A snapshot of the counters. */
  stats(): EmulatorStats;
  /** Zero every counter and forget recent requests (faults keep their own counts). */
  resetStats(): void;
  /** Replace the faults; their request counters start from zero. Throws ValidationError. */
  setFaults(faults: FaultSpec[]): void;
  /** The current faults, checked and with defaults filled in. */
  faults(): FaultSpec[];
  /** Replace the data (checked like a fixture file). Issued tokens stay valid. */
  setData(fixture: Fixture): void;
  /** A copy of the data served. */
  data(): Fixture;
  /** Every restore job as of the clock now (copies, oldest first; reading does not count as a poll). */
  jobs(): JobRecord[];
  /** End a running job as Completed now. Throws for an unknown id. */
  completeJob(id: string): void;
  /** End a running job as Failed now, with a reason. Throws for an unknown id. */
  failJob(id: string, reason?: string): void;
  /** Stop: refuse new connections, end idle keep-alive sockets, stalled and delayed responses. */
  close(): Promise<void>;
}
