# Sourced by bin/jvpp and bin/jvppctl: find the repository, build conf/target/jvpp.jar when it is
# missing or older than any source or pom, and set JVPP_JAR and JVPP_JVM_FLAGS.
# Does not change the caller's working directory, so relative paths given by the user keep working.

JVPP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JVPP_JAR="$JVPP_ROOT/conf/target/jvpp.jar"
JVPP_JVM_FLAGS=(--add-exports java.base/jdk.internal.misc=ALL-UNNAMED)

jvpp_jar_stale() {
    [ -f "$JVPP_JAR" ] || return 0
    local newer
    newer="$(find "$JVPP_ROOT" \( -name target -o -name .git \) -prune -o \
        \( -path '*/src/*' -o -name pom.xml \) -type f -newer "$JVPP_JAR" -print -quit 2>/dev/null)"
    [ -n "$newer" ]
}

if jvpp_jar_stale; then
    if [ -f "$JVPP_JAR" ]; then
        echo "jvpp: building conf/target/jvpp.jar (sources changed)..." >&2
    else
        echo "jvpp: building conf/target/jvpp.jar (first use)..." >&2
    fi
    build_log="$(mktemp "${TMPDIR:-/tmp}/jvpp-build.XXXXXX")"
    if ! (cd "$JVPP_ROOT" && mvn -B -q -DskipTests -pl conf -am install) >"$build_log" 2>&1; then
        cat "$build_log" >&2
        rm -f "$build_log"
        echo "jvpp: build failed; run 'mvn -B -DskipTests -pl conf -am install' in $JVPP_ROOT to see why" >&2
        exit 1
    fi
    rm -f "$build_log"
fi
