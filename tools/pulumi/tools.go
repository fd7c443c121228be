//go:build tools

// Package tools pins the Pulumi CLI this repo builds; see scripts/pulumi-install.sh.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
