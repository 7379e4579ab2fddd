#!/usr/bin/env bash
# The benchmark report in one command: builds with the Maven profile `benchmarks`, runs every benchmark
# beside its baseline in the same run, and writes docs/benchmarks.md. About 15 minutes on 2 cores.
#   bench/run-all.sh           the full run
#   bench/run-all.sh --quick   a smoke run of a few minutes: proves the harness works, measures nothing
#   bench/run-all.sh --skip-jmh  keeps the JMH results of the last run (target/benchmarks/limiter.json)
#   bench/run-all.sh --only=redirect,filter  only these sections (limiter, redis, demo, redirect, filter, payments,
#                              webhooks, grpc); JMH runs only for limiter; the report goes to target/benchmarks/benchmarks-partial.md
#   section grpc is bench/grpc.sh (gRPC against HTTP with h2load), run before the others on its own application
# BENCH_APP_JVM_OPTIONS adds JVM options to the application under test (a flight recording, say).
# Needs nothing running: the application under test starts with its embedded engines, on free ports and a
# data directory under target/benchmarks/. A private redis-server is used for the Redis bucket when installed.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
skip_jmh=false
only=""
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    --skip-jmh) skip_jmh=true ;;
    --only=*) only="${arg#--only=}" ;;
    *) echo "unknown option $arg (use --quick, --skip-jmh, --only=section,...)" >&2; exit 2 ;;
  esac
done
out=target/benchmarks
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# Read before our own build raises it: the one figure that says whether the numbers can be trusted.
load=$(cut -d' ' -f1 /proc/loadavg)
echo "load average at start: $load ($(nproc) cores)"
if awk -v now="$load" 'BEGIN { exit !(now > 0.5) }'; then
  echo "warning: load average $load is above 0.5: other work shares the cores, the report will be marked provisional" >&2
fi

# The HTTP rows' load generator (Debian's wrk), installed the way .ci/run installs Chromium.
if ! command -v wrk >/dev/null; then
  echo "installing wrk"
  { apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; } >/dev/null
fi

./mvnw -B -ntp -q -Pbenchmarks -Dmaven.test.skip=true package
# The benchmark-only routes, and nothing else, go on the loader path of the application under test.
rm -rf target/bench/app-classes && mkdir -p target/bench/app-classes/quartet/bench
cp -r target/jmh-classes/quartet/bench/inapp target/bench/app-classes/quartet/bench/

mkdir -p "$out"
{
  echo "| | |"
  echo "|---|---|"
  echo "| date | $(date -u +%FT%TZ) |"
  echo "| commit | \`$(git describe --always --dirty 2>/dev/null || echo unknown)\` |"
  echo "| \`nproc\` | $(nproc) |"
  echo "| CPU | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), clock source $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null) |"
  echo "| memory | $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) |"
  echo "| \`java -version\` | $("$java" -version 2>&1 | tr '\n' '/' | sed 's/\/$//; s/\//  \/  /g') |"
  echo "| load average at start | $load |"
} > "$out/machine.txt"

if [[ -n "$only" && ",$only," != *",limiter,"* ]]; then
  echo "== Limiter core (JMH): not selected"
elif $skip_jmh && [[ -f "$out/limiter.json" ]]; then
  echo "== Limiter core (JMH): keeping $out/limiter.json"
elif $quick; then
  echo "== Limiter core (JMH, smoke timing)"
  "$java" -jar target/benchmarks.jar -prof gc -rf json -rff "$out/limiter.json" -wi 1 -w 1 -i 1 -r 1 | tee "$out/limiter.txt" \
    | grep -E '^(Benchmark|TokenBucketBenchmark\.[a-zA-Z0-9_]+ +thrpt)' || true
else
  echo "== Limiter core (JMH)" # the timing annotated on TokenBucketBenchmark: 3 x 2 s warm-up, 5 x 2 s measured
  "$java" -jar target/benchmarks.jar -prof gc -rf json -rff "$out/limiter.json" | tee "$out/limiter.txt" \
    | grep -E '^(Benchmark|TokenBucketBenchmark\.[a-zA-Z0-9_]+ +thrpt)' || true
fi

rm -f "$out/grpc.md"
if [[ -z "$only" || ",$only," == *",grpc,"* ]]; then
  echo "== FlowPay over gRPC against HTTP (bench/grpc.sh)"
  if $quick; then bench/grpc.sh 1 2 16 "$out/grpc.md"; else bench/grpc.sh 5 10 16 "$out/grpc.md"; fi
fi

echo "== Application benchmarks"
# Through the Spring Boot loader of quartet.jar, so the driver has the application's libraries.
"$java" -Dbench.quick="$quick" -Dbench.work="$out" -Dbench.loadAtStart="$load" -Dbench.only="$only" \
  -Dbench.appJvmOptions="${BENCH_APP_JVM_OPTIONS:-}" \
  -Dloader.path=target/jmh-classes -Dloader.main=quartet.bench.Benchmarks \
  -cp target/quartet.jar org.springframework.boot.loader.launch.PropertiesLauncher

echo "Report: docs/benchmarks.md; raw output in $out/"
