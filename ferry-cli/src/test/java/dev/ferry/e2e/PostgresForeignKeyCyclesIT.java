package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabase;
import dev.ferry.testkit.TestDatabases;

/** {@link ForeignKeyCycleScenarios} on Postgres (NOT DEFERRABLE constraints, default settings), to SQLite and H2 remotes. */
class PostgresForeignKeyCyclesIT extends ForeignKeyCycleScenarios {
    @Override
    TestDatabase database() {
        return TestDatabases.postgres();
    }
}
