# Shared helpers for the ops/ scripts. Source it; do not run it.
DELLM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# CI and service managers may start us without HOME.
export HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
# As root the state lives in /var/lib/dellm: PostgreSQL runs as the system user 'dellm', which cannot
# enter root's home.
if [ "$(id -u)" -eq 0 ]; then _default_state=/var/lib/dellm; else _default_state="${XDG_STATE_HOME:-$HOME/.local/state}/dellm"; fi
DELLM_STATE="${DELLM_STATE_DIR:-$_default_state}"
DELLM_CACHE="${DELLM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dellm}"
export DELLM_CACHE

say() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The Debian packages the project needs to build, test and run.
DELLM_APT_PACKAGES=(redis-server redis-tools postgresql postgresql-client libhiredis-dev libpq-dev libcurl4-openssl-dev
                    pkg-config bubblewrap cmake g++ python3 unzip curl util-linux docker-compose)

# Installs the packages that are missing (apt-get update once, only if something is missing).
# ensure_packages [MORE…]: the stack's packages and any more (./ops/test adds the browser for the console test).
ensure_packages() {
  local missing=()
  for p in "${DELLM_APT_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]} — install them (sudo apt-get install ${missing[*]})"
  say "installing: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  # Do not let package scripts start system services on the ports the stack uses.
  # Removed however the install ends (a failed install must not leave services unable to start).
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || rc=$?
  rm -f /usr/sbin/policy-rc.d
  return $rc
}

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ -n "$d" ] || die "PostgreSQL server binaries not found (apt-get install postgresql)"
  echo "$d"
}

# Runs a command as the unprivileged user PostgreSQL needs when we are root.
as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then
    id dellm >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin dellm
    runuser -u dellm -- "$@"
  else
    "$@"
  fi
}

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# port_of URL DEFAULT
port_of() {
  local p
  p=$(printf '%s' "$1" | sed -nE 's#^[a-z]+://([^@/]*@)?[^:/]+:([0-9]+).*#\2#p')
  echo "${p:-$2}"
}

