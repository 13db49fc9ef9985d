package dev.myelin.server.migrate;

import dev.myelin.core.time.Clock;

/**
 * What every data area's import works with.
 *
 * @param source Synapse's database
 * @param target Myelin's tables (or the dry-run counter)
 * @param serverName the server name both configurations share
 * @param clock for timestamps Synapse does not keep
 */
record ImportContext(SourceDatabase source, Target target, String serverName, Clock clock) {

    /** Starts {@code table}, runs {@code body} over each of its rows ({@code sql}), then ends it. */
    void copy(String table, String sql, SourceDatabase.RowHandler body, Object... params) {
        target.begin(table, source.count(table));
        source.query(
                sql,
                row -> {
                    target.read();
                    body.row(row);
                },
                params);
        target.end();
    }

    /** A full user id from Synapse's localpart column. */
    String userId(String localpartOrId) {
        return localpartOrId.startsWith("@") ? localpartOrId : "@" + localpartOrId + ":" + serverName;
    }
}
