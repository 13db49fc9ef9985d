package dev.myelin.storage.migration;

/**
 * One forward-only schema step.
 *
 * @param version the number from the file name ({@code 0003_receipts.sql} is version 3)
 * @param name    the file's base name, e.g. {@code 0003_receipts}
 * @param source  the resource the SQL came from (the dialect override when there is one)
 * @param sql     the script
 */
public record Migration(int version, String name, String source, String sql) {}
