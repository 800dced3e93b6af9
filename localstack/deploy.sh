#!/usr/bin/env bash
# Deploys the pp-patterns demo app to a running LocalStack with cdklocal, then writes the
# stack outputs the end-to-end suite reads (PP_STACK_OUTPUTS).
#
# LocalStack must already be running (docker compose -f localstack/docker-compose.yml up -d).
# cdklocal is NOT a dependency of this package: it is fetched by npx at the pinned version below.
set -euo pipefail

CDKLOCAL_VERSION="3.0.4"   # aws-cdk-local, pinned
AWS_CDK_VERSION="2.1148.1" # the CDK CLI this repository pins (package.json devDependencies)

ENDPOINT="${AWS_ENDPOINT_URL:-http://127.0.0.1:4566}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUTPUTS="${PP_STACK_OUTPUTS:-$ROOT/cdk-outputs.localstack.json}"

if ! curl -fsS "$ENDPOINT/_localstack/health" >/dev/null 2>&1; then
  echo "LocalStack is not reachable at $ENDPOINT." >&2
  echo "Start it first: docker compose -f localstack/docker-compose.yml up -d" >&2
  exit 1
fi

export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_ENDPOINT_URL="$ENDPOINT"
export CDK_DISABLE_VERSION_CHECK=1

cdklocal() {
  npx --yes --package "aws-cdk-local@${CDKLOCAL_VERSION}" --package "aws-cdk@${AWS_CDK_VERSION}" cdklocal "$@"
}

cd "$ROOT"
cdklocal bootstrap
cdklocal deploy --all --require-approval never --outputs-file "$OUTPUTS"

echo "Deployed. Stack outputs: $OUTPUTS"
echo "Run the end-to-end suite against it with:"
echo "  AWS_ENDPOINT_URL=$ENDPOINT AWS_REGION=$AWS_DEFAULT_REGION AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \\"
echo "  PP_STACK_OUTPUTS=$OUTPUTS npx vitest run test/e2e/local-demo.test.ts"
