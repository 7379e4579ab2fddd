#!/usr/bin/env bash
# What tracing costs: warm start to healthy and the redirect hot path, with tracing as configured
# (Micrometer Tracing on, sampling 0.1, no exporter) against management.tracing.enabled=false.
#   bench/tracing-cost.sh [rounds] [seconds per wrk run] [connections]   (defaults: 3 10 16)
# Needs target/quartet.jar (`./mvnw -q -DskipTests package`) and wrk. Each round starts the jar with
# `java -jar` (the launcher, on a scratch data directory whose first start was made beforehand) once
# with tracing and once without, in alternating order, times the start until /actuator/health says UP,
# creates a link, warms the redirect up, measures it with wrk and stops the application.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-10}
connections=${3:-16}
work=target/bench-tracing
# The data directory (and the launcher cache beside it) is kept: only the first run pays the extraction.
mkdir -p "$work" && rm -f "$work/app.log"
limits=(--quartet.ratelimit.policies[0].name=redirects --quartet.ratelimit.policies[0].patterns[0]=/{code}
  --quartet.ratelimit.policies[0].capacity=100000000 --quartet.ratelimit.policies[0].refill-tokens=100000000
  --quartet.ratelimit.policies[0].refill-period=1m --quartet.ratelimit.policies[0].key=ip --quartet.ratelimit.policies[0].store=local)
app=
trap '[ -n "$app" ] && kill $app 2>/dev/null; wait 2>/dev/null || true' EXIT

# Starts the jar with the given extra arguments; sets took to the seconds until healthy.
start() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  local began=$(date +%s.%N)
  java -jar target/quartet.jar --server.port="$port" --spring.grpc.server.port=0 --quartet.embedded.data-directory="$PWD/$work/data" \
    "${limits[@]}" "$@" >> "$work/app.log" 2>&1 &
  app=$!
  until curl -fs "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"UP"'; do
    kill -0 $app 2>/dev/null || { echo "the application exited; see $work/app.log" >&2; exit 1; }
    sleep 0.1
  done
  took=$(awk -v b="$began" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - b }')
}

stop() { kill -TERM $app; wait $app 2>/dev/null || true; app=; }

redirects() {
  local code
  code=$(curl -fs -X POST "http://127.0.0.1:$port/api/links" -H 'X-API-Key: demo-key-change-me' -H 'Content-Type: application/json' \
    -d '{"targetUrl":"https://example.com/bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
  wrk -t2 -c"$connections" -d10s "http://127.0.0.1:$port/$code" > /dev/null
  wrk -t2 -c"$connections" -d"$seconds"s "http://127.0.0.1:$port/$code" | awk '/Requests\/sec/ { print $2 }'
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
if [ ! -d "$work/data/launcher" ]; then
  start; echo "first start (extracts the jar; its stop records the class-data archive): ${took}s"; stop
fi
declare -A starts rates
for ((round = 1; round <= rounds; round++)); do
  if ((round % 2)); then order=(on off); else order=(off on); fi
  for mode in "${order[@]}"; do
    if [ "$mode" = on ]; then start; else start --management.tracing.enabled=false; fi
    s=$took; r=$(redirects); stop
    starts[$mode]+="$s "; rates[$mode]+="$r "
    echo "round $round, tracing $mode: healthy after ${s}s, redirect $r/s, load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
median() { printf '%s\n' $1 | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for mode in on off; do
  echo "tracing $mode: median start $(median "${starts[$mode]}") s, median redirect $(median "${rates[$mode]}")/s"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
