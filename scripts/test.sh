#!/usr/bin/env bash
# The whole test suite, on a machine that has only the .NET SDK: installs PostgreSQL's server
# binaries when they are missing (as root, or through sudo), starts a throw-away cluster for the run
# (unless ORIAN_TEST_POSTGRES names a server), runs every test, and ends with one line
# "N passed, M failed, K skipped" summed from the test runner's own results. Exits non-zero if
# anything failed or did not run. .ci/run is this script.
#
#   scripts/test.sh              run everything
#   scripts/test.sh --prepare    only make sure PostgreSQL can start (install if needed), then stop
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
. scripts/throwaway-postgres.sh
mode=${1:-run}
log=${ORIAN_TEST_LOG:-.test-results/test.log}

# --- PostgreSQL: before anything is built --------------------------------------------------------
if [ -z "${ORIAN_TEST_POSTGRES:-}" ]; then
  case "$(pg_plan)" in
    present) ;;
    root|sudo) pg_install || { echo "test.sh: installing PostgreSQL failed (see above)"; echo "0 passed, 1 failed"; exit 1; } ;;
    none)
      echo "test.sh: PostgreSQL's server binaries are missing and this user can neither install them nor use sudo: run 'sudo apt-get install -y postgresql' (or set ORIAN_TEST_POSTGRES to a server) and run this again."
      exit 2 ;;
  esac
fi

# systemd-analyze, for the check of deploy/orian.service (Debian's systemd package has it).
if ! command -v systemd-analyze >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd; } >/dev/null 2>&1 || echo "test.sh: installing systemd (for systemd-analyze) failed; the unit file's test will fail"
fi

if [ "$mode" = --prepare ]; then
  echo "test.sh: PostgreSQL's server binaries are ready${ORIAN_TEST_POSTGRES:+ (not needed: ORIAN_TEST_POSTGRES is set)}"
  exit 0
fi

if [ -z "${ORIAN_TEST_POSTGRES:-}" ]; then
  trap pg_stop EXIT
  pg_start || { echo "test.sh: PostgreSQL did not start"; echo "0 passed, 1 failed"; exit 1; }
  export ORIAN_TEST_POSTGRES="$PG_URL"
fi

# --- The tests -------------------------------------------------------------------------------------
mkdir -p "$(dirname "$log")"
# Locked mode: restore exactly what the committed packages.lock.json files name, or fail.
if dotnet restore --locked-mode 2>&1 | tee "$log"; [ "${PIPESTATUS[0]}" -ne 0 ]; then
  echo "test.sh: restore in locked mode failed: a lock file no longer matches its project (run 'dotnet restore --force-evaluate' and commit the lock files)"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
dotnet test --no-restore 2>&1 | tee -a "$log"
rc=${PIPESTATUS[0]}

# --- The plain summary line ----------------------------------------------------------------------
# dotnet test prints one line per test assembly, e.g.
#   "Passed!  - Failed:     0, Passed:   153, Skipped:     0, Total:   153, Duration: 20 s - Orian.Tests.dll"
read -r passed failed skipped assemblies < <(grep -E '^(Passed|Failed)! +- Failed:' "$log" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6; n++ } END { printf "%d %d %d %d\n", p, f, s, n }')
if [ "$assemblies" -eq 0 ]; then
  echo "test.sh: no test results were reported (build failure or crashed test host; see above)"
  failed=$((failed + 1))
elif [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "test.sh: dotnet test exited $rc although no test failed (see above)"
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
