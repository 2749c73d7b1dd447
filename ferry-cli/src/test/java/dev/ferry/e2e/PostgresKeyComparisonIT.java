package dev.ferry.e2e;

/** Issue 10, defect 6 on PostgreSQL: {@code char(5)} keys, and keys under a nondeterministic ICU collation. */
class PostgresKeyComparisonIT extends KeyComparisonScenarios {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @Override
    String paddedKeyType() {
        return "CHAR(5)";
    }

    @Override
    String[] caseInsensitiveKeyType(ConsolidatedFixture db) throws Exception {
        db.jdbc("CREATE COLLATION case_blind (provider = icu, locale = 'und-u-ks-level2', deterministic = false)");
        return new String[] {"VARCHAR(20) COLLATE case_blind", "case_blind"};
    }

    @Override
    String hintFragment() {
        return "ALTER TABLE \"tag\" ALTER COLUMN \"code\" TYPE character varying(20) COLLATE \"default\"";
    }
}
