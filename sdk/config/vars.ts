// The `hwddm:` settings as the provider will read them, in the shape of Pulumi's generated
// `config/vars.ts`: `new pulumi.Config("hwddm")` first, then the environment variables the
// core falls back to (ENV_NAMES, in order), each value parsed by the core's own checkValue
// (`"4"` -> 4, `"true"` -> true, URLs normalized) and CONFIG_DEFAULTS when set nowhere.
//
// - A value the provider would refuse throws a ValidationError naming the key and where the
//   value came from (`hwddm:maxRetries`, `HW_MAX_RETRIES`), as the provider itself would.
// - The secret keys (authToken, secretKey, securityToken, password) are secret Outputs, as
//   `config.getSecret` gives them (an environment value is wrapped with `pulumi.secret`), so
//   exporting or logging one never shows it in plain text.

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "../utilities";

const __config = new pulumi.Config("hwddm");

/**
 * Huawei Cloud region, e.g. `ap-southeast-1`.
 */
export declare const region: string | undefined;
Object.defineProperty(exports, "region", {
  get() {
    return utilities.readConfigValue(__config, "region") as string | undefined;
  },
  enumerable: true,
});

/**
 * Project id; looked up through IAM by region name when absent.
 */
export declare const projectId: string | undefined;
Object.defineProperty(exports, "projectId", {
  get() {
    return utilities.readConfigValue(__config, "projectId") as string | undefined;
  },
  enumerable: true,
});

/**
 * DDM endpoint URL, normalized (no trailing slash). Default `https://ddm.{region}.myhuaweicloud.com`.
 */
export declare const endpoint: string | undefined;
Object.defineProperty(exports, "endpoint", {
  get() {
    return utilities.readConfigValue(__config, "endpoint") as string | undefined;
  },
  enumerable: true,
});

/**
 * IAM token sent as `X-Auth-Token`. A secret Output.
 */
export declare const authToken: pulumi.Output<string> | undefined;
Object.defineProperty(exports, "authToken", {
  get() {
    return utilities.readSecretConfigValue(__config, "authToken");
  },
  enumerable: true,
});

/**
 * Access key id for AK/SK signing.
 */
export declare const accessKey: string | undefined;
Object.defineProperty(exports, "accessKey", {
  get() {
    return utilities.readConfigValue(__config, "accessKey") as string | undefined;
  },
  enumerable: true,
});

/**
 * Secret access key for AK/SK signing. A secret Output.
 */
export declare const secretKey: pulumi.Output<string> | undefined;
Object.defineProperty(exports, "secretKey", {
  get() {
    return utilities.readSecretConfigValue(__config, "secretKey");
  },
  enumerable: true,
});

/**
 * Security token for temporary AK/SK. A secret Output.
 */
export declare const securityToken: pulumi.Output<string> | undefined;
Object.defineProperty(exports, "securityToken", {
  get() {
    return utilities.readSecretConfigValue(__config, "securityToken");
  },
  enumerable: true,
});

/**
 * IAM endpoint, normalized to end in `/v3`.
 */
export declare const authUrl: string | undefined;
Object.defineProperty(exports, "authUrl", {
  get() {
    return utilities.readConfigValue(__config, "authUrl") as string | undefined;
  },
  enumerable: true,
});

/**
 * Account (domain) name for password authentication.
 */
export declare const domainName: string | undefined;
Object.defineProperty(exports, "domainName", {
  get() {
    return utilities.readConfigValue(__config, "domainName") as string | undefined;
  },
  enumerable: true,
});

/**
 * IAM user name for password authentication.
 */
export declare const userName: string | undefined;
Object.defineProperty(exports, "userName", {
  get() {
    return utilities.readConfigValue(__config, "userName") as string | undefined;
  },
  enumerable: true,
});

/**
 * IAM user password for password authentication. A secret Output.
 */
export declare const password: pulumi.Output<string> | undefined;
Object.defineProperty(exports, "password", {
  get() {
    return utilities.readSecretConfigValue(__config, "password");
  },
  enumerable: true,
});

/**
 * Retries after the first attempt for throttling and transient faults, 0 to 10; default 4.
 */
export declare const maxRetries: number;
Object.defineProperty(exports, "maxRetries", {
  get() {
    return utilities.readConfigValue(__config, "maxRetries") as number;
  },
  enumerable: true,
});

/**
 * Per-request timeout in seconds, 1 to 600; default 30.
 */
export declare const requestTimeout: number;
Object.defineProperty(exports, "requestTimeout", {
  get() {
    return utilities.readConfigValue(__config, "requestTimeout") as number;
  },
  enumerable: true,
});

/**
 * Deadline of one whole function call in seconds, 1 to 3600; default 300.
 */
export declare const invokeTimeout: number;
Object.defineProperty(exports, "invokeTimeout", {
  get() {
    return utilities.readConfigValue(__config, "invokeTimeout") as number;
  },
  enumerable: true,
});

/**
 * Most records one function call reads, 1 to 10000000; default 100000.
 */
export declare const maxRecords: number;
Object.defineProperty(exports, "maxRecords", {
  get() {
    return utilities.readConfigValue(__config, "maxRecords") as number;
  },
  enumerable: true,
});

/**
 * Allow a non-loopback `http://` endpoint and skip TLS verification; default false.
 */
export declare const insecure: boolean;
Object.defineProperty(exports, "insecure", {
  get() {
    return utilities.readConfigValue(__config, "insecure") as boolean;
  },
  enumerable: true,
});
