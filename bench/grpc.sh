#!/usr/bin/env bash
# FlowPay over gRPC against the same calls over HTTP/1.1, in one run, in alternating rounds, with one load
# generator (h2load, from Debian's nghttp2-client) on both sides and wrk as a cross-check for HTTP.
#   bench/grpc.sh [rounds] [seconds per round] [connections] [report.md]   (defaults: 5 10 16, no report file)
# Needs target/quartet.jar (`./mvnw -q -DskipTests package`). Starts the jar on free ports with a data
# directory under target/bench-grpc/ and, as bench/redirect-wrk.sh does, the `api` rate-limit policy alone, raised
# out of the way (both transports still pay for the decision: gRPC calls spend from the HTTP route's bucket in Redis).
#
# What is measured, per round, each for `seconds`, at `connections` connections with one request in flight each:
#   GetPayment     the same payment read again and again: gRPC GetPayment against GET /api/payments/{id}
#   CreatePayment  replays: h2load sends one body with one header set, so a distinct Idempotency-Key per request
#                  (and a distinct order, one live payment per order) is not possible with it. Each round pays a
#                  fresh order once, then sends that same request under the same key: every measured call is an
#                  idempotent replay (key lookup, body comparison, stored answer), over gRPC and over HTTP alike.
#                  First-time creations are measured by bench/run-all.sh's payments section (HTTP only).
# Latencies come from h2load's per-request log (--log-file). h2load cannot judge the answers (see h2 below), so
# every round checks its bytes per response against an answer checked on its own (grpc-status 0 and the replay
# mark for gRPC, the HTTP status for HTTP), and one gRPC call per round is checked again after it.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-10}
connections=${3:-16}
report=${4:-}
work=target/bench-grpc
key=demo-key-change-me

apt_updated=""
install() { # as .ci/run does
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
command -v h2load >/dev/null && command -v nghttp >/dev/null || install nghttp2-client
command -v wrk >/dev/null || install wrk

protoc=$(ls ~/.m2/repository/com/google/protobuf/protoc/*/protoc-*-linux-x86_64.exe 2>/dev/null | sort -V | tail -1)
protobuf_java=$(ls ~/.m2/repository/com/google/protobuf/protobuf-java/*/protobuf-java-*.jar 2>/dev/null | grep -v sources | sort -V | tail -1)
[[ -n "$protoc" && -n "$protobuf_java" ]] || { echo "protoc or protobuf-java is not in ~/.m2: build once with ./mvnw package" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work/include" "$work/bodies"
chmod +x "$protoc"
(cd "$work/include" && unzip -q -o "$protobuf_java" 'google/protobuf/*.proto')

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
grpc_port=$(free_port)
java -Xmx512m -cp target/quartet.jar org.springframework.boot.loader.launch.PropertiesLauncher \
  --quartet.launcher.enabled=false --server.port="$port" --spring.grpc.server.port="$grpc_port" \
  --quartet.embedded.data-directory="$PWD/$work/data" --logging.level.root=warn \
  --quartet.ratelimit.enabled=true \
  --quartet.ratelimit.policies[0].name=api --quartet.ratelimit.policies[0].patterns[0]=/api/** \
  --quartet.ratelimit.policies[0].capacity=100000000 --quartet.ratelimit.policies[0].refill-tokens=100000000 \
  --quartet.ratelimit.policies[0].refill-period=1m --quartet.ratelimit.policies[0].key=client --quartet.ratelimit.policies[0].store=redis \
  > "$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null || true' EXIT
until curl -fs "http://127.0.0.1:$port/actuator/health" > /dev/null; do
  kill -0 $app 2>/dev/null || { echo "the application exited; see $work/app.log" >&2; exit 1; }
  sleep 1
done
http="http://127.0.0.1:$port"
grpc="http://127.0.0.1:$grpc_port/quartet.payments.v1.PaymentService"
json() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# A length-prefixed gRPC frame (uncompressed) holding the text-format message $2 of type $1.
frame() {
  printf '%s\n' "$2" | "$protoc" -I src/main/proto -I "$work/include" --encode="quartet.payments.v1.$1" \
    quartet/payments/v1/payments.proto > "$work/raw.bin"
  python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(); sys.stdout.buffer.write(b"\0"+struct.pack(">I",len(d))+d)' "$work/raw.bin"
}
place_order() {
  curl -fs "$http/api/orders" -H "X-API-Key: $key" -H 'Content-Type: application/json' \
    -d '{"customerReference":"bench-grpc","currency":"EUR","items":[{"description":"Book","quantity":1,"unitPrice":1250}]}' | json id
}
# One checked gRPC call: fails unless grpc-status is 0; prints the response's DATA bytes.
grpc_check() { # method body-file [idempotency-key] [expect-replayed]
  local out
  out=$(nghttp -v -d "$2" -H 'content-type: application/grpc' -H 'te: trailers' -H "x-api-key: $key" \
    ${3:+-H "idempotency-key: $3"} "$grpc/$1" 2>&1 | tr -d '\0')
  grep -q 'grpc-status: 0' <<< "$out" || { echo "gRPC $1 failed:" >&2; grep -E 'grpc-(status|message)' <<< "$out" >&2; exit 1; }
  if [[ -n "${4:-}" ]]; then grep -q 'idempotent-replayed: true' <<< "$out" || { echo "gRPC $1 was not a replay" >&2; exit 1; }; fi
  awk '/recv DATA frame <length=/ { sub(/.*length=/, ""); sub(/,.*/, ""); n += $0 } END { print n }' <<< "$out"
}

