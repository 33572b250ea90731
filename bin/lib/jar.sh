# Sourced by the bin/ launchers. Finds the repository and provides jvpp_ensure_jar MODULE JAR: build the
# module's runnable jar with Maven when it is missing or older than any source or pom. Sets JVPP_ROOT,
# JVPP_JAR (the daemon's jar) and JVPP_JVM_FLAGS. Does not change the caller's working directory, so
# relative paths given by the user keep working.
#
# The build is `package` of the module and the modules it needs (-am), in one reactor: the reactor hands each
# module its siblings' jars, so nothing is installed into ~/.m2, and the build needs no plugin that
# `mvn verify` (bin/jvpp-test, CI) has not resolved already: it works offline (mvn -o) after one test run.

JVPP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JVPP_JAR="$JVPP_ROOT/conf/target/jvpp.jar"
JVPP_JVM_FLAGS=(--add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Dagrona.disable.bounds.checks=true)

jvpp_jar_stale() {
    local jar="$1"
    [ -f "$jar" ] || return 0
    local newer
    newer="$(find "$JVPP_ROOT" \( -name target -o -name .git \) -prune -o \
        \( -path '*/src/*' -o -name pom.xml \) -type f -newer "$jar" -print -quit 2>/dev/null)"
    [ -n "$newer" ]
}

# jvpp_ensure_jar MODULE JAR
jvpp_ensure_jar() {
    local module="$1" jar="$2" rel="${2#"$JVPP_ROOT"/}"
    jvpp_jar_stale "$jar" || return 0
    if ! command -v mvn >/dev/null 2>&1; then
        echo "jvpp: $rel is missing and Maven is not installed (apt-get install maven)" >&2
        exit 1
    fi
    if [ -f "$jar" ]; then
        echo "jvpp: building $rel (sources changed)..." >&2
    else
        echo "jvpp: building $rel (first use)..." >&2
    fi
    local build_log
    build_log="$(mktemp "${TMPDIR:-/tmp}/jvpp-build.XXXXXX")"
    if ! (cd "$JVPP_ROOT" && mvn -B -q -DskipTests -pl "$module" -am package) >"$build_log" 2>&1; then
        cat "$build_log" >&2
        rm -f "$build_log"
        echo "jvpp: build failed; run 'mvn -B -DskipTests -pl $module -am package' in $JVPP_ROOT to see why" >&2
        exit 1
    fi
    rm -f "$build_log"
}
