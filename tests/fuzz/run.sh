#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*_fuzz.cc; clang++, AddressSanitizer and
# UndefinedBehaviorSanitizer) into build/fuzz/ and runs each, one after the other, for a bounded
# time, starting from its corpus tests/fuzz/corpus/<target>/. Inputs the fuzzer finds go to a
# temporary directory, so a run leaves the repository as it was unless --merge is given.
#
# usage: tests/fuzz/run.sh [--seconds N | --budget N] [--merge] [--replay] [--build-dir DIR]
#                          [TARGET...]
#   TARGET        e.g. sample_id (default: every target)
#   --seconds N   fuzz each target N seconds (default $LIMS_FUZZ_SECONDS, else 15)
#   --budget N    share N seconds among the targets, at least 3 each (ctest: keeps CI short);
#                 LIMS_FUZZ_SECONDS, when set, still wins
#   --merge       afterwards, add the new inputs that reach new code to the corpus in the repo
#   --replay      only run the corpus (regression check, a second or two), no fuzzing
#   --build-dir   default $LIMS_FUZZ_BUILD_DIR, else build/fuzz
# Environment: LIMS_FUZZ_CXX (default clang++), LIMS_BUILD_JOBS (default 2).
# Exit status: 0 when every target ran clean; 1 when a property failed or a sanitizer fired (the
# input is kept under build/fuzz/artifacts/<target>/, and the log under build/fuzz/logs/).
set -euo pipefail

FUZZ_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$FUZZ_DIR/../.." && pwd)
BUILD=${LIMS_FUZZ_BUILD_DIR:-$ROOT/build/fuzz}
CXX=${LIMS_FUZZ_CXX:-clang++}
JOBS=${LIMS_BUILD_JOBS:-2}

log() { echo "fuzz: $*" >&2; }
die() {
  log "$*"
  exit 1
}
usage() {
  sed -n '/^# usage:/,/^# Exit status/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

seconds=""
budget=""
merge=0
replay=0
targets=()
while (($#)); do
  case $1 in
    --seconds) seconds=${2:?--seconds needs a number}; shift ;;
    --budget) budget=${2:?--budget needs a number}; shift ;;
    --merge) merge=1 ;;
    --replay) replay=1 ;;
    --build-dir) BUILD=${2:?--build-dir needs a directory}; shift ;;
    -h | --help) usage ;;
    -*) log "unknown option '$1'"; usage ;;
    *) targets+=("$1") ;;
  esac
  shift
done

all_targets=()
for source in "$FUZZ_DIR"/*_fuzz.cc; do
  name=$(basename "$source" _fuzz.cc)
  all_targets+=("$name")
done
if ((${#targets[@]} == 0)); then
  targets=("${all_targets[@]}")
fi
for t in "${targets[@]}"; do
  [[ -f $FUZZ_DIR/${t}_fuzz.cc ]] || die "no target '$t' (have: ${all_targets[*]})"
done

if [[ -n $seconds ]]; then
  :
elif [[ -n ${LIMS_FUZZ_SECONDS:-} ]]; then
  seconds=$LIMS_FUZZ_SECONDS
elif [[ -n $budget ]]; then
  seconds=$((budget / ${#targets[@]}))
  ((seconds >= 3)) || seconds=3
else
  seconds=15
fi
[[ $seconds =~ ^[0-9]+$ ]] || die "seconds must be a whole number, got '$seconds'"

# --- build -------------------------------------------------------------------------------------
command -v "$CXX" >/dev/null ||
  die "$CXX not found: install clang and libclang-rt-14-dev (deploy/install-deps.sh --tests)"
# Several people share the cores of a machine: one build at a time (never call this script while
# holding /tmp/lims-build.lock yourself).
locked() {
  if command -v flock >/dev/null; then flock /tmp/lims-build.lock "$@"; else "$@"; fi
}
if [[ ! -f $BUILD/CMakeCache.txt ]]; then
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  log "configuring $BUILD with $CXX"
  mkdir -p "$BUILD"
  locked cmake -S "$FUZZ_DIR/project" -B "$BUILD" "${generator[@]}" \
    -DCMAKE_CXX_COMPILER="$CXX" >"$BUILD/configure.log" 2>&1 || {
    cat "$BUILD/configure.log" >&2
    die "configuring the fuzz build failed"
  }
fi
log "building (-j$JOBS)"
build_targets=()
for t in "${targets[@]}"; do build_targets+=(--target "${t}_fuzz"); done
locked cmake --build "$BUILD" -j"$JOBS" "${build_targets[@]}" >"$BUILD/build.log" 2>&1 || {
  cat "$BUILD/build.log" >&2
  die "building the fuzz targets failed"
}

# --- run ---------------------------------------------------------------------------------------
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/lims-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$BUILD/logs"

failed=()
for t in "${targets[@]}"; do
  source=$FUZZ_DIR/${t}_fuzz.cc
  binary=$BUILD/${t}_fuzz
  corpus=$FUZZ_DIR/corpus/$t
  artifacts=$BUILD/artifacts/$t
  log_file=$BUILD/logs/$t.log
  new=$scratch/$t
  mkdir -p "$new" "$artifacts"

  # Per-target libFuzzer flags from the source ("// fuzz-options: -max_len=128") and dictionary.
  options=()
  read -r -a options <<<"$(sed -n 's|^// fuzz-options:||p' "$source" | tr '\n' ' ')" || true
  [[ -f $FUZZ_DIR/$t.dict ]] && options+=(-dict="$FUZZ_DIR/$t.dict")
  dirs=("$new")
  if [[ -d $corpus ]]; then
    dirs+=("$corpus")
  else
    log "$t: no corpus directory tests/fuzz/corpus/$t/ (starting from nothing)"
  fi

  if ((replay)); then
    run=(-runs=0)
  else
    run=(-max_total_time="$seconds")
  fi
  # One process, one thread (no -jobs/-workers: those fork and log to files of their own).
  rc=0
  "$binary" "${run[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${options[@]}" "${dirs[@]}" >"$log_file" 2>&1 || rc=$?

  executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log_file" | tail -1)
  found=$(find "$new" -type f | wc -l)
  if ((rc != 0)); then
    failed+=("$t")
    log "$t: FAILED (exit $rc) after ${executed:-?} inputs; end of $log_file:"
    tail -n 40 "$log_file" >&2
    while IFS= read -r artifact; do
      log "$t: input: $artifact ($(od -An -c "$artifact" | head -c 300 | tr -s ' \n' ' '))"
      log "$t: reproduce: $binary $artifact"
      log "$t: keep it as a regression input: cp $artifact tests/fuzz/corpus/$t/"
    done < <(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log_file")
    continue
  fi
  if ((replay)); then
    log "$t: ok, corpus of $(find "$corpus" -type f 2>/dev/null | wc -l) inputs replayed"
  else
    log "$t: ok, ${executed:-?} inputs in ${seconds}s, $found new"
  fi

  if ((merge && found > 0)); then
    mkdir -p "$corpus"
    before=$(find "$corpus" -type f | wc -l)
    "$binary" -merge=1 "${options[@]}" "$corpus" "$new" >>"$log_file" 2>&1 ||
      die "$t: merging into $corpus failed (see $log_file)"
    after=$(find "$corpus" -type f | wc -l)
    log "$t: merged $((after - before)) inputs into tests/fuzz/corpus/$t/"
  fi
done

if ((${#failed[@]})); then
  log "targets run: ${#targets[@]}, failed: ${#failed[@]} (${failed[*]})"
  exit 1
fi
log "targets run: ${#targets[@]}, failed: 0"
