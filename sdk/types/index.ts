// The SDK's object types, as Pulumi's generated SDKs lay them out.
import * as input from "./input";
import * as output from "./output";

export { input, output };
