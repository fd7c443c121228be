// What pulumi-hwddm adds to the generated SDK: the pure selection helpers, run in the program
// (backup.selectRestoreTarget/selectRestoreTime make the same choice in the provider), and the
// error family they throw. `./core` is the plugin's own code, copied in by scripts/sdk-gen.sh.

export { selectRestoreTarget, selectRestoreTime } from "./core/select";
export type { RestoreTimeOptions, TargetCriteria } from "./core/select";
export type { RestoreTime } from "./core/time";

// isInstance works across copies: the plugin's errors and these are the same family.
export {
  ApiError,
  ConfigurationError,
  HwddmError,
  NetworkError,
  ResponseError,
  SelectionError,
  ValidationError,
} from "./core/errors";
export type { HwddmErrorKind, InputFailure } from "./core/errors";

export { RESOURCE_TOKENS, TOKENS } from "./core/types";
export { getVersion } from "./utilities";
