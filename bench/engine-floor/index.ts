/** The bench's engine floor: a program that loads @pulumi/pulumi and exports a constant. */
import * as pulumi from "@pulumi/pulumi";

export const stack = pulumi.getStack();
