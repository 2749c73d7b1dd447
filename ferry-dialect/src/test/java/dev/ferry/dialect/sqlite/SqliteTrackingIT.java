package dev.ferry.dialect.sqlite;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.dialect.RemoteTrackingContract;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.testkit.TestDatabase;
import dev.ferry.testkit.TestDatabases;

/** The remote contract on SQLite, plus what only SQLite has (the sqlite3 shell, STRICT tables, WAL). */
class SqliteTrackingIT extends RemoteTrackingContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabases.sqlite();
    }

    @Override
    protected RemoteDialect newDialect() {
        return new SqliteDialect();
    }

    @Override
    protected String imageBoolean(boolean b) {
        return b ? "1" : "0";
    }
}
