# Sourced by ./myelin and .ci/run: finds a JDK 21 or newer and exports JAVA_HOME to it, so that
# both the Maven Wrapper and `"$JAVA_HOME/bin/java"` use it. The build's enforcer refuses older
# JDKs, and many machines still default to 17, so the default `java` is not taken on trust.
#
# Order: $JAVA_HOME, the `java` on the PATH, the usual Linux locations, then any other JDK under
# /usr/lib/jvm (and macOS's java_home). A candidate needs bin/java of version 21+ and bin/javac.
# Prints nothing when the first choice is fine; says which JDK it took otherwise.

myelin_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}

# True when $1 is the home of a JDK 21 or newer.
myelin_is_jdk21() {
  local major
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  major="$(myelin_java_major "$1/bin/java")"
  [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null
}

# Exports JAVA_HOME to a JDK 21+; returns 1 (with a message on stderr) when there is none.
myelin_find_jdk() {
  local who="$1" candidate path_java
  if myelin_is_jdk21 "${JAVA_HOME:-}"; then
    return 0
  fi
  path_java="$(command -v java 2>/dev/null || true)"
  if [ -n "$path_java" ]; then
    # /usr/bin/java is usually a chain of links to <jdk>/bin/java.
    candidate="$(dirname "$(dirname "$(readlink -f "$path_java" 2>/dev/null || echo "$path_java")")")"
    if myelin_is_jdk21 "$candidate"; then
      [ -n "${JAVA_HOME:-}" ] && echo "$who: JAVA_HOME=$JAVA_HOME is not a JDK 21+; using $candidate" >&2
      export JAVA_HOME="$candidate"
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
      /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/*/ \
      "$( [ -x /usr/libexec/java_home ] && /usr/libexec/java_home -v 21+ 2>/dev/null )"; do
    candidate="${candidate%/}"
    if myelin_is_jdk21 "$candidate"; then
      echo "$who: default java is not a JDK 21+; using JAVA_HOME=$candidate" >&2
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "$who: no JDK 21 or newer found (tried JAVA_HOME, java on the PATH and /usr/lib/jvm/*);" \
    "install one and point JAVA_HOME at it" >&2
  return 1
}
