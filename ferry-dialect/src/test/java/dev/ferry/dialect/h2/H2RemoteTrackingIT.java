package dev.ferry.dialect.h2;

import dev.ferry.dialect.RemoteDialect;
import dev.ferry.dialect.RemoteTrackingContract;
import dev.ferry.testkit.TestDatabase;
import dev.ferry.testkit.TestDatabases;

/** The remote contract on H2, plus what only H2 has (concurrent sessions, Java triggers reloaded on open). */
class H2RemoteTrackingIT extends RemoteTrackingContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabases.h2();
    }

    @Override
    protected RemoteDialect newDialect() {
        return new H2RemoteDialect();
    }

    @Override
    protected String imageBoolean(boolean b) {
        return Boolean.toString(b);
    }
}
