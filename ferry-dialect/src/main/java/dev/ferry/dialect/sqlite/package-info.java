/**
 * SQLite as a remote: STRICT application tables, Ferry's state tables and pure-SQL tracking triggers,
 * so that writes made by any SQLite client (the {@code sqlite3} shell included) are tracked. Entry
 * point: {@link dev.ferry.dialect.sqlite.SqliteDialect}.
 */
package dev.ferry.dialect.sqlite;
