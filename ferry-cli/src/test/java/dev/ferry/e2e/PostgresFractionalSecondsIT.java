package dev.ferry.e2e;

/** Issue 10, defect 12 on PostgreSQL, whose timestamp(p) rounds what it cannot hold. */
class PostgresFractionalSecondsIT extends FractionalSecondsScenarios {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @Override
    String readingTable() {
        return "CREATE TABLE reading (id INTEGER PRIMARY KEY, at TIMESTAMP(3), at_tz TIMESTAMPTZ(3), t TIME(0))";
    }
}