order=$(place_order)
payment=$(curl -fs "$http/api/payments" -H "X-API-Key: $key" -H 'Content-Type: application/json' \
  -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" \
  -d "{\"orderId\":\"$order\",\"amount\":1250,\"currency\":\"EUR\",\"paymentMethod\":\"pm_card_visa\"}" | json id)
frame GetPaymentRequest "id: \"$payment\"" > "$work/bodies/get.bin"
get_bytes=$(grpc_check GetPayment "$work/bodies/get.bin")

# A fresh order per round and transport, paid once under one key; the measured calls replay it.
prepare_create() { # transport -> writes the body and sets create_key
  local fresh; fresh=$(place_order)
  create_key=$(cat /proc/sys/kernel/random/uuid)
  if [[ "$1" == grpc ]]; then
    frame CreatePaymentRequest "order_id: \"$fresh\" amount { minor_units: 1250 currency_code: \"EUR\" } payment_method: \"pm_card_visa\"" \
      > "$work/bodies/create.bin"
    create_bytes=$(grpc_check CreatePayment "$work/bodies/create.bin" "$create_key")
    grpc_check CreatePayment "$work/bodies/create.bin" "$create_key" replayed > /dev/null
  else
    printf '{"orderId":"%s","amount":1250,"currency":"EUR","paymentMethod":"pm_card_visa"}' "$fresh" > "$work/bodies/create.json"
    curl -fs -o /dev/null "$http/api/payments" -H "X-API-Key: $key" -H 'Content-Type: application/json' \
      -H "Idempotency-Key: $create_key" --data-binary @"$work/bodies/create.json"
    http_create_bytes=$(http_reference "HTTP replay" 201 http_create "$http/api/payments" -H "X-API-Key: $key" \
      -H 'Content-Type: application/json' -H "Idempotency-Key: $create_key" --data-binary @"$work/bodies/create.json")
  fi
}

# One h2load run; prints "requests/s p50-ms p99-ms bytes-per-response responses". h2load cannot read Tomcat's
# status line (no reason phrase) and sees gRPC errors as HTTP 200, so no status is trusted: check_full compares
# each run's bytes per response with those of an answer checked on its own (an error answer is shorter).
h2() { # label bytes(data|total) h2load-args...
  local label=$1 which=$2; shift 2
  local log="$work/$label.log" out
  out=$(h2load -D "$seconds" -c "$connections" -m 1 -t 1 --log-file="$log" "$@" 2>&1)
  local rps bytes total
  rps=$(awk '/^finished in/ { print $4 + 0 }' <<< "$out")
  if [[ $which == data ]]; then bytes=$(awk '/^traffic:/ { gsub(/[()]/, ""); print $(NF-1) }' <<< "$out")
  else bytes=$(awk '/^traffic:/ { gsub(/[()]/, ""); print $3 }' <<< "$out"); fi
  total=$(awk '/^requests:/ { print $6 }' <<< "$out") # "done": the log also holds calls cut off at the end
  [[ "$total" -gt 0 ]] || { echo "$label: no responses" >&2; exit 1; }
  cut -f3 "$log" | sort -n | awk -v rps="$rps" -v bytes="$bytes" -v n="$total" \
    '{ v[NR] = $1 } END { printf "%s %.2f %.2f %.1f %d\n", rps, v[int(NR * 0.50) + 1] / 1000, v[int(NR * 0.99) + 1] / 1000, bytes / n, n }'
}
grpc_get() { h2 grpc-get data -d "$work/bodies/get.bin" -H 'content-type: application/grpc' -H 'te: trailers' -H "x-api-key: $key" "$grpc/GetPayment"; }
http_get() { h2 http-get total --h1 -H "x-api-key: $key" "$http/api/payments/$payment"; }
grpc_create() { h2 grpc-create data -d "$work/bodies/create.bin" -H 'content-type: application/grpc' -H 'te: trailers' -H "x-api-key: $key" \
  -H "idempotency-key: $create_key" "$grpc/CreatePayment"; }
http_create() { h2 http-create total --h1 -d "$work/bodies/create.json" -H "x-api-key: $key" -H 'content-type: application/json' \
  -H "idempotency-key: $create_key" "$http/api/payments"; }
wrk_get() { wrk -t1 -c"$connections" -d"$seconds"s -H "X-API-Key: $key" --latency "$http/api/payments/$payment" \
  | awk '/Requests\/sec/ { r = $2 } / 99%/ { p = $2 } END { print r, p }'; }
check_full() { # label bytes-per-response reference: within 3 % below (the RateLimit and Date fields vary a little)
  awk -v got="$2" -v want="$3" 'BEGIN { exit !(got >= 0.97 * want) }' \
    || { echo "$1: $2 bytes per response, a checked answer has $3: some calls failed" >&2; exit 1; }
}
# The HTTP references: one call checked for its status, then the bytes h2load counts for 20 of them.
http_reference() { # label expected-status runner
  local status; status=$(curl -s -o /dev/null -w '%{http_code}' "${@:4}")
  [[ "$status" == "$2" ]] || { echo "$1: HTTP $status, expected $2" >&2; exit 1; }
  local saved=$seconds; seconds=1; "$3" | cut -d' ' -f4; seconds=$saved
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average before: $load_before ($(nproc) cores); $rounds rounds of $seconds s at $connections connections"
seconds_measured=$seconds; seconds=5  # warm-up: every path twice, shorter
http_get_bytes=$(http_reference "HTTP GET" 200 http_get "$http/api/payments/$payment" -H "X-API-Key: $key")
for warm in 1 2; do
  grpc_get > /dev/null; http_get > /dev/null
  prepare_create grpc; grpc_create > /dev/null; prepare_create http; http_create > /dev/null
done
seconds=$seconds_measured
declare -A results
for ((round = 1; round <= rounds; round++)); do
  # Alternate which transport goes first, so neither always runs on the warmer or quieter moment.
  if (( round % 2 )); then order_of=(grpc http); else order_of=(http grpc); fi
  for transport in "${order_of[@]}"; do
    r=$("${transport}_get"); results[$transport-get]+="$r;"
    if [[ $transport == grpc ]]; then check_full "round $round GetPayment" "$(cut -d' ' -f4 <<< "$r")" "$get_bytes"
      grpc_check GetPayment "$work/bodies/get.bin" > /dev/null
    else check_full "round $round GET" "$(cut -d' ' -f4 <<< "$r")" "$http_get_bytes"; fi
    prepare_create "$transport"
    r=$("${transport}_create"); results[$transport-create]+="$r;"
    if [[ $transport == grpc ]]; then check_full "round $round CreatePayment" "$(cut -d' ' -f4 <<< "$r")" "$create_bytes"
      grpc_check CreatePayment "$work/bodies/create.bin" "$create_key" replayed > /dev/null
    else check_full "round $round POST" "$(cut -d' ' -f4 <<< "$r")" "$http_create_bytes"; fi
  done
  w=$(wrk_get); results[wrk-get]+="$w;"
  echo "round $round: $(for k in grpc-get http-get grpc-create http-create; do printf '%s %s/s p99 %s ms | ' "$k" \
    "$(tr ';' '\n' <<< "${results[$k]}" | grep . | tail -1 | cut -d' ' -f1)" "$(tr ';' '\n' <<< "${results[$k]}" | grep . | tail -1 | cut -d' ' -f3)"; done)wrk GET $w; load $(cut -d' ' -f1 /proc/loadavg)"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column() { tr ';' '\n' <<< "${results[$1]}" | grep . | cut -d' ' -f"$2" | median; }
by_round() { tr ';' '\n' <<< "${results[$1]}" | grep . | cut -d' ' -f1 | awk '{ printf "%s%.0f", (NR > 1 ? ", " : ""), $1 }'; }
row() { # label key
  printf '| %s | %.0f/s | %.2f ms | %.2f ms | %s |\n' "$1" "$(column "$2" 1)" "$(column "$2" 2)" "$(column "$2" 3)" "$(by_round "$2")"
}
ratio() { awk -v a="$(column "$1" 1)" -v b="$(column "$2" 1)" 'BEGIN { printf "%.2f", a / b }'; }
table=$(
  echo "| call ($connections connections, 1 request in flight each; medians of $rounds rounds of $seconds s) | calls/s | p50 | p99 | calls/s by round |"
  echo "|---|---|---|---|---|"
  row "gRPC \`GetPayment\` (h2load, HTTP/2)" grpc-get
  row "HTTP \`GET /api/payments/{id}\` (h2load --h1)" http-get
  row "gRPC \`CreatePayment\`, replayed under one idempotency-key (h2load)" grpc-create
  row "HTTP \`POST /api/payments\`, replayed under one Idempotency-Key (h2load --h1)" http-create
  printf '| cross-check: HTTP `GET /api/payments/{id}` with wrk | %.0f/s | – | %s | %s |\n' "$(column wrk-get 1)" \
    "$(tr ';' '\n' <<< "${results[wrk-get]}" | grep . | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//; s/ /, /g')" "$(by_round wrk-get)"
  echo
  echo "gRPC ÷ HTTP (medians): GetPayment $(ratio grpc-get http-get), CreatePayment replays $(ratio grpc-create http-create)." \
    "Load average $load_before before, $load_after after ($(nproc) cores); $(date -u +%FT%TZ)."
)
echo "$table"
if [[ -n "$report" ]]; then printf '%s\n' "$table" > "$report"; echo "wrote $report"; fi
