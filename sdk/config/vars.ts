// The `hwddm:` stack config as a program reads it: `hwddm:<key>` first, then the
// environment variables the provider itself falls back to (the core's ENV_NAMES).

import * as pulumi from "@pulumi/pulumi";
import { ENV_NAMES } from "../../provider/config";
import * as utilities from "../utilities";

const __config = new pulumi.Config("hwddm");

/**
 * Huawei Cloud region, e.g. `ap-southeast-1`.
 */
export declare const region: string | undefined;
Object.defineProperty(exports, "region", {
  get() {
    return __config.get("region") ?? utilities.getEnv(...ENV_NAMES.region);
  },
  enumerable: true,
});

/**
 * Project id; looked up through IAM by region name when absent.
 */
export declare const projectId: string | undefined;
Object.defineProperty(exports, "projectId", {
  get() {
    return __config.get("projectId") ?? utilities.getEnv(...ENV_NAMES.projectId);
  },
  enumerable: true,
});

/**
 * DDM endpoint URL. Default `https://ddm.{region}.myhuaweicloud.com`.
 */
export declare const endpoint: string | undefined;
Object.defineProperty(exports, "endpoint", {
  get() {
    return __config.get("endpoint") ?? utilities.getEnv(...ENV_NAMES.endpoint);
  },
  enumerable: true,
});

/**
 * IAM token sent as `X-Auth-Token` (secret).
 */
export declare const authToken: string | undefined;
Object.defineProperty(exports, "authToken", {
  get() {
    return __config.get("authToken") ?? utilities.getEnv(...ENV_NAMES.authToken);
  },
  enumerable: true,
});

/**
 * Access key id for AK/SK signing.
 */
export declare const accessKey: string | undefined;
Object.defineProperty(exports, "accessKey", {
  get() {
    return __config.get("accessKey") ?? utilities.getEnv(...ENV_NAMES.accessKey);
  },
  enumerable: true,
});

/**
 * Secret access key for AK/SK signing (secret).
 */
export declare const secretKey: string | undefined;
Object.defineProperty(exports, "secretKey", {
  get() {
    return __config.get("secretKey") ?? utilities.getEnv(...ENV_NAMES.secretKey);
  },
  enumerable: true,
});

/**
 * Security token for temporary AK/SK (secret).
 */
export declare const securityToken: string | undefined;
Object.defineProperty(exports, "securityToken", {
  get() {
    return __config.get("securityToken") ?? utilities.getEnv(...ENV_NAMES.securityToken);
  },
  enumerable: true,
});

/**
 * IAM endpoint, with or without the trailing `/v3`.
 */
export declare const authUrl: string | undefined;
Object.defineProperty(exports, "authUrl", {
  get() {
    return __config.get("authUrl") ?? utilities.getEnv(...ENV_NAMES.authUrl);
  },
  enumerable: true,
});

/**
 * Account (domain) name for password authentication.
 */
export declare const domainName: string | undefined;
Object.defineProperty(exports, "domainName", {
  get() {
    return __config.get("domainName") ?? utilities.getEnv(...ENV_NAMES.domainName);
  },
  enumerable: true,
});

/**
 * IAM user name for password authentication.
 */
export declare const userName: string | undefined;
Object.defineProperty(exports, "userName", {
  get() {
    return __config.get("userName") ?? utilities.getEnv(...ENV_NAMES.userName);
  },
  enumerable: true,
});

/**
 * IAM user password for password authentication (secret).
 */
export declare const password: string | undefined;
Object.defineProperty(exports, "password", {
  get() {
    return __config.get("password") ?? utilities.getEnv(...ENV_NAMES.password);
  },
  enumerable: true,
});

/**
 * Retries after the first attempt for throttling and transient faults; default 4.
 */
export declare const maxRetries: number | undefined;
Object.defineProperty(exports, "maxRetries", {
  get() {
    return __config.getObject<number>("maxRetries") ?? utilities.getEnvNumber(...ENV_NAMES.maxRetries);
  },
  enumerable: true,
});

/**
 * Per-request timeout in seconds; default 30.
 */
export declare const requestTimeout: number | undefined;
Object.defineProperty(exports, "requestTimeout", {
  get() {
    return (
      __config.getObject<number>("requestTimeout") ?? utilities.getEnvNumber(...ENV_NAMES.requestTimeout)
    );
  },
  enumerable: true,
});

/**
 * Allow a non-loopback `http://` endpoint and skip TLS verification; default false.
 */
export declare const insecure: boolean | undefined;
Object.defineProperty(exports, "insecure", {
  get() {
    return __config.getObject<boolean>("insecure") ?? utilities.getEnvBoolean(...ENV_NAMES.insecure);
  },
  enumerable: true,
});
