package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, defect 6 on MariaDB, in a database with the server's default collation
 * (utf8mb4_general_ci): plain text keys are refused; keys under utf8mb4_bin, a PAD SPACE collation
 * ({@code 'ab' = 'ab '}), are case-sensitive and padded.
 */
class MariaDbKeyComparisonIT extends KeyComparisonScenarios {
    @Override
    String consolidatedKind() {
        return "mariadb";
    }

    @Override
    String paddedKeyType() {
        return "VARCHAR(5) COLLATE utf8mb4_bin";
    }

    /** Plain VARCHAR, under the database's default collation. */
    @Override
    String[] caseInsensitiveKeyType(ConsolidatedFixture db) throws Exception {
        String collation = db.query("SELECT @@collation_database").get(0).get(0);
        assertThat(collation).as("the test database has the server's default, case-insensitive collation").doesNotEndWith("_bin");
        return new String[] {"VARCHAR(20)", collation};
    }

    @Override
    String hintFragment() {
        return "ALTER TABLE `tag` MODIFY `code` varchar(20) NOT NULL COLLATE utf8mb4_nopad_bin";
    }
}
