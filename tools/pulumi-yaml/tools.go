//go:build tools

// Package tools pins the Pulumi YAML language host; see scripts/pulumi-install.sh.
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
