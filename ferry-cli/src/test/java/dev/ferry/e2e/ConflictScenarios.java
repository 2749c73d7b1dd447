package dev.ferry.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.FerryServer;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 5: every conflict kind under every policy, through the CLI against a real consolidated
 * database. One table per policy; remote A changes rows first (plus psql, standing for another
 * application), then remote B changes the same rows and meets every kind of conflict in one sync:
 *
 * <pre>
 * key  A (or psql)                       B                                   kind
 * 1    qty 10→15, updated_at 01-02       name B1, qty 12, updated_at 01-04   update-update (overlap on qty)
 * 2    delete                            name B2, updated_at 01-04           update-deleted
 * 3    name A3, updated_at 01-02         delete                              delete-updated
 * 4    delete                            delete                              none (already deleted)
 * 5    name A5, updated_at 01-03         name B5, updated_at 01-01 12:00     update-update (B older)
 * 6    qty 10→20, updated_at 01-02       name B6                             update-update (disjoint columns)
 * 7    psql: name P7                     name B7, updated_at 01-05           update-update with another application
 * 8    name A8                           name boom                           update-update (custom resolver throws)
 * 10   insert A10, qty 1, 01-02          insert B10, qty 2, 01-05            insert-exists
 * </pre>
 */
abstract class ConflictScenarios {
    private static final String[] TABLES = {"c_server", "c_client", "c_newer", "c_merge", "c_custom", "c_proc"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConsolidatedFixture cons;
    private RunningFerry ferry;
    private Path configFile;

    abstract String consolidatedKind();

    /** CREATE TABLE for one policy table, in this database's types. */
    abstract String createTable(String name);

    /** The resolution procedure: adds the remote's qty change to the server's, keeps the rest. */
    abstract String createProcedure();

    @BeforeEach
    void start() throws Exception {
        cons = new ConsolidatedFixture(TestDatabases.create(consolidatedKind()));
        for (String t : TABLES) {
            cons.jdbc(createTable(t));
            cons.jdbc("INSERT INTO " + t + " (id, name, qty, updated_at) VALUES (1, 'n1', 10, '2026-01-01 00:00:00'), (2, 'n2', 10, '2026-01-01 00:00:00'),"
                    + " (3, 'n3', 10, '2026-01-01 00:00:00'), (4, 'n4', 10, '2026-01-01 00:00:00'), (5, 'n5', 10, '2026-01-01 00:00:00'),"
                    + " (6, 'n6', 10, '2026-01-01 00:00:00'), (7, 'n7', 10, '2026-01-01 00:00:00'), (8, 'n8', 10, '2026-01-01 00:00:00')");
        }
        cons.jdbc(createProcedure());
        configFile = Files.createTempFile("ferry-conflicts-", ".yaml");
        Files.writeString(configFile, """
                conflicts:
                  default: server-wins
                  tables:
                    c_client: { policy: client-wins }
                    c_newer: { policy: newer-wins, timestampColumn: updated_at }
                    c_merge: { policy: column-merge }
                    c_custom: { policy: custom, resolver: dev.ferry.e2e.NameJoiningResolver }
                    c_proc: { policy: procedure, procedure: add_qty_delta }
                """);
        ferry = RunningFerry.start(cons, configFile, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        if (ferry != null) {
            ferry.close();
        } else if (cons != null) {
            cons.db.close();
        }
        Files.deleteIfExists(configFile);
    }

    @Test
    void everyConflictKindIsResolvedByItsTablesPolicyLoggedAndSentBackToTheLosingRemote() throws Exception {
        RemoteFixture a = remote("shop-a");
        RemoteFixture b = remote("shop-b");
        sync(a);
        sync(b);
        for (String t : TABLES) {
            a.app(String.join(" ",
                    "UPDATE " + t + " SET qty = 15, updated_at = '2026-01-02T00:00:00' WHERE id = 1;",
                    "DELETE FROM " + t + " WHERE id IN (2, 4);",
                    "UPDATE " + t + " SET name = 'A3', updated_at = '2026-01-02T00:00:00' WHERE id = 3;",
                    "UPDATE " + t + " SET name = 'A5', updated_at = '2026-01-03T00:00:00' WHERE id = 5;",
                    "UPDATE " + t + " SET qty = 20, updated_at = '2026-01-02T00:00:00' WHERE id = 6;",
                    "UPDATE " + t + " SET name = 'A8' WHERE id = 8;",
                    "INSERT INTO " + t + " (id, name, qty, updated_at) VALUES (10, 'A10', 1, '2026-01-02T00:00:00');"));
            cons.client("UPDATE " + t + " SET name = 'P7' WHERE id = 7");
        }
        Cli.Result first = sync(a);
        for (String t : TABLES) {
            assertThat(counts(first, t)).as("A is first: no conflict on " + t).containsExactly(8L, 1L, 0L, 0L);
        }
        for (String t : TABLES) {
            b.app(String.join(" ",
                    "UPDATE " + t + " SET name = 'B1', qty = 12, updated_at = '2026-01-04T00:00:00' WHERE id = 1;",
                    "UPDATE " + t + " SET name = 'B2', updated_at = '2026-01-04T00:00:00' WHERE id = 2;",
                    "DELETE FROM " + t + " WHERE id IN (3, 4);",
                    "UPDATE " + t + " SET name = 'B5', updated_at = '2026-01-01T12:00:00' WHERE id = 5;",
                    "UPDATE " + t + " SET name = 'B6' WHERE id = 6;",
                    "UPDATE " + t + " SET name = 'B7', updated_at = '2026-01-05T00:00:00' WHERE id = 7;",
                    "UPDATE " + t + " SET name = 'boom' WHERE id = 8;",
                    "INSERT INTO " + t + " (id, name, qty, updated_at) VALUES (10, 'B10', 2, '2026-01-05T00:00:00');"));
        }
        Cli.Result second = sync(b);

        Map<String, List<List<String>>> expected = new LinkedHashMap<>();
        expected.put("c_server", rows("1,n1,15", "3,A3,10", "5,A5,10", "6,n6,20", "7,P7,10", "8,A8,10", "10,A10,1"));
        expected.put("c_client", rows("1,B1,12", "2,B2,10", "5,B5,10", "6,B6,10", "7,B7,10", "8,boom,10", "10,B10,2"));
        expected.put("c_newer", rows("1,B1,12", "2,B2,10", "3,A3,10", "5,A5,10", "6,n6,20", "7,B7,10", "8,A8,10", "10,B10,2"));
        expected.put("c_merge", rows("1,B1,15", "3,A3,10", "5,A5,10", "6,B6,20", "7,P7,10", "8,A8,10", "10,A10,1"));
        expected.put("c_custom", rows("1,n1+B1,15", "5,A5+B5,10", "6,n6+B6,20", "7,P7+B7,10", "8,A8,10", "10,B10,2"));
        expected.put("c_proc", rows("1,n1,17", "2,B2,10", "5,A5,10", "6,n6,20", "7,P7,10", "8,A8,10", "10,A10,3"));
        for (Map.Entry<String, List<List<String>>> e : expected.entrySet()) {
            String t = e.getKey();
            assertThat(cons.query("SELECT id, name, qty FROM " + t + " ORDER BY id")).as("consolidated " + t).isEqualTo(e.getValue());
            List<List<String>> onB = b.query("SELECT id, name, qty FROM " + t + " ORDER BY id");
            if (t.equals("c_custom")) {
                // The row the resolver failed on stays as B wrote it, in error, until B changes it again.
                assertThat(onB).as("B " + t).isEqualTo(withRow(e.getValue(), List.of("8", "boom", "10")));
            } else {
                assertThat(onB).as("B received the winning rows of " + t + " in the same sync").isEqualTo(e.getValue());
            }
            long conflicts = t.equals("c_custom") ? 7 : 8;
            assertThat(counts(second, t)).as("B's counts for " + t).containsExactly(9L, counts(second, t).get(1), t.equals("c_custom") ? 1L : 0L, conflicts);
        }
        assertThat(b.query("SELECT pk, state, error_code FROM ferry_row_state WHERE table_name = 'c_custom' AND state <> 'synced'"))
                .containsExactly(List.of("[8]", "error", "ROW_CONFLICT_UNRESOLVED"));

        assertThat(cons.query("SELECT table_name, kind, outcome FROM ferry_conflict WHERE pk = '[1]' ORDER BY table_name")).containsExactly(
                List.of("c_client", "update-update", "remote-applied"), List.of("c_custom", "update-update", "row-written"),
                List.of("c_merge", "update-update", "merged"), List.of("c_newer", "update-update", "remote-applied"),
                List.of("c_proc", "update-update", "procedure"), List.of("c_server", "update-update", "server-kept"));
        assertThat(cons.query("SELECT pk, kind FROM ferry_conflict WHERE table_name = 'c_server' ORDER BY id")).containsExactly(
                List.of("[1]", "update-update"), List.of("[2]", "update-deleted"), List.of("[5]", "update-update"), List.of("[6]", "update-update"),
                List.of("[7]", "update-update"), List.of("[8]", "update-update"), List.of("[10]", "insert-exists"), List.of("[3]", "delete-updated"));
        assertThat(cons.query("SELECT COUNT(*) FROM ferry_conflict WHERE pk = '[4]'")).as("a delete of a deleted row is no conflict")
                .containsExactly(List.of("0"));
        JsonNode merged = JSON.readTree(cons.query("SELECT old_image FROM ferry_conflict WHERE table_name = 'c_merge' AND pk = '[1]'").get(0).get(0));
        assertThat(merged.get("name").asText()).isEqualTo("n1");
        assertThat(cons.query("SELECT remote_id, upload_number, policy, remote_image IS NULL, server_image IS NULL FROM ferry_conflict"
                + " WHERE table_name = 'c_newer' AND pk = '[3]'")).containsExactly(List.of("shop-b", "2", "newer-wins(updated_at)", bool(true), bool(false)));

        // Remote A converges with everything B's sync decided.
        sync(a);
        for (Map.Entry<String, List<List<String>>> e : expected.entrySet()) {
            assertThat(a.query("SELECT id, name, qty FROM " + e.getKey() + " ORDER BY id")).as("A " + e.getKey()).isEqualTo(e.getValue());
        }

        Cli.Result listing = Cli.run("conflicts", "--consolidated", cons.db.url(), "--table", "c_merge", "--remote-id", "shop-b");
        assertThat(listing.exitCode()).as(listing.all()).isZero();
        assertThat(listing.out()).contains("8 conflicts, newest first").contains("update-update, column-merge -> merged")
                .containsPattern("name\\s+n1\\s+B1\\s+n1\\s+B1").containsPattern("qty\\s+10\\s+12\\s+15\\s+15");
        Cli.Result none = Cli.run("conflicts", "--consolidated", cons.db.url(), "--remote-id", "shop-a");
        assertThat(none.out()).contains("No conflicts.");
        Cli.Result json = Cli.run("conflicts", "--consolidated", cons.db.url(), "--json", "--limit", "100");
        assertThat(json.out().lines().map(l -> {
            try {
                return JSON.readTree(l).get("kind").asText();
            } catch (Exception ex) {
                throw new AssertionError(l, ex);
            }
        }).toList()).hasSize(47);
    }

    @Test
    void aRowInErrorAfterAFailedResolutionIsUploadedAgainOnceChangedAndThenResolved() throws Exception {
        RemoteFixture a = remote("shop-a");
        RemoteFixture b = remote("shop-b");
        sync(a);
        sync(b);
        a.app("UPDATE c_custom SET name = 'A8' WHERE id = 8;");
        sync(a);
        b.app("UPDATE c_custom SET name = 'boom' WHERE id = 8;");
        Cli.Result failed = sync(b);
        assertThat(counts(failed, "c_custom")).containsExactly(1L, 0L, 1L, 0L);
        b.app("UPDATE c_custom SET name = 'B8' WHERE id = 8;");
        Cli.Result fixed = sync(b);
        assertThat(counts(fixed, "c_custom").get(3)).as("conflicts").isEqualTo(1L);
        assertThat(cons.query("SELECT name FROM c_custom WHERE id = 8")).containsExactly(List.of("A8+B8"));
        assertThat(b.query("SELECT name FROM c_custom WHERE id = 8")).containsExactly(List.of("A8+B8"));
        assertThat(b.query("SELECT COUNT(*) FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("0"));
    }

    @Test
    void aPolicyNamingSomethingTheDatabaseDoesNotHaveStopsTheServerNamingTheSetting() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("c_nope: { policy: client-wins }", "conflicts.tables.c_nope: 'c_nope' is not one of");
        cases.put("c_newer: { policy: newer-wins, timestampColumn: changed }", "conflicts.tables.c_newer.timestampColumn: 'changed' is not one of");
        cases.put("c_newer: { policy: newer-wins, timestampColumn: name }", "column name of c_newer is TEXT, which cannot say which version is newer");
        cases.put("c_custom: { policy: custom, resolver: com.example.Missing }", "resolver class com.example.Missing is not on the class path");
        cases.put("c_custom: { policy: custom, resolver: java.lang.String }", "java.lang.String does not implement");
        cases.put("c_proc: { policy: procedure, procedure: no_such_proc }", "the consolidated database has no procedure no_such_proc");
        Path bad = Files.createTempFile("ferry-bad-", ".yaml");
        try {
            for (Map.Entry<String, String> e : cases.entrySet()) {
                Files.writeString(bad, "conflicts:\n  tables:\n    " + e.getKey() + "\n");
                ServerConfig config = ServerConfig.load(bad, Map.of(), Map.of(ServerConfig.CONSOLIDATED_URL.key(), cons.db.url(),
                        ServerConfig.PORT.key(), "0", ServerConfig.HOST.key(), "127.0.0.1", ServerConfig.PLAIN_HTTP.key(), "true"));
                assertThatThrownBy(() -> FerryServer.start(config).close()).as(e.getKey()).isInstanceOf(FerryException.class)
                        .hasMessageContaining(e.getValue())
                        .satisfies(ex -> assertThat(((FerryException) ex).code()).isEqualTo(ErrorCode.CONFIG_INVALID));
            }
        } finally {
            Files.deleteIfExists(bad);
        }
    }

    private String bool(boolean v) {
        return consolidatedKind().equals("postgresql") ? (v ? "t" : "f") : (v ? "1" : "0");
    }

    private static List<List<String>> rows(String... csv) {
        return java.util.Arrays.stream(csv).map(r -> List.of(r.split(","))).toList();
    }

    private static List<List<String>> withRow(List<List<String>> rows, List<String> row) {
        List<List<String>> out = new ArrayList<>(rows.stream().filter(r -> !r.get(0).equals(row.get(0))).toList());
        out.add(row);
        out.sort(java.util.Comparator.comparing(r -> Long.parseLong(r.get(0))));
        return out;
    }

    private RemoteFixture remote(String id) throws Exception {
        return ferry.remote("sqlite", id);
    }

    private static Cli.Result sync(RemoteFixture r) {
        return RunningFerry.sync(r);
    }

    private static List<Long> counts(Cli.Result res, String table) {
        return SyncScenarios.counts(res, table);
    }
}
