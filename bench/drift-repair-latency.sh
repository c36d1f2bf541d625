#!/usr/bin/env bash
# Measures drift repair latency (delete a managed NetworkPolicy -> re-created) over 200 deletions across
# 50 products, against the pinned real API server. Run by hand; not part of the test suite.
#   bench/drift-repair-latency.sh [-Dbench.products=50] [-Dbench.deletions=200] [-Dbench.wave=10]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
hack/build-tools.sh >/dev/null
mvn -B -q -DskipTests package
KUBE_API_TEST_OFFLINE_MODE=true mvn -B -q exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.groundwork.bench.DriftRepairLatency "$@" 2>&1 | grep -vE '^\s*$|INFO|WARN'
