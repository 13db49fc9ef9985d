/**
 * {@code import-synapse}: moves a stopped Synapse server (its database, media store and signing key) into
 * an empty Myelin database, one class per data area, all writing through {@link dev.myelin.server.migrate.Target}.
 */
package dev.myelin.server.migrate;
