package dev.ferry.client;

/**
 * The sync state of one row, as the {@code ferry_row_state} view shows it.
 *
 * @param table        table name
 * @param key          primary key as a JSON array, e.g. {@code [42]}
 * @param state        synced, inserted, updated, deleted or error
 * @param errorCode    for state error: the server's error code (e.g. ROW_FOREIGN_KEY_VIOLATION)
 * @param errorMessage for state error: the server's message
 */
public record RowState(String table, String key, String state, String errorCode, String errorMessage) {
}
