/**
 * The provider's configuration variables (stack config `hwddm:<key>`, the Provider resource's
 * inputs, CLI flags): their types, secrecy, defaults and environment variables.
 */
import { DEFAULTS, DEFAULT_PAGING, DEFAULT_RETRY } from "../defaults";
import type { Property } from "./declaration";

const string = (description: string, env: readonly string[], secret?: true): Property => ({
  type: "string",
  description,
  ...(secret ? { secret } : {}),
  env,
});

export const CONFIG_VARIABLES = {
  region: string(
    "Huawei Cloud region, e.g. `ap-southeast-1`. Required (here, as a function argument, or in the environment).",
    ["HW_REGION_NAME"],
  ),
  projectId: string("Project id. When absent it is looked up through IAM by region name and cached.", [
    "HW_PROJECT_ID",
    "HUAWEICLOUD_SDK_PROJECT_ID",
  ]),
  endpoint: string(
    "DDM endpoint URL. Default `https://ddm.{region}.myhuaweicloud.com`. An `http://` endpoint is refused unless it is loopback or `insecure` is set.",
    ["HWDDM_ENDPOINT"],
  ),
  authToken: string("IAM token sent as `X-Auth-Token`.", ["HW_AUTH_TOKEN"], true),
  accessKey: string("Access key id for AK/SK (`SDK-HMAC-SHA256`) signing.", [
    "HW_ACCESS_KEY",
    "HUAWEICLOUD_SDK_AK",
  ]),
  secretKey: string("Secret access key for AK/SK signing.", ["HW_SECRET_KEY", "HUAWEICLOUD_SDK_SK"], true),
  securityToken: string(
    "Security token for temporary AK/SK, sent as `X-Security-Token`.",
    ["HW_SECURITY_TOKEN", "HUAWEICLOUD_SDK_SECURITY_TOKEN"],
    true,
  ),
  authUrl: string(
    "IAM endpoint, with or without the trailing `/v3`. Default `https://iam.{region}.myhuaweicloud.com/v3`.",
    ["HW_AUTH_URL", "HUAWEICLOUD_SDK_IAM_ENDPOINT"],
  ),
  domainName: string("Account (domain) name for password authentication.", ["HW_DOMAIN_NAME"]),
  userName: string("IAM user name for password authentication.", ["HW_USER_NAME"]),
  // HW_USER_PASSWORD is the name the Terraform provider itself reads.
  password: string(
    "IAM user password for password authentication (exchanged for a token, cached, refreshed once on 401).",
    ["HW_PASSWORD", "HW_USER_PASSWORD"],
    true,
  ),
  maxRetries: {
    type: "integer",
    description:
      "Retries after the first attempt for throttling and transient faults; an integer from 0 to 10.",
    default: DEFAULT_RETRY.maxRetries,
    env: ["HW_MAX_RETRIES"],
  },
  // The Terraform provider has no timeout variable, so this one is ours.
  requestTimeout: {
    type: "integer",
    description: "Per-request timeout in seconds; an integer from 1 to 600.",
    default: DEFAULTS.requestTimeoutMs / 1000,
    env: ["HWDDM_REQUEST_TIMEOUT"],
  },
  invokeTimeout: {
    type: "integer",
    description:
      "Deadline of one whole function call (every page, retry and IAM call) in seconds; an integer from 1 to 3600.",
    default: DEFAULTS.invokeTimeoutMs / 1000,
    env: ["HWDDM_INVOKE_TIMEOUT"],
  },
  maxRecords: {
    type: "integer",
    description:
      "Most records one function call reads; a list whose `total` promises more in the asked range fails after its first page, naming `offset`/`limit` as the way to page by hand. An integer from 1 to 10000000.",
    default: DEFAULT_PAGING.maxRecords,
    env: ["HWDDM_MAX_RECORDS"],
  },
  insecure: {
    type: "boolean",
    description: "Allow a non-loopback `http://` endpoint and skip TLS verification.",
    default: false,
    env: ["HW_INSECURE"],
  },
} as const satisfies Record<string, Property>;
