#!/bin/sh
# Regenerates api.github.com.json (the trimmed copy of GitHub's OpenAPI
# description the simulated GitHub validates requests against) and VERSION.
#   internal/ghsim/openapi/gen.sh            # newest @octokit/openapi
#   internal/ghsim/openapi/gen.sh 23.0.2     # a given version
# Needs npm (the npm registry) and Go. Edit operations.txt to serve more.
set -eu
cd "$(dirname "$0")"
version=${1:-$(npm view @octokit/openapi version)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm install --prefix "$tmp" --no-save --no-audit --no-fund --ignore-scripts "@octokit/openapi@$version" >/dev/null
GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3} go run ./gen -in "$tmp/node_modules/@octokit/openapi/generated/api.github.com.json" \
	-ops operations.txt -version "$version" -out api.github.com.json
echo "@octokit/openapi@$version generated/api.github.com.json" >VERSION
echo "wrote api.github.com.json ($(wc -c <api.github.com.json) bytes) from @octokit/openapi@$version"
