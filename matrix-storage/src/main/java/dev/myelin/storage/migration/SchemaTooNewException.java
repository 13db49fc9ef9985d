package dev.myelin.storage.migration;

import dev.myelin.storage.StorageException;

/** The database was migrated by a newer Myelin than this one; starting would risk corrupting it. */
public final class SchemaTooNewException extends StorageException {
    /**
     * Creates the exception.
     *
     * @param databaseVersion the version recorded in the database
     * @param codeVersion the newest migration this code has
     */
    public SchemaTooNewException(int databaseVersion, int codeVersion) {
        super("the database schema is at version " + databaseVersion + " but this Myelin only knows versions up to "
                + codeVersion + "; refusing to start. Run the newer Myelin that upgraded it, or restore a backup "
                + "taken before the upgrade");
    }
}
