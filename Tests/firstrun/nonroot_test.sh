#!/usr/bin/env bash
# The first run as most people run it: a normal user (made here) on a machine where Debian's own Redis
# and PostgreSQL (started by their packages: Redis without AOF, PostgreSQL without a dellm role) hold
# the ports the stack would use. The stack must leave them alone, run servers of its own on the next
# free ports, say so, and answer a question; given the other PostgreSQL's URL on purpose, it must say
# how to create the role. Run by ./ops/test as root (it makes the user); bounded: every wait has a
# deadline, and everything it starts is stopped at the end.
#
# Needs: DELLM_TEST_BIN (the dellm binary); DELLM_TEST_MODEL_URL (optional: a running llama-server).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/ops/lib/common.sh"
[ "$(id -u)" -eq 0 ] || { echo "firstrun: skipped (needs root to make a user)"; exit 0; }
: "${DELLM_TEST_BIN:?DELLM_TEST_BIN names the dellm binary}"

USER_NAME=dellm-firstrun
work=$(mktemp -d /tmp/dellm-firstrun.XXXXXX)
chmod 755 "$work"
foreign_redis=$(free_port); foreign_pg=$(free_port)
fail() { echo "firstrun: FAILED: $*" >&2; exit 1; }

cleanup() {
  local rc=$?
  if id "$USER_NAME" >/dev/null 2>&1; then
    as_user ./ops/stack down >/dev/null 2>&1 || true
    pkill -KILL -u "$USER_NAME" 2>/dev/null || true
  fi
  redis-cli -p "$foreign_redis" shutdown nosave >/dev/null 2>&1 || true
  runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$work/debian-pg" -m immediate -w stop >/dev/null 2>&1 || true
  if [ $rc -ne 0 ]; then
    for f in "$work"/*.out "$work"/home/.local/state/dellm/logs/*.log "$work"/home/.local/state/dellm/postgres/*.log "$work"/home/.local/state/dellm/redis/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 15 "$f"; }; done
  fi
  id "$USER_NAME" >/dev/null 2>&1 && userdel -r "$USER_NAME" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT INT TERM

# Debian's own servers, as their packages start them: Redis with AOF off, PostgreSQL owned by the
# postgres system user, with no dellm role or database.
redis-server --port "$foreign_redis" --bind 127.0.0.1 --appendonly no --save "" --daemonize yes \
  --dir "$work" --logfile "$work/debian-redis.log" >/dev/null
wait_for 20 redis_ready "$foreign_redis" || fail "the foreign Redis did not start"
mkdir -p "$work/debian-pg" "$work/debian-sock" && chown postgres "$work/debian-pg" "$work/debian-sock"
runuser -u postgres -- "$(pg_bin)/initdb" -D "$work/debian-pg" -U postgres --auth=trust --no-sync >/dev/null 2>&1 || fail "initdb"
runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$work/debian-pg" -l "$work/debian-sock/postgres.log" -w -t 30 \
  -o "-p $foreign_pg -c listen_addresses=127.0.0.1 -k $work/debian-sock" start >/dev/null || fail "the foreign PostgreSQL did not start"

# The user, with a checkout of the scripts and the binary it may read (no build as that user).
useradd -m -d "$work/home" -s /bin/bash "$USER_NAME"
mkdir -p "$work/checkout"
cp -r "$ROOT/ops" "$ROOT/config" "$work/checkout/"
cp "$DELLM_TEST_BIN" "$work/dellm"
chmod -R a+rX "$work/checkout" "$work/dellm"
# The model: the test's llama-server when there is one; else none (the question needs only the calculator).
model_url=${DELLM_TEST_MODEL_URL:-http://192.0.2.1:9}
as_user() {
  (cd "$work/checkout" && runuser -u "$USER_NAME" -- env -i PATH="$PATH" HOME="$work/home" LANG=C.UTF-8 \
    DELLM_BIN="$work/dellm" DELLM_MODEL_URL="$model_url" DELLM_STACK_REDIS_PORT="$foreign_redis" DELLM_STACK_PG_PORT="$foreign_pg" \
    DELLM_METRICS_BASE_PORT="$(free_port)" "$@")
}

# 1. Up, as the user: both ports are held by servers the stack did not start.
as_user ./ops/stack up >"$work/up.out" 2>&1 || fail "ops/stack up exited $? as a normal user"
grep -q "redis: the stack runs its own on port" "$work/up.out" || fail "no word of the stack's own Redis"
grep -q "postgres: the stack runs its own on port" "$work/up.out" || fail "no word of the stack's own PostgreSQL"
grep -q "stack is up" "$work/up.out" || fail "the stack did not come up"
own_redis=$(sed -n 's/^DELLM_REDIS_URL=redis:\/\/127.0.0.1:\([0-9]*\).*/\1/p' < <(as_user ./ops/stack env))
[ -n "$own_redis" ] && [ "$own_redis" != "$foreign_redis" ] || fail "ops/stack env names Redis port '$own_redis'"
[ "$(stat -c %U "/proc/$(redis-cli -p "$own_redis" info server | sed -n 's/^process_id:\([0-9]*\).*/\1/p' | tr -d '\r')")" = "$USER_NAME" ] \
  || fail "the stack's Redis does not run as the user"
grep -E "held by|runs its own" "$work/up.out" | sed "s/^/firstrun:   /"
echo "firstrun: up as $USER_NAME: Debian's Redis :$foreign_redis and PostgreSQL :$foreign_pg left alone; the stack's own Redis on :$own_redis"

# 2. A question through ./ops/run, as the README says.
as_user ./ops/run "What is 17 times 3?" >"$work/run.out" 2>&1 || fail "ops/run exited $?"
grep -q "51" "$work/run.out" || fail "the answer was not 51: $(tail -n 3 "$work/run.out")"
echo "firstrun: ./ops/run answered 17 × 3 = 51"

# 3. Debian's servers hold nothing of DELLM's.
[ "$(redis-cli -p "$foreign_redis" dbsize)" = 0 ] || fail "keys were written to the foreign Redis"
runuser -u postgres -- psql -h 127.0.0.1 -p "$foreign_pg" -U postgres -qtAc "SELECT count(*) FROM pg_database WHERE datname = 'dellm'" \
  | grep -qx 0 || fail "a dellm database was made in the foreign PostgreSQL"

# 4. The foreign PostgreSQL named on purpose: a clear error that says how to create the role.
if as_user env DELLM_DATABASE_URL="postgresql://dellm@127.0.0.1:$foreign_pg/dellm" ./ops/stack up >"$work/explicit.out" 2>&1; then
  fail "ops/stack up succeeded against a PostgreSQL without a dellm role"
fi
grep -q "createuser dellm" "$work/explicit.out" || fail "no hint to create the role: $(tail -n 3 "$work/explicit.out")"
echo "firstrun: named on purpose, the PostgreSQL without a dellm role gets the hint (createuser, createdb)"

# 5. Down: the stack's servers stop; Debian's keep running.
as_user ./ops/stack down >"$work/down.out" 2>&1 || fail "ops/stack down exited $?"
wait_for 20 bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$own_redis)" || fail "the stack's Redis still answers after down"
redis_ready "$foreign_redis" || fail "the foreign Redis was stopped"
echo "firstrun: down stops the stack's own servers only"
