#!/usr/bin/env bash
# npm run sdk:gen: (re)generate the TypeScript, Python and Go SDKs from provider/schema.json with
# Pulumi's own code generator (`pulumi package gen-sdk`, the CLI `npm run pulumi:install` builds),
# into sdk/nodejs, sdk/python and sdk/go. Files the generator does not write (sdk/go/go.mod,
# go.sum) are kept. TypeScript gets the overlay in scripts/sdk-overlays/nodejs and a copy of the
# core files it imports (scripts/sdk-nodejs.js).
# With an argument, writes into that directory instead (the drift test compares the two).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/sdk}
bin="$root/.tools/pulumi/bin"
[ -x "$bin/pulumi" ] || { echo "sdk:gen: no Pulumi CLI in .tools/pulumi/bin: run npm run pulumi:install" >&2; exit 1; }
home=$(mktemp -d)
keep=$(mktemp -d)
trap 'rm -rf "$home" "$keep"' EXIT
for lang in nodejs python go; do
  # gen-sdk replaces the language's folder: keep what it does not write (go.mod, go.sum).
  if [ -z "${1:-}" ]; then
    for f in go.mod go.sum; do [ -f "$out/$lang/$f" ] && cp "$out/$lang/$f" "$keep/$lang-$f"; done
  fi
  overlays=()
  [ -d "$root/scripts/sdk-overlays/$lang" ] && overlays=(--overlays "$root/scripts/sdk-overlays")
  if ! said=$(PATH="$bin:$PATH" PULUMI_HOME="$home" PULUMI_SKIP_UPDATE_CHECK=true \
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
    "$bin/pulumi" package gen-sdk "$root/provider/schema.json" --language "$lang" --out "$out" \
    ${overlays[@]+"${overlays[@]}"} 2>&1); then
    echo "$said" >&2
    exit 1
  fi
  for f in go.mod go.sum; do [ -f "$keep/$lang-$f" ] && cp "$keep/$lang-$f" "$out/$lang/$f"; done
  if [ "$lang" = nodejs ]; then node "$root/scripts/sdk-nodejs.js" "$out/nodejs"; fi
  echo "sdk:gen: $lang SDK in ${out#"$root/"}/$lang"
done
