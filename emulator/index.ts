/**
 * The DDM API emulator, for the demo, the examples, end-to-end tests and benchmarks.
 * See `emulator/README.md`.
 *
 * ```ts
 * import { startEmulator, emulatorEnv } from "../emulator";
 * const em = await startEmulator({ faults: [{ kind: "status", status: 503, times: 2 }] });
 * const result = await getRestorableInstances(
 *   { instanceId: "1f5c9fd6cd984056ba89c8c87cc03278in09" },
 *   { env: emulatorEnv(em, "token") },
 * );
 * console.log(em.stats().byRoute["restorable-instances"]); // 3
 * await em.close();
 * ```
 */
export { startEmulator, emulatorCredentials, EMULATOR_ERRORS } from "./server";
export type {
  AuthMode,
  Emulator,
  EmulatorCredentials,
  EmulatorOptions,
  EmulatorStats,
  RequestRecord,
  RequestRoute,
} from "./types";
export {
  CONTRACT_EXAMPLE,
  DEFAULT_CREDENTIALS,
  DEFAULT_REGION,
  defaultFixture,
  formatApiTime,
  generateFixture,
  loadFixture,
  parseFixture,
  primaryProject,
} from "./fixture";
export type {
  Fixture,
  FixtureCredentials,
  FixtureInstance,
  FixtureProject,
  GenerateFixtureOptions,
  RestorableInstanceRecord,
  RestoreWindowRecord,
} from "./fixture";
export { FaultPlan } from "./fault-plan";
export type { FaultDecision } from "./fault-plan";
export {
  DEFAULT_JOB_FAIL_REASON,
  LIST_ROUTES,
  ROUTES,
  checkFaultSpec,
  defaultError,
  defaultFaultRoute,
  faultLabel,
} from "./faults";
export { formatFaultSpec, parseFaultSpec } from "./fault-text";
export type {
  FaultKind,
  FaultRoute,
  FaultSpec,
  FaultWindow,
  HtmlFault,
  JobFailFault,
  JobHangFault,
  JobVanishFault,
  LatencyFault,
  ListFault,
  LostAnswerFault,
  MalformedFault,
  ResetFault,
  RestoreFault,
  RouteName,
  StallFault,
  StatusFault,
} from "./faults";
export { DEFAULT_FAIL_REASON, DEFAULT_JOB_DURATION_MS, RESTORE_JOB_NAME, JobTable } from "./jobs";
export type { JobClock, JobRecord, JobStatus } from "./jobs";
export { RESTORE_ROUTES, classifyRestorePath, jobWire } from "./restore";
export type { RestorePath, RestoreRoute } from "./restore";
export {
  DN_UNAVAILABLE_REASONS,
  defaultRestoreData,
  generateDataNodes,
  sourceDn,
  targetDn,
} from "./fixture-restore";
export type { RelatedDataNodeRecord, TargetDataNodeRecord, TargetDataNodes } from "./fixture-restore";
export { HttpFailure, pagingOf } from "./http-errors";
export { emulatorConfig, emulatorEnv } from "./env";
export { emulatorBanner } from "./banner";
export type { EmulatorAuthMode, EmulatorEnvOptions } from "./env";
