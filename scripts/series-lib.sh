# Shared by the comparison scripts. A tool's result on this machine depends on
# the tool that ran just before it (dirty pages, freed blocks), so each round
# runs the tools in a new random order, and the medians come at the end.
# shuffled TOOL... prints the tools in a random order, one a line.
shuffled() {
  shuf -e -- "$@"
}
# Pipe the "TOOL DIR runN MiB/s" lines through this: they go on to stderr, the medians to stdout.
report_medians() {
  tee /dev/stderr | awk -f scripts/medians.awk | sort
}
# The command under test.
uring=.build/release/uring
# series_arguments DIR [--settle] TOOL... sets dir, settle and the tools array.
series_arguments() {
  dir=$1; shift
  settle=false
  if [ "${1:-}" = --settle ]; then settle=true; shift; fi
  tools=("$@")
}
# in_python CODE ARG... runs CODE with the pyuring build at PYURING_PATH importable.
in_python() {
  local code=$1; shift
  PYTHONPATH="${PYURING_PATH:?set PYURING_PATH to a built pyuring}" python3 -c "$code" "$@"
}
