# Shared by the benchmarks that use the debug build: builds freshet and freshet-bench (unless
# NO_BUILD is set, each build bounded by $build_timeout seconds) and sets `bin` to their folder.
# Usage: source bench/lib/tools.sh; build_debug_tools "$root"
build_debug_tools() {
  local root="$1"
  if [[ -z "${NO_BUILD:-}" ]]; then
    # Two builds: `swift build` with two --product options builds only the last one.
    (cd "$root" && timeout "$build_timeout" swift build --product freshet && timeout "$build_timeout" swift build --product freshet-bench)
  fi
  bin="$(cd "$root" && swift build --show-bin-path)"
  for tool in freshet freshet-bench; do
    [[ -x "$bin/$tool" ]] || { echo "no $bin/$tool: build it first" >&2; exit 2; }
  done
}
