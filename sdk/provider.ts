// The explicit `hwddm` provider resource, in the shape of Pulumi's generated SDKs.
// Keep in step with provider/schema.json `provider.inputProperties` (test/sdk/schema.spec.ts).

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * The provider type for the hwddm package. Give one to a function's `provider` option to
 * query another region, account or endpoint than the `hwddm:` stack config says. Settings
 * left out here fall back to the environment (never to the stack config).
 *
 * ## Example Usage
 *
 * ```typescript
 * import * as pulumi from "@pulumi/pulumi";
 * import * as hwddm from "pulumi-hwddm";
 *
 * const config = new pulumi.Config();
 * const frankfurt = new hwddm.Provider("eu-west-101", {
 *     region: "eu-west-101",
 *     authToken: config.requireSecret("euToken"),
 * });
 * const candidates = hwddm.backup.getRestorableInstancesOutput(
 *     { instanceId: config.require("sourceInstanceId") },
 *     { provider: frankfurt },
 * );
 * ```
 */
export class Provider extends pulumi.ProviderResource {
  /** @internal */
  public static readonly __pulumiType = "hwddm";

  /**
   * Returns true if the given object is an instance of Provider. This is designed to work even
   * when multiple copies of the Pulumi SDK have been loaded into the same process.
   */
  public static isInstance(obj: unknown): obj is Provider {
    if (obj === undefined || obj === null) {
      return false;
    }
    return (obj as Record<string, unknown>)["__pulumiType"] === "pulumi:providers:" + Provider.__pulumiType;
  }

  /**
   * IAM account (domain) name for password authentication.
   */
  declare public readonly domainName: pulumi.Output<string | undefined>;
  /**
   * Access key id for AK/SK signing.
   */
  declare public readonly accessKey: pulumi.Output<string | undefined>;
  /**
   * IAM endpoint, with or without the trailing `/v3`.
   */
  declare public readonly authUrl: pulumi.Output<string | undefined>;
  /**
   * DDM endpoint URL.
   */
  declare public readonly endpoint: pulumi.Output<string | undefined>;
  /**
   * Project id.
   */
  declare public readonly projectId: pulumi.Output<string | undefined>;
  /**
   * Huawei Cloud region.
   */
  declare public readonly region: pulumi.Output<string | undefined>;
  /**
   * IAM user name for password authentication.
   */
  declare public readonly userName: pulumi.Output<string | undefined>;

  /**
   * Create a Provider resource with the given unique name, arguments, and options.
   *
   * @param name The _unique_ name of the resource.
   * @param args The arguments to use to populate this resource's properties.
   * @param opts A bag of options that control this resource's behavior.
   */
  constructor(name: string, args?: ProviderArgs, opts?: pulumi.ResourceOptions) {
    const resourceInputs: pulumi.Inputs = {};
    opts = opts || {};
    {
      resourceInputs["accessKey"] = args?.accessKey;
      resourceInputs["authToken"] = args?.authToken ? pulumi.secret(args.authToken) : undefined;
      resourceInputs["authUrl"] = args?.authUrl;
      resourceInputs["domainName"] = args?.domainName;
      resourceInputs["endpoint"] = args?.endpoint;
      resourceInputs["insecure"] = args?.insecure;
      resourceInputs["invokeTimeout"] = args?.invokeTimeout;
      resourceInputs["maxRecords"] = args?.maxRecords;
      resourceInputs["maxRetries"] = args?.maxRetries;
      resourceInputs["password"] = args?.password ? pulumi.secret(args.password) : undefined;
      resourceInputs["projectId"] = args?.projectId;
      resourceInputs["region"] = args?.region;
      resourceInputs["requestTimeout"] = args?.requestTimeout;
      resourceInputs["secretKey"] = args?.secretKey ? pulumi.secret(args.secretKey) : undefined;
      resourceInputs["securityToken"] = args?.securityToken ? pulumi.secret(args.securityToken) : undefined;
      resourceInputs["userName"] = args?.userName;
    }
    opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
    const secretOpts = { additionalSecretOutputs: ["authToken", "password", "secretKey", "securityToken"] };
    opts = pulumi.mergeOptions(opts, secretOpts);
    super(Provider.__pulumiType, name, resourceInputs, opts);
  }
}

/**
 * The set of arguments for constructing a Provider resource.
 */
export interface ProviderArgs {
  /**
   * Access key id for AK/SK (`SDK-HMAC-SHA256`) signing.
   */
  accessKey?: pulumi.Input<string>;
  /**
   * IAM token sent as `X-Auth-Token`. Stored as a secret.
   */
  authToken?: pulumi.Input<string>;
  /**
   * IAM endpoint, with or without the trailing `/v3`. Default `https://iam.{region}.myhuaweicloud.com/v3`.
   */
  authUrl?: pulumi.Input<string>;
  /**
   * Account (domain) name for password authentication.
   */
  domainName?: pulumi.Input<string>;
  /**
   * DDM endpoint URL. Default `https://ddm.{region}.myhuaweicloud.com`.
   */
  endpoint?: pulumi.Input<string>;
  /**
   * Allow a non-loopback `http://` endpoint and skip TLS verification. Default false.
   */
  insecure?: pulumi.Input<boolean>;
  /**
   * Deadline of one whole function call in seconds; 1 to 3600. Default 300.
   */
  invokeTimeout?: pulumi.Input<number>;
  /**
   * Most records one function call reads; 1 to 10000000. Default 100000.
   */
  maxRecords?: pulumi.Input<number>;
  /**
   * Retries after the first attempt for throttling and transient faults; 0 to 10. Default 4.
   */
  maxRetries?: pulumi.Input<number>;
  /**
   * IAM user password for password authentication. Stored as a secret.
   */
  password?: pulumi.Input<string>;
  /**
   * Project id. When absent it is looked up through IAM by region name and cached.
   */
  projectId?: pulumi.Input<string>;
  /**
   * Huawei Cloud region, e.g. `ap-southeast-1`.
   */
  region?: pulumi.Input<string>;
  /**
   * Per-request timeout in seconds; 1 to 600. Default 30.
   */
  requestTimeout?: pulumi.Input<number>;
  /**
   * Secret access key for AK/SK signing. Stored as a secret.
   */
  secretKey?: pulumi.Input<string>;
  /**
   * Security token for temporary AK/SK. Stored as a secret.
   */
  securityToken?: pulumi.Input<string>;
  /**
   * IAM user name for password authentication.
   */
  userName?: pulumi.Input<string>;
}
