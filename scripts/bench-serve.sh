#!/usr/bin/env bash
# Ingest benchmark of `amtsbote serve` against nginx, as ratios (issue 4):
# runs ../shared/bench/peers/http-ceiling.sh (wrk, 2 KiB JSON POSTs at 1, 16, 128 connections)
# first against nginx, then against `amtsbote bench http-floor` (a bare Hummingbird handler that
# only reads the body and answers 202: the framework's own ceiling on this machine), then
# against a release `amtsbote serve` in a temp directory with a
# bench mapping that routes the peer's body, the default limits and one client token.
# Every 202 is durable (the spool fdatasyncs before answering). Needs nginx and wrk
# (the peer script installs them with apt-get if missing).
#   scripts/bench-serve.sh                 # both peers
#   WAIT_QUIET=60 scripts/bench-serve.sh   # wait up to 60 s per run for a quiet machine
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peer=${PEER_SCRIPT:-$root/../shared/bench/peers/http-ceiling.sh}
port=${PORT:-18080}
binary=$root/.build/release/amtsbote
[ -x "$binary" ] || (cd "$root" && swift build -c release --product amtsbote)

work=$(mktemp -d /tmp/amtsbote-bench-serve.XXXXXX)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/mappings"
cat >"$work/mappings/bench.yaml" <<'YAML'
target: bench
description: Routes the http-ceiling peer's 2 KiB JSON body.
match:
  format: json
  where:
    path: form
    equals: "gewerbeanmeldung"
output:
  format: json
fields:
  - name: form
    path: /form
    required: true
YAML
token=bench-token-$RANDOM$RANDOM
digest=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)
cat >"$work/amtsbote.yaml" <<YAML
listen: {host: 127.0.0.1, port: $port}
spool: spool
mappings: mappings
portal:
  clients:
    - {name: bench, tokenSHA256: $digest}
log: {format: text, level: info}
YAML

bash "$peer"
floor_port=$((port + 1))
"$binary" bench http-floor --port "$floor_port" >"$work/floor.log" 2>&1 &
floor_pid=$!
for _ in $(seq 100); do grep -q "listening" "$work/floor.log" 2>/dev/null && break; sleep 0.1; done
PEER_NAME="hummingbird floor (release)" bash "$peer" "http://127.0.0.1:$floor_port/v1/submissions"
kill -TERM "$floor_pid" 2>/dev/null; wait "$floor_pid" 2>/dev/null || true
(cd "$work" && exec "$binary" serve --config amtsbote.yaml 2>"$work/serve.log") &
server_pid=$!
for _ in $(seq 100); do grep -q "Portal API listening" "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
AUTH_HEADER="Bearer $token" PEER_NAME="amtsbote serve (release)" bash "$peer" "http://127.0.0.1:$port/v1/submissions"
echo "# server: $(grep -c 'Request served' "$work/serve.log") requests logged, spool $(du -sh "$work/spool" | cut -f1)"
