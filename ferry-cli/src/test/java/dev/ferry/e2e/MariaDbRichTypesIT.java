package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: MariaDB ENUM and SET (as their text), YEAR, BIT(1) (as a boolean) and BIT(n) (as the
 * number) synchronize to SQLite and H2 remotes and back, edits on both sides compared cell by cell,
 * and a value the column refuses (an unknown enum label or set member) is rejected for its row only.
 */
class MariaDbRichTypesIT {
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "h2"})
    void enumSetYearAndBitSyncBothWays(String kind) throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(TestDatabases.mariadb());
        cons.jdbc("CREATE TABLE gear (id INT PRIMARY KEY, mood ENUM('happy','sad','calm') NOT NULL, tags SET('a','bc','d'), born YEAR,"
                + " flag BIT(1), mask BIT(12)) ENGINE=InnoDB");
        cons.jdbc("INSERT INTO gear VALUES (1, 'happy', 'a,d', 2024, b'1', b'100000000001'), (2, 'sad', NULL, NULL, NULL, NULL)");
        try (RunningFerry ferry = RunningFerry.start(cons, null, Map.of())) {
            RemoteFixture r = ferry.remote(kind, "site-" + kind);
            RunningFerry.sync(r);
            String select = "SELECT " + c(kind, "id") + ", " + c(kind, "mood") + ", " + c(kind, "tags") + ", " + c(kind, "born") + ", "
                    + c(kind, "flag") + ", " + c(kind, "mask") + " FROM " + c(kind, "gear") + " ORDER BY 1";
            String trueText = kind.equals("h2") ? "TRUE" : "1";
            assertThat(r.query(select)).containsExactly(List.of("1", "happy", "a,d", "2024", trueText, "2049"),
                    java.util.Arrays.asList("2", "sad", null, null, null, null));

            r.app("UPDATE " + c(kind, "gear") + " SET " + c(kind, "mood") + " = 'calm', " + c(kind, "tags") + " = 'bc', " + c(kind, "born") + " = 1999, "
                    + c(kind, "mask") + " = 7 WHERE " + c(kind, "id") + " = 1");
            r.app("INSERT INTO " + c(kind, "gear") + " (" + c(kind, "id") + ", " + c(kind, "mood") + ", " + c(kind, "flag") + ") VALUES (3, 'sad', "
                    + (kind.equals("h2") ? "FALSE" : "0") + ")");
            r.app("UPDATE " + c(kind, "gear") + " SET " + c(kind, "mood") + " = 'angry' WHERE " + c(kind, "id") + " = 2");
            Cli.Result res = Cli.run("remote", "sync", "--db", r.dbArg());
            assertThat(res.exitCode()).as(res.all()).isZero();
            assertThat(cons.query("SELECT id, mood, tags, born, flag + 0, mask + 0 FROM gear ORDER BY id")).containsExactly(
                    List.of("1", "calm", "bc", "1999", "1", "7"), java.util.Arrays.asList("2", "sad", null, null, null, null),
                    java.util.Arrays.asList("3", "sad", null, null, "0", null));
            assertThat(r.query("SELECT pk, state FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("[2]", "error"));

            cons.client("UPDATE gear SET tags = 'd,a', born = 2000 WHERE id = 3");
            RunningFerry.sync(r);
            assertThat(r.query("SELECT " + c(kind, "tags") + ", " + c(kind, "born") + " FROM " + c(kind, "gear") + " WHERE " + c(kind, "id") + " = 3"))
                    .as("a set arrives in MariaDB's order").containsExactly(List.of("a,d", "2000"));
        }
    }

    /** The application's SQL names tables and columns unquoted on both remotes (H2 remotes fold them as H2 does). */
    private static String c(String kind, String name) {
        return name;
    }
}
