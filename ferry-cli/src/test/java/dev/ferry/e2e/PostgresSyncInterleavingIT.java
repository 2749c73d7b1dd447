package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabase;
import dev.ferry.testkit.TestDatabases;

/** {@link SyncInterleavingProperty} on PostgreSQL, with a SQLite and an H2 remote in every try. */
class PostgresSyncInterleavingIT extends SyncInterleavingProperty {
    @Override
    TestDatabase consolidatedDatabase() {
        return TestDatabases.postgres();
    }
}
