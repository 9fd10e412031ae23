# Shared by scripts/start and scripts/test: locations, and installing what is missing.
# Everything comes from crates.io, npm or Debian's packages; nothing else is downloaded.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WASM_BINDGEN_VERSION="0.2.130" # must equal the wasm-bindgen pinned in Cargo.toml
PLAYWRIGHT_VERSION="1.65.1"

# Build output lives outside the checkout unless told otherwise, so a fresh clone (as in CI)
# reuses the previous build instead of starting cold.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${HOME}/.cache/antq/target}"
export PATH="${HOME}/.cargo/bin:${PATH}"

step() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2
    return 1
  fi
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

ensure_wasm_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WASM_BINDGEN_VERSION}$"; then
    step "installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION} (a few minutes, once)"
    # Not --locked: its own lock file wants a newer rustc than the machine has.
    cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}" --force
  fi
}

# sync_tree <from> <to>: makes <to> hold exactly the files of <from>, rewriting only those whose
# content differs. Files left alone keep their times, so the server's build (which carries
# the site) is not redone when nothing in the site changed.
sync_tree() {
  local from="$1" to="$2" file
  mkdir -p "$to"
  while IFS= read -r -d '' file; do
    if ! cmp -s "$from/$file" "$to/$file"; then
      mkdir -p "$(dirname "$to/$file")"
      cp "$from/$file" "$to/$file"
    fi
  done < <(cd "$from" && find . -type f -print0)
  while IFS= read -r -d '' file; do
    [ -e "$from/$file" ] || rm -f "$to/$file"
  done < <(cd "$to" && find . -type f -print0)
  find "$to" -mindepth 1 -type d -empty -delete
}

# build_site <cargo profile>: the hydrate wasm, its JS glue, the stylesheet and static assets,
# laid out as the server expects under $LEPTOS_SITE_ROOT (one folder per profile, so a debug
# and a release build do not overwrite each other's site). The files are made in a scratch
# folder first; only those that changed reach the site.
build_site() {
  local profile="$1" dir stage
  ensure_wasm_tools
  # Beyond development, the bundles lose their function names: two thirds of their bytes,
  # which phones would otherwise download.
  local strip=()
  case "$profile" in
    dev) dir=debug ;;
    *) dir="$profile" strip=(--remove-name-section --remove-producers-section) ;;
  esac
  export LEPTOS_SITE_ROOT="${CARGO_TARGET_DIR}/site/${profile}"
  stage="${CARGO_TARGET_DIR}/site-stage/${profile}"
  rm -rf "$stage"
  mkdir -p "${stage}/pkg"
  # Four bundles (a page loads the first that holds all its islands): the islands of a
  # school's pages (antq), the dashboard's (antq_dash), those of the movement's pages a school
  # shares with the office (antq_movement), and every island (antq_office).
  local name feature
  for name in antq antq_dash antq_movement antq_office; do
    case "$name" in
      antq) feature=school ;;
      antq_dash) feature=dashboard ;;
      antq_movement) feature=movement ;;
      *) feature=office ;;
    esac
    step "building the browser part ${name} (${profile})"
    cargo build -p frontend --lib --target wasm32-unknown-unknown --profile "$profile" --features "$feature"
    wasm-bindgen --target web --no-typescript "${strip[@]}" --out-dir "${stage}/pkg" \
      --out-name "$name" "${CARGO_TARGET_DIR}/wasm32-unknown-unknown/${dir}/frontend.wasm"
  done
  cp style/main.css "${stage}/pkg/antq.css"
  cp -r public/. "${stage}/"
  precompress "$stage" "$LEPTOS_SITE_ROOT" "$profile"
  sync_tree "$stage" "$LEPTOS_SITE_ROOT"
  rm -rf "$stage"
}

