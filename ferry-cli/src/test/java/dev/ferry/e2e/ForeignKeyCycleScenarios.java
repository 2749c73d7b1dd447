package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: tables on foreign-key cycles synchronize (docs/SCHEMAS.md, "Foreign-key cycles"). The
 * sakila/pagila cycle, {@code store.manager_staff_id -> staff} (nullable here) and
 * {@code staff.store_id -> store} (NOT NULL), a nullable self-reference {@code employee.manager_id}, and a
 * table that references the cycle, with the constraints as declared (NOT DEFERRABLE, the default) on the
 * consolidated database and on the remotes: rows that reference each other are inserted and deleted in
 * one sync on each side, and every cell compared. Written once, run by {@code PostgresForeignKeyCyclesIT}
 * and {@code MariaDbForeignKeyCyclesIT} against SQLite and H2 remotes.
 */
abstract class ForeignKeyCycleScenarios {
    private static final List<String> DDL = List.of(
            "CREATE TABLE store (store_id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, manager_staff_id INT NULL)",
            "CREATE TABLE staff (staff_id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, store_id INT NOT NULL,"
                    + " FOREIGN KEY (store_id) REFERENCES store (store_id))",
            "ALTER TABLE store ADD FOREIGN KEY (manager_staff_id) REFERENCES staff (staff_id)",
            "CREATE TABLE rental (rental_id INT PRIMARY KEY, staff_id INT NOT NULL, FOREIGN KEY (staff_id) REFERENCES staff (staff_id))",
            "CREATE TABLE employee (employee_id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, manager_id INT NULL,"
                    + " FOREIGN KEY (manager_id) REFERENCES employee (employee_id))",
            // The usual way to load a cycle with NOT DEFERRABLE constraints: the nullable side first, completed after.
            "INSERT INTO store VALUES (1, 'Lethbridge', NULL)",
            "INSERT INTO staff VALUES (1, 'Mike', 1)",
            "UPDATE store SET manager_staff_id = 1 WHERE store_id = 1",
            "INSERT INTO rental VALUES (1, 1)",
            "INSERT INTO employee VALUES (1, 'Boss', NULL)",
            "INSERT INTO employee VALUES (2, 'Deputy', 1)");

    private static final Map<String, List<String>> TABLES = Map.of(
            "store", List.of("store_id", "name", "manager_staff_id"),
            "staff", List.of("staff_id", "name", "store_id"),
            "rental", List.of("rental_id", "staff_id"),
            "employee", List.of("employee_id", "name", "manager_id"));

