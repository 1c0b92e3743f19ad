# Sourced by the launchers in bin/: builds a module when the sources changed since its last
# build (and only then), quietly; LSMLOG_REBUILD=1 forces a build.
#   needs_build STAMP     true if STAMP is missing or a source or pom is newer than it
#   build MODULE WHAT     mvn install of MODULE and what it needs, tests skipped, no colours
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

needs_build() {
  [ ! -f "$1" ] || [ -n "${LSMLOG_REBUILD:-}" ] \
    || [ -n "$(find "$root"/*/src/main "$root/pom.xml" "$root"/*/pom.xml -newer "$1" -type f 2>/dev/null | head -1)" ]
}

build() {
  echo "building $2 (sources changed since the last build)..." >&2
  # Maven 3.8 prints colour resets even in batch mode: strip escape sequences.
  (cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests -pl "$1" -am install 2>&1 \
     | sed 's/\x1b\[[0-9;]*m//g') >&2
}
