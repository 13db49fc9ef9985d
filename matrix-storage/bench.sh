#!/bin/sh
# Runs the storage benchmark (PersistBench) against SQLite and/or the embedded PostgreSQL.
# Usage: matrix-storage/bench.sh [sqlite] [postgres]     (from the repository root; JAVA_HOME must be 21+)
set -e
cd "$(dirname "$0")/.."
./mvnw -B -q -pl matrix-storage -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
CP="matrix-storage/target/test-classes:matrix-storage/target/classes:matrix-core/target/classes:$(cat matrix-storage/target/bench-classpath.txt)"
exec "${JAVA_HOME:-/usr}/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$CP" dev.myelin.storage.bench.PersistBench "$@"
