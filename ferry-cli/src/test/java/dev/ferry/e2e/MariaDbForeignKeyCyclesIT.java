package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabase;
import dev.ferry.testkit.TestDatabases;

/** {@link ForeignKeyCycleScenarios} on MariaDB (NOT DEFERRABLE constraints, default settings), to SQLite and H2 remotes. */
class MariaDbForeignKeyCyclesIT extends ForeignKeyCycleScenarios {
    @Override
    TestDatabase database() {
        return TestDatabases.mariadb();
    }
}
