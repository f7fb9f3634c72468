#!/usr/bin/env bash
# Load benchmark of the gateway's submit path, everything on this machine (not part of CI):
#   deploy/bench/gateway-bench.sh [clients=64] [seconds=20]
# Embedded Kafka, PostgreSQL and S3Proxy, one gateway, no worker; N closed-loop HTTP clients submit 1-image jobs
# on unlimited keys; then pgbench runs the same submit transaction with 16 clients on the same PostgreSQL.
# Prints a table and writes bench-results/gateway.json. Needs pgbench (apt-get install postgresql-client).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
command -v pgbench >/dev/null || { echo "pgbench missing: apt-get install postgresql-client" >&2; exit 1; }
mvn -q -B -o -pl stack -am test-compile -DskipTests >&2
cp=stack/target/.bench-classpath
mvn -q -B -o -pl stack dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$root/$cp" >&2
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
exec nice -n 10 java -Xmx2g -cp "stack/target/test-classes:stack/target/classes:gateway/target/classes:common/target/classes:worker/target/classes:$(cat "$cp")" \
  dev.vegart.stack.bench.GatewayBench "${1:-64}" "${2:-20}"
