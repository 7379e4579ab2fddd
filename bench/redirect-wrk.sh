#!/usr/bin/env bash
# The redirect cache hit against the bare 302 in the same JVM, with wrk, in alternating rounds.
#   bench/redirect-wrk.sh [rounds] [seconds per round] [connections]   (defaults: 5 10 16)
# Needs target/quartet.jar and target/jmh-classes from `./mvnw -Pbenchmarks -Dmaven.test.skip=true package`.
# Starts the jar with the benchmark-only routes (the bare 302 at /bench/bare/{code}) and the same
# limiter policies as bench/run-all.sh (the redirect and the bare route under the same local policy),
# creates one link, warms both routes up, then alternates bare and redirect rounds and prints the
# medians, their ratio and the load average before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-10}
connections=${3:-16}
work=target/bench-redirect-wrk
rm -rf "$work" && mkdir -p "$work/app-classes/quartet/bench"
cp -r target/jmh-classes/quartet/bench/inapp "$work/app-classes/quartet/bench/"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
java -Xmx512m -Dloader.path="$work/app-classes" -cp target/quartet.jar org.springframework.boot.loader.launch.PropertiesLauncher \
  --server.port="$port" --quartet.embedded.data-directory="$PWD/$work/data" --logging.level.root=warn \
  --quartet.ratelimit.enabled=true \
  --quartet.ratelimit.policies[0].name=api --quartet.ratelimit.policies[0].patterns[0]=/api/** \
  --quartet.ratelimit.policies[0].capacity=100000000 --quartet.ratelimit.policies[0].refill-tokens=100000000 \
  --quartet.ratelimit.policies[0].refill-period=1m --quartet.ratelimit.policies[0].key=client --quartet.ratelimit.policies[0].store=redis \
  --quartet.ratelimit.policies[1].name=redirects --quartet.ratelimit.policies[1].patterns[0]=/{code} \
  --quartet.ratelimit.policies[1].patterns[1]=/{code}+ --quartet.ratelimit.policies[1].patterns[2]=/bench/bare/* \
  --quartet.ratelimit.policies[1].capacity=100000000 --quartet.ratelimit.policies[1].refill-tokens=100000000 \
  --quartet.ratelimit.policies[1].refill-period=1m --quartet.ratelimit.policies[1].key=ip --quartet.ratelimit.policies[1].store=local \
  > "$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null || true' EXIT
until curl -fs "http://127.0.0.1:$port/actuator/health" > /dev/null; do
  kill -0 $app 2>/dev/null || { echo "the application exited; see $work/app.log" >&2; exit 1; }
  sleep 1
done
code=$(curl -fs -X POST "http://127.0.0.1:$port/api/links" -H 'X-API-Key: demo-key-change-me' -H 'Content-Type: application/json' \
  -d '{"targetUrl":"https://example.com/bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
bare="http://127.0.0.1:$port/bench/bare/$code"
redirect="http://127.0.0.1:$port/$code"
rate() { wrk -t2 -c"$connections" -d"$1"s "$2" | awk '/Requests\/sec/ { print $2 }'; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
for warm in 1 2; do rate 10 "$bare" > /dev/null; rate 10 "$redirect" > /dev/null; done
bares=(); redirects=(); ratios=()
for ((round = 1; round <= rounds; round++)); do
  b=$(rate "$seconds" "$bare"); r=$(rate "$seconds" "$redirect")
  bares+=("$b"); redirects+=("$r"); ratios+=("$(awk -v r="$r" -v b="$b" 'BEGIN { printf "%.3f", r / b }')")
  echo "round $round: bare $b/s, redirect $r/s, ratio ${ratios[-1]}, load $(cut -d' ' -f1 /proc/loadavg)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mb=$(median "${bares[@]}"); mr=$(median "${redirects[@]}")
echo "medians: bare $mb/s, redirect (cache hit) $mr/s, ratio of medians $(awk -v r="$mr" -v b="$mb" 'BEGIN { printf "%.2f", r / b }'), median of round ratios $(median "${ratios[@]}")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# Every redirect is a click: after the next flush (5 s) the statistics hold all of them (none dropped).
sleep 7
echo "clicks counted for the link: $(curl -fs "http://127.0.0.1:$port/api/links/$code/stats" -H 'X-API-Key: demo-key-change-me' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["totalClicks"])')"
