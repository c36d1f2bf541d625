#!/bin/sh
# The operator image's entrypoint, at the path of the UBI image's run-java.sh (src/main/docker/Dockerfile.jvm uses
# registry.access.redhat.com/ubi9/openjdk-17-runtime, whose ENTRYPOINT is /opt/jboss/container/java/run/run-java.sh),
# so both images start the same way. It honours the same environment as UBI's script for what it does:
#   JAVA_APP_DIR (/deployments), JAVA_APP_JAR, JAVA_ARGS        where and what to run
#   JAVA_OPTS                                                  options first (as UBI's script)
#   JAVA_MAX_MEM_RATIO (default 80), JAVA_INITIAL_MEM_RATIO,   heap as a share of the container's memory limit
#   JAVA_MAX_INITIAL_MEM                                       (-XX:MaxRAMPercentage / InitialRAMPercentage; the JVM
#                                                              reads the cgroup limit itself); 0 leaves the JVM default
#   GC_CONTAINER_OPTIONS (default -XX:+UseParallelGC)          the collector
#   GC_MIN_HEAP_FREE_RATIO (10), GC_MAX_HEAP_FREE_RATIO (20), GC_TIME_RATIO (4), GC_ADAPTIVE_SIZE_POLICY_WEIGHT (90),
#   GC_METASPACE_SIZE, GC_MAX_METASPACE_SIZE                   heap sizing of the collector
#   JAVA_DIAGNOSTICS (set: GC/NMT diagnostics), JAVA_DEBUG, JAVA_DEBUG_PORT (5005)
#   JAVA_OPTS_APPEND                                           appended last
# plus -XX:+ExitOnOutOfMemoryError, as UBI's. Not provided: UBI's Jolokia/Prometheus agents, proxy variables and
# JAVA_CLASSPATH/JAVA_MAIN_CLASS discovery (groundwork runs a jar).
set -eu

dir="${JAVA_APP_DIR:-/deployments}"
jar="${JAVA_APP_JAR:-$dir/quarkus-run.jar}"
opts="${JAVA_OPTS:-}"

ratio="${JAVA_MAX_MEM_RATIO:-80}"
if [ "${ratio%.*}" != "0" ]; then opts="$opts -XX:MaxRAMPercentage=$ratio"; fi
if [ -n "${JAVA_INITIAL_MEM_RATIO:-}" ] && [ "${JAVA_INITIAL_MEM_RATIO%.*}" != "0" ]; then
  opts="$opts -XX:InitialRAMPercentage=$JAVA_INITIAL_MEM_RATIO"
fi
if [ -n "${JAVA_MAX_INITIAL_MEM:-}" ]; then opts="$opts -XX:MaxInitialRAMPercentage=$JAVA_MAX_INITIAL_MEM"; fi

opts="$opts ${GC_CONTAINER_OPTIONS:--XX:+UseParallelGC}"
opts="$opts -XX:MinHeapFreeRatio=${GC_MIN_HEAP_FREE_RATIO:-10} -XX:MaxHeapFreeRatio=${GC_MAX_HEAP_FREE_RATIO:-20}"
opts="$opts -XX:GCTimeRatio=${GC_TIME_RATIO:-4} -XX:AdaptiveSizePolicyWeight=${GC_ADAPTIVE_SIZE_POLICY_WEIGHT:-90}"
if [ -n "${GC_METASPACE_SIZE:-}" ]; then opts="$opts -XX:MetaspaceSize=${GC_METASPACE_SIZE}m"; fi
if [ -n "${GC_MAX_METASPACE_SIZE:-}" ]; then opts="$opts -XX:MaxMetaspaceSize=${GC_MAX_METASPACE_SIZE}m"; fi
opts="$opts -XX:+ExitOnOutOfMemoryError"
if [ -n "${JAVA_DIAGNOSTICS:-}" ]; then
  opts="$opts -XX:NativeMemoryTracking=summary -Xlog:gc*:stdout:time -XX:+UnlockDiagnosticVMOptions"
fi
if [ -n "${JAVA_DEBUG:-}" ]; then
  opts="$opts -agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:${JAVA_DEBUG_PORT:-5005}"
fi
opts="$opts ${JAVA_OPTS_APPEND:-}"

cd "$dir"
echo "INFO exec java $opts -jar $jar ${JAVA_ARGS:-} $*"
# shellcheck disable=SC2086 # options are words, as in UBI's script
exec java $opts -jar "$jar" ${JAVA_ARGS:-} "$@"
