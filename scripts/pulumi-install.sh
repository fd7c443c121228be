#!/usr/bin/env bash
# npm run pulumi:install: build the Pulumi CLI and the language hosts the engine suite needs into
# .tools/pulumi/bin/, from Go modules (no Pulumi binary can be downloaded on these machines).
#
# The versions are pinned in go.mod files (with their go.sum), nowhere else:
#   tools/pulumi/go.mod       github.com/pulumi/pulumi/pkg/v3 -> pulumi (the CLI and engine)
#                             ./cmd/pulumi-language-{nodejs,python,go} -> this repo's language
#                               hosts (cmd/pulumi-language-nodejs says why they are not Pulumi's)
#   tools/pulumi-yaml/go.mod  github.com/pulumi/pulumi-yaml   -> pulumi-language-yaml (its own module:
#                               pulumi-yaml compiles only against the pkg/v3 release it names)
# and pulumi-resource-pulumi-nodejs (the dynamic-provider shim Pulumi ships beside its CLI) and
# pulumi-language-python-exec (the Python host's program shim) are copied from the sdk/v3 module
# of the same release.
# A second run with the binaries built from the same pins returns at once. Go's module and build
# caches are kept (that is what makes a rebuild fast); nothing else outside the repo is written.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/tools"
bin="$root/.tools/pulumi/bin"
stamp="$bin/.stamp"

if ! command -v go >/dev/null 2>&1; then
  echo "pulumi:install: 'go' is not on PATH; install Go 1.26 or newer (https://go.dev/doc/install) and run it again" >&2
  exit 1
fi

# The stamp is a digest of everything the binaries are built from.
digest=$(cd "$tools" && cat $(find . -name go.mod -o -name go.sum -o -name '*.go' | sort) | sha256sum | cut -c1-16)
want="$digest $(go env GOVERSION)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
  [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] && [ -x "$bin/pulumi-language-yaml" ] &&
  [ -x "$bin/pulumi-language-python" ] && [ -x "$bin/pulumi-language-go" ] &&
  [ -x "$bin/pulumi-resource-pulumi-nodejs" ] && [ -f "$bin/pulumi-language-python-exec" ]; then
  echo "pulumi:install: up to date ($("$bin/pulumi" version) in .tools/pulumi/bin)"
  exit 0
fi

export GOTOOLCHAIN=local GOFLAGS=-mod=readonly
pulumi_version=$(cd "$tools/pulumi" && go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3)
yaml_version=$(cd "$tools/pulumi-yaml" && go list -m -f '{{.Version}}' github.com/pulumi/pulumi-yaml)
mkdir -p "$bin"
rm -f "$stamp"

build() { # module dir, name, ldflags, package
  local dir=$1 name=$2 ldflags=$3 pkg=$4 start=$SECONDS
  echo "pulumi:install: building $name ($pkg)"
  # -v names each package as it is compiled: print a count now and then so a cold build
  # (several minutes) is visibly alive, without flooding the log.
  (cd "$dir" && GOBIN="$bin" go install -v -ldflags "$ldflags" "$pkg" 2>&1) |
    awk -v name="$name" '/^(go: |#|.*\.go:[0-9]+)/ { print; next } { n++ } n % 200 == 0 && n > 0 { printf "pulumi:install:   %s: %d packages compiled\n", name, n; fflush() }'
  local status=${PIPESTATUS[0]}
  if [ "$status" -ne 0 ]; then
    echo "pulumi:install: building $name failed (go install exited $status)" >&2
    exit "$status"
  fi
  echo "pulumi:install: $name done in $((SECONDS - start)) s"
}

build "$tools/pulumi" pulumi "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$pulumi_version" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
build "$tools/pulumi-yaml" pulumi-language-yaml "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$yaml_version" \
  github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
for lang in nodejs python go; do
  build "$tools/pulumi" "pulumi-language-$lang" "-s -w -X main.version=${pulumi_version#v}" "./cmd/pulumi-language-$lang"
done

# Pulumi's CLI ships the dynamic-provider shim beside itself (resources written with
# pulumi.dynamic run through it); it is part of the sdk/v3 module the CLI is built from.
sdk_dir=$(cd "$tools/pulumi" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
install -m 0755 "$sdk_dir/nodejs/dist/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"
install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$bin/pulumi-language-python-exec"

echo "$want" >"$stamp"
echo "pulumi:install: $("$bin/pulumi" version) ready in .tools/pulumi/bin (put it first on PATH to use it)"