    abstract TestDatabase database();

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "h2"})
    void rowsThatReferenceEachOtherAcrossACycleSyncBothWaysInOneSyncAndGoTogether(String kind) throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(database());
        for (String sql : DDL) {
            cons.jdbc(sql);
        }
        try (RunningFerry ferry = RunningFerry.start(cons, null, Map.of())) {
            RemoteFixture r = ferry.remote(kind, "cycle-" + kind);
            RunningFerry.sync(r);
            assertAgree(cons, r);

            // On the remote: a new store and its new manager, who works there, in one sync; the store's row is
            // uploaded first (parents first, the closing key ignored) and references a staff row not there yet.
            r.app("INSERT INTO store VALUES (2, 'Woodridge', NULL)");
            r.app("INSERT INTO staff VALUES (2, 'Jon', 2)");
            r.app("UPDATE store SET manager_staff_id = 2 WHERE store_id = 2");
            r.app("INSERT INTO rental VALUES (2, 2)");
            // A self-reference whose rows upload in the wrong order: 10 references 11, and 11 changed last.
            r.app("INSERT INTO employee VALUES (11, 'Ann', 1)");
            r.app("INSERT INTO employee VALUES (10, 'Bob', 11)");
            r.app("UPDATE employee SET name = 'Ann B.' WHERE employee_id = 11");
            // On the server: the same shapes, downloaded in the same sync.
            cons.client("INSERT INTO store VALUES (3, 'Calgary', NULL)");
            cons.client("INSERT INTO staff VALUES (3, 'Kim', 3)");
            cons.client("UPDATE store SET manager_staff_id = 3 WHERE store_id = 3");
            cons.client("INSERT INTO employee VALUES (21, 'Cy', NULL)");
            cons.client("INSERT INTO employee VALUES (20, 'Di', 21)");
            cons.client("UPDATE employee SET manager_id = 20 WHERE employee_id = 21");
            RunningFerry.sync(r);

            assertThat(cons.query("SELECT manager_staff_id FROM store WHERE store_id = 2")).containsExactly(List.of("2"));
            assertThat(cons.query("SELECT manager_id FROM employee WHERE employee_id = 10")).containsExactly(List.of("11"));
            assertThat(r.query("SELECT manager_staff_id FROM store WHERE store_id = 3")).containsExactly(List.of("3"));
            assertThat(r.query("SELECT manager_id FROM employee WHERE employee_id IN (20, 21) ORDER BY 1"))
                    .containsExactly(List.of("20"), List.of("21"));
            assertNothingPending(r);
            RunningFerry.sync(r);
            assertAgree(cons, r);

            // Deletes of both rows of each cycle, on both sides: neither row can go first on its own.
            r.app("DELETE FROM rental WHERE rental_id = 2");
            r.app("UPDATE store SET manager_staff_id = NULL WHERE store_id = 2");
            r.app("DELETE FROM staff WHERE staff_id = 2");
            r.app("DELETE FROM store WHERE store_id = 2");
            r.app("DELETE FROM employee WHERE employee_id = 10");
            r.app("DELETE FROM employee WHERE employee_id = 11");
            cons.client("UPDATE store SET manager_staff_id = NULL WHERE store_id = 3");
            cons.client("DELETE FROM staff WHERE staff_id = 3");
            cons.client("DELETE FROM store WHERE store_id = 3");
            cons.client("UPDATE employee SET manager_id = NULL WHERE employee_id = 21");
            cons.client("DELETE FROM employee WHERE employee_id = 20");
            cons.client("DELETE FROM employee WHERE employee_id = 21");
            RunningFerry.sync(r);

            assertThat(cons.query("SELECT store_id FROM store ORDER BY store_id")).containsExactly(List.of("1"));
            assertThat(cons.query("SELECT employee_id FROM employee ORDER BY employee_id")).containsExactly(List.of("1"), List.of("2"));
            assertNothingPending(r);
            assertAgree(cons, r);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "h2"})
    void theRowsOfACycleDeletedOnTheServerAreDeletedTogetherOnTheRemote(String kind) throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(database());
        for (String sql : DDL) {
            cons.jdbc(sql);
        }
        try (RunningFerry ferry = RunningFerry.start(cons, null, Map.of())) {
            RemoteFixture r = ferry.remote(kind, "cycle-del-" + kind);
            RunningFerry.sync(r);
            // The store and its manager go in one transaction on the server; the remote still has the manager set.
            cons.jdbc("DELETE FROM rental");
            cons.jdbc("UPDATE store SET manager_staff_id = NULL WHERE store_id = 1");
            cons.jdbc("DELETE FROM staff WHERE staff_id = 1");
            cons.jdbc("DELETE FROM store WHERE store_id = 1");
            RunningFerry.sync(r);
            assertNothingPending(r);
            assertAgree(cons, r);
            assertThat(r.query("SELECT COUNT(*) FROM store")).containsExactly(List.of("0"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void aRowWhoseCycleCannotBeCompletedIsRejectedAloneAndTheRestOfTheUploadApplies(String kind) throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(database());
        for (String sql : DDL) {
            cons.jdbc(sql);
        }
        try (RunningFerry ferry = RunningFerry.start(cons, null, Map.of())) {
            RemoteFixture r = ferry.remote(kind, "cycle-bad-" + kind);
            RunningFerry.sync(r);
            // SQLite's TEXT holds the 50-character name the server's VARCHAR(40) refuses: staff 5 is rejected,
            // so store 5 cannot get its manager and must be rejected too (not stored with a NULL manager).
            r.app("INSERT INTO store VALUES (5, 'Banff', NULL)");
            r.app("INSERT INTO staff VALUES (5, '" + "x".repeat(50) + "', 5)");
            r.app("UPDATE store SET manager_staff_id = 5 WHERE store_id = 5");
            r.app("INSERT INTO employee VALUES (30, 'Eve', 2)");
            RunningFerry.sync(r);

            assertThat(cons.query("SELECT COUNT(*) FROM store WHERE store_id = 5")).containsExactly(List.of("0"));
            assertThat(cons.query("SELECT name FROM employee WHERE employee_id = 30")).containsExactly(List.of("Eve"));
            assertThat(r.query("SELECT table_name, pk, state FROM ferry_row_state WHERE state <> 'synced' ORDER BY 1"))
                    .containsExactly(List.of("staff", "[5]", "error"), List.of("store", "[5]", "error"));
        }
    }

    private static void assertNothingPending(RemoteFixture r) throws Exception {
        assertThat(r.query("SELECT table_name, pk, state, error_code FROM ferry_row_state WHERE state <> 'synced'")).isEmpty();
        assertThat(r.query("SELECT COUNT(*) FROM ferry_download_blocked")).containsExactly(List.of("0"));
    }

    private static void assertAgree(ConsolidatedFixture cons, RemoteFixture r) throws Exception {
        for (Map.Entry<String, List<String>> t : TABLES.entrySet()) {
            String first = t.getValue().get(0);
            List<List<String>> server = cons.query("SELECT " + String.join(", ", t.getValue()) + " FROM " + t.getKey() + " ORDER BY " + first);
            String columns = String.join(", ", t.getValue());
            List<List<String>> remote = r.query("SELECT " + columns + " FROM " + t.getKey() + " ORDER BY " + first);
            assertThat(remote).as(t.getKey()).isEqualTo(server);
        }
    }
}
