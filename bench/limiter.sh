#!/usr/bin/env bash
# Builds the JMH benchmarks of the limiter core (Maven profile `benchmarks`) and runs them with the GC
# profiler, about 5 minutes on 2 cores (bench/run-all.sh runs them too, for the full report). The short
# timing (1 fork, 3x2 s warm-up, 5x2 s measured) sits on
# TokenBucketBenchmark itself; arguments go to JMH and override it, for example
#   bench/limiter.sh keyed10k          only the keyed benchmarks
#   bench/limiter.sh -f 3 -i 5         a longer, steadier run
# Writes target/benchmarks/limiter.txt (what JMH printed), limiter.json and machine.txt (what it ran on).
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/benchmarks
java="${JAVA_HOME:+$JAVA_HOME/bin/}java" # the JDK Maven builds with

# Checked before our own build raises it.
load=$(cut -d' ' -f1 /proc/loadavg)
if awk -v now="$load" -v cores="$(nproc)" 'BEGIN { exit !(now > cores / 2) }'; then
  echo "warning: load average $load on $(nproc) cores: the machine is (or just was) busy, expect noisy results" >&2
fi

# maven.test.skip: the test suite is neither compiled nor run; the benchmarks still are (see pom.xml).
./mvnw -B -ntp -q -Pbenchmarks -Dmaven.test.skip=true package

mkdir -p "$out"
{
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git describe --always --dirty 2>/dev/null || echo unknown)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)"
  echo "load average before build: $load"
  "$java" -version 2>&1
} > "$out/machine.txt"

"$java" -jar target/benchmarks.jar -prof gc -rf json -rff "$out/limiter.json" "$@" | tee "$out/limiter.txt"

echo "Results in $out/: limiter.txt, limiter.json, machine.txt"
