# Shared by the benchmark scripts: start `freshet emulator` on 127.0.0.1 (port 0) in the
# background, wait for its URL, and stop it on exit.
#
#   source "$(dirname "$0")/../lib/emulator.sh"
#   start_emulator BINARY SEED WORKDIR    # sets emulator_pid and emulator_url
#
# The EXIT trap stops the emulator and removes WORKDIR.

emulator_pid=""
emulator_url=""
emulator_work=""

stop_emulator() {
  if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  [[ -n "$emulator_work" ]] && rm -rf "$emulator_work"
  return 0
}

start_emulator() {
  local binary="$1" seed="$2"
  emulator_work="$3"
  trap stop_emulator EXIT
  "$binary" emulator --seed "$seed" --host 127.0.0.1 --port 0 >"$emulator_work/emulator.out" 2>"$emulator_work/emulator.err" &
  emulator_pid=$!
  for _ in $(seq 1 600); do
    emulator_url="$(sed -n 's/^Tableau emulator listening on \(http:\/\/[^ ]*\)$/\1/p' "$emulator_work/emulator.out" | head -1)"
    [[ -n "$emulator_url" ]] && return 0
    kill -0 "$emulator_pid" 2>/dev/null || { echo "the emulator exited:" >&2; cat "$emulator_work/emulator.err" >&2; exit 1; }
    sleep 0.1
  done
  echo "the emulator did not start within 60 s" >&2
  exit 1
}