# precompress <stage> <site> <profile>: brotli and gzip forms beside each script, wasm,
# stylesheet and icon of <stage>, for the server to send as they are. A file the site already
# has unchanged keeps its forms. The development bundle (ten times larger, rebuilt often) gets
# quicker settings.
precompress() {
  local stage="$1" site="$2" profile="$3" file br=11 gz=9
  if [ "$profile" = dev ]; then br=5 gz=6; fi
  if ! command -v brotli >/dev/null; then
    step "installing Debian's brotli"
    apt_install brotli
  fi
  while IFS= read -r -d '' file; do
    if cmp -s "$stage/$file" "$site/$file" && [ -f "$site/$file.br" ] && [ -f "$site/$file.gz" ]; then
      cp -p "$site/$file.br" "$site/$file.gz" "$(dirname "$stage/$file")/"
    else
      brotli -q "$br" -f -o "$stage/$file.br" "$stage/$file"
      gzip -"$gz" -n -c "$stage/$file" >"$stage/$file.gz"
    fi
  done < <(cd "$stage" && find . -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' -o -name '*.svg' \) -print0)
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    step "installing Debian's Chromium"
    apt_install chromium
  fi
}

PG_BIN=""
find_postgres() {
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    step "installing Debian's PostgreSQL"
    if apt_install postgresql; then
      PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
    else
      PG_BIN=""
    fi
  fi
}

# start_postgres: a throwaway cluster owned by the `postgres` user (PostgreSQL refuses to run
# as root) in a folder of its own under /tmp (the build folder may sit in a home it cannot
# enter). Sets PG_PORT, PG_OPTIONS, PGDATA_DIR and PG_PID_DIR; stop_postgres removes it.
PG_PID_DIR=""
start_postgres() {
  find_postgres
  [ -n "$PG_BIN" ] && id postgres >/dev/null 2>&1 || return 1
  PGDATA_DIR="$(mktemp -d /tmp/antq-pg.XXXXXX)"
  PG_PORT="$(free_port)"
  PG_OPTIONS="-p $PG_PORT -k $PGDATA_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
  chown postgres: "$PGDATA_DIR"
  step "starting a throwaway PostgreSQL on port $PG_PORT"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PGDATA_DIR/data" -U antq --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGDATA_DIR/initdb.log" &&
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA_DIR/data" -w -l "$PGDATA_DIR/postgres.log" \
      -o "$PG_OPTIONS" start >/dev/null &&
    PG_PID_DIR="$PGDATA_DIR/data"
}

stop_postgres() {
  if [ -n "$PG_PID_DIR" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_PID_DIR" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$(dirname "$PG_PID_DIR")"
    PG_PID_DIR=""
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_for_url <url> <seconds>
wait_for_url() {
  local url="$1" limit="$2" i
  for ((i = 0; i < limit * 4; i++)); do
    if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$url" 2>/dev/null; then
      return 0
    fi
    sleep 0.25
  done
  return 1
}

# Instances started by load_test, one process id a line, so that a script's exit trap can
# stop them even when load_test ran in a subshell (as `run … | tee` does).
LOAD_PIDS_FILE="/tmp/antq-load-pids.$$"

stop_load_servers() {
  if [ -f "$LOAD_PIDS_FILE" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$LOAD_PIDS_FILE"
    rm -f "$LOAD_PIDS_FILE"
  fi
}

# load_test <server binary> <load generator> <database url> <instances> <schools> [options…]:
# fills the (empty) database with a demo province of <schools> schools, serves it from
# <instances> instances in demo mode on loopback ports, runs the load generator
# (server/examples/loadtest.rs) against them with the options given, and stops them.
# Returns non-zero when the generator found a fault or an instance died.
load_test() {
  local server="$1" load="$2" url="$3" instances="$4" schools="$5"
  shift 5
  local logs pids=() ports=() args=() port pid i code=0
  logs="$(mktemp -d /tmp/antq-load-logs.XXXXXX)"
  if ! "$server" --database-url "$url" demo --schools "$schools" >"$logs/demo.log" 2>&1; then
    echo "the demo province could not be made:" >&2
    cat "$logs/demo.log" >&2
    rm -rf "$logs"
    return 1
  fi
  for ((i = 0; i < instances; i++)); do
    port="$(free_port)"
    DATABASE_URL="$url" ANTQ_ADDR="127.0.0.1:$port" ANTQ_LOG=warn \
      "$server" serve --demo >"$logs/server-$port.log" 2>&1 &
    pids+=($!)
    echo "$!" >>"$LOAD_PIDS_FILE"
    ports+=("$port")
    args+=(--base "http://127.0.0.1:$port")
  done
  for port in "${ports[@]}"; do
    if ! wait_for_url "http://127.0.0.1:$port/readyz" 120; then
      echo "the instance on port $port did not become ready" >&2
      code=1
    fi
  done
  if [ "$code" = 0 ]; then
    "$load" "${args[@]}" --database-url "$url" "$@" || code=$?
  fi
  for ((i = 0; i < ${#pids[@]}; i++)); do
    pid="${pids[$i]}"
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "FAILED the instance on port ${ports[$i]} died during the run" >&2
      code=1
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$code" != 0 ]; then
    for port in "${ports[@]}"; do
      echo "--- the last lines the instance on port $port logged:" >&2
      tail -n 20 "$logs/server-$port.log" >&2
    done
  fi
  rm -rf "$logs"
  return "$code"
}