# Waits until a command succeeds, up to N seconds.
wait_for() {
  local seconds=$1; shift
  local i
  for ((i = 0; i < seconds * 5; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

redis_ready() { [ "$(redis-cli -p "$1" ping 2>/dev/null)" = PONG ]; }

# Starts a Redis server: start_redis DIR PORT
start_redis() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  # Node users (`dellm ops nodes add`) are saved here, so they outlive a restart.
  touch "$dir/users.acl"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --appendonly yes --appendfsync everysec --aclfile "$dir/users.acl" \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" >/dev/null
  # PING answers LOADING while the AOF is read back: wait for PONG.
  wait_for 30 redis_ready "$port" || die "Redis did not start on port $port (see $dir/redis.log)"
}

# Stops a throwaway Redis started by start_redis: by its port (a restarted server's pid file can be
# removed by its exiting predecessor), then by the pid file. stop_redis DIR PORT
stop_redis() {
  local dir=$1 port=$2
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  [ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
}

# N consecutive free ports whose cluster bus ports (+10000) are free too: free_port_block N
free_port_block() {
  python3 - "$1" <<'PY'
import random, socket, sys
n = int(sys.argv[1])
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
for _ in range(200):
    base = random.randint(20000, 45000)
    if all(free(base + i) and free(base + 10000 + i) for i in range(n)):
        print(" ".join(str(base + i) for i in range(n))); sys.exit(0)
sys.exit("no free block of ports")
PY
}

cluster_ok() {
  local p
  for p in "$@"; do redis-cli -p "$p" cluster info 2>/dev/null | grep -q "cluster_state:ok" || return 1; done
}

# Starts a Redis Cluster on loopback: 3 masters and 3 replicas (AOF on, node timeout 2 s), each in
# DIR/PORT. Prints the six ports (the first three are the masters). start_redis_cluster DIR
start_redis_cluster() {
  local dir=$1 ports p
  ports=$(free_port_block 6) || die "no six free ports for a cluster"
  for p in $ports; do
    mkdir -p "$dir/$p"
    # Users (ACL SETUSER goes to every node) are saved in each node's file and outlive its restart.
    touch "$dir/$p/users.acl"
    redis-server --port "$p" --bind 127.0.0.1 --dir "$dir/$p" --cluster-enabled yes --cluster-config-file nodes.conf \
      --aclfile "$dir/$p/users.acl" --cluster-node-timeout 2000 --appendonly yes --appendfsync everysec --save "" --daemonize yes \
      --pidfile "$dir/$p/redis.pid" --logfile "$dir/$p/redis.log" >/dev/null
  done
  for p in $ports; do wait_for 20 redis_ready "$p" || die "cluster node $p did not start (see $dir/$p/redis.log)"; done
  # shellcheck disable=SC2046
  redis-cli --cluster create $(printf '127.0.0.1:%s ' $ports) --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1 \
    || die "redis-cli --cluster create failed (see $dir/create.log)"
  # shellcheck disable=SC2086
  wait_for 30 cluster_ok $ports || die "the cluster did not reach cluster_state:ok"
  echo $ports
}

stop_redis_cluster() {
  local dir=$1 d
  for d in "$dir"/*/; do
    [ -f "$d/redis.pid" ] && kill "$(cat "$d/redis.pid")" 2>/dev/null || true
  done
}

# Restarts a throwaway Redis in place (its AOF is read back): the old process is waited out first,
# since its exit removes the pid file the new one has written. restart_redis DIR PORT
restart_redis() {
  local dir=$1 port=$2 old
  old=$(cat "$dir/redis.pid" 2>/dev/null || true)
  redis-cli -p "$port" shutdown >/dev/null 2>&1 || true
  [ -n "$old" ] && wait_for 10 gone "$old"
  start_redis "$dir" "$port"
}
gone() { ! kill -0 "$1" 2>/dev/null; }

# Starts a PostgreSQL cluster with a 'dellm' role and database: start_postgres DIR PORT
# (DELLM_PG_OPTIONS: more server options, "-c name=value …")
start_postgres() {
  local dir=$1 port=$2 bin
  bin=$(pg_bin)
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && { id dellm >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin dellm; chown dellm "$dir"; }
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg_user "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || die "initdb failed (see $dir/initdb.log)"
  fi
  mkdir -p "$dir/sock"; [ "$(id -u)" -eq 0 ] && chown dellm "$dir/sock"
  as_pg_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir/sock -c fsync=on -c max_connections=200 ${DELLM_PG_OPTIONS:-}" start >/dev/null \
    || die "PostgreSQL did not start on port $port (see $dir/postgres.log)"
  as_pg_user psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtAc \
    "SELECT 1 FROM pg_roles WHERE rolname='dellm'" | grep -q 1 \
    || as_pg_user psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE ROLE dellm LOGIN" >/dev/null
  as_pg_user psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtAc \
    "SELECT 1 FROM pg_database WHERE datname='dellm'" | grep -q 1 \
    || as_pg_user psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE dellm OWNER dellm" >/dev/null
}

stop_postgres() {
  local dir=$1
  [ -f "$dir/data/postmaster.pid" ] || return 0
  as_pg_user "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# Starts llama-server on PORT with the cached SmolLM2 model, logging to LOG: start_model PORT LOG PIDFILE
start_model() {
  local port=$1 log=$2 pidfile=$3 prov server model
  prov=$("$DELLM_ROOT/ops/provision-model") || die "model provisioning failed"
  server=$(printf '%s\n' "$prov" | sed -n 's/^LLAMA_SERVER=//p')
  model=$(printf '%s\n' "$prov" | sed -n 's/^DELLM_MODEL_FILE=//p')
  LD_LIBRARY_PATH="$(dirname "$server")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" nohup "$server" --host 127.0.0.1 --port "$port" \
    -m "$model" -c 8192 -np 4 -t "$(nproc)" --no-webui --metrics >"$log" 2>&1 &
  local pid=$!
  echo $pid >"$pidfile"
  # 503 while loading is 'busy', not dead; wait for 200, but give up at once if the process died.
  local i
  for ((i = 0; i < 600; i++)); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 5 "$log" >&2; die "llama-server exited while starting (see $log)"; }
    sleep 0.2
  done
  die "llama-server did not become healthy on port $port within 120 s (see $log)"
}

# Builds the dellm executable (release; incremental, about two seconds when nothing changed) and
# prints its path. SwiftPM decides what changed, not file times.
#
# Linked like the container image (docker/Dockerfile): the Swift runtime and Foundation statically,
# so a worker maps only the code it uses (the shared libFoundation, ICU and libswiftCore were resident
# in full: 31-34 MB idle), and as a position-dependent executable (DELLM_LINK_FLAGS). A PIE of it carries
# 80,000 relocations that the loader applies at every start, dirtying about 1 MB of each worker's pages
# and touching 3 MB more; without them an idle worker is 24-26 MB. The price: the executable's own code
# is not address-randomised (the stack, the heap and the shared libraries still are), as with Go's
# default builds. It has its own build directory (.build/static) so that the debug build of ./ops/test
# is not relinked.
#
# When nothing changed it does not call SwiftPM at all (which takes 0.5-3 s and leaves temporary
# directories in /tmp): the binary carries a stamp of the sources' names, sizes and times, and of the
# link flags, and a call whose stamp matches answers at once.
DELLM_LINK_FLAGS=(-Xswiftc -Xclang-linker -Xswiftc -no-pie)
sources_stamp() {
  (cd "$DELLM_ROOT" && { find Sources Package.swift -type f -printf '%p %s %T@\n' | LC_ALL=C sort; echo "${DELLM_LINK_FLAGS[*]}"; } | sha256sum | cut -d' ' -f1)
}
# DELLM_BIN names a dellm binary to use instead (an installed one, or one built elsewhere).
build_dellm() {
  if [ -n "${DELLM_BIN:-}" ]; then
    [ -x "$DELLM_BIN" ] || die "DELLM_BIN=$DELLM_BIN is not an executable"
    echo "$DELLM_BIN"; return 0
  fi
  local log scratch="$DELLM_ROOT/.build/static" stamp
  local bin="$scratch/release/dellm"
  stamp=$(sources_stamp)
  if [ -x "$bin" ] && [ "$(cat "$bin.stamp" 2>/dev/null)" = "$stamp" ]; then echo "$bin"; return 0; fi
  command -v swift >/dev/null || die "swift is not on PATH (Swift 6 is needed to build dellm)"
  ensure_packages
  # SwiftPM leaves TemporaryDirectory.* folders behind in $TMPDIR: give it one of its own, emptied after.
  mkdir -p "$scratch/tmp"
  log=$(cd "$DELLM_ROOT" && TMPDIR="$scratch/tmp" swift build -c release --product dellm --static-swift-stdlib "${DELLM_LINK_FLAGS[@]}" --scratch-path "$scratch" 2>&1) \
    || { rm -rf "$scratch/tmp"; printf '%s\n' "$log" | grep -E 'error' >&2; die "swift build failed"; }
  rm -rf "$scratch/tmp"
  printf '%s\n' "$log" | grep -qE 'Compiling|Linking' && say "built dellm (release, static Swift runtime)"
  echo "$stamp" >"$bin.stamp"
  echo "$bin"
}
