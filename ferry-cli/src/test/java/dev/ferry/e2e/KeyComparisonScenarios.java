package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, defect 6: keys compared the way the database compares them. On the database's defaults
 * (the test kit creates every database with the server's defaults) a text key whose collation ignores
 * case is refused when the server starts; a key the database compares without trailing spaces
 * ({@code char(n)}, MariaDB's PAD SPACE {@code utf8mb4_bin}) travels without them, so the server and
 * every remote hold one row per key. Remotes are SQLite files changed with the {@code sqlite3} shell.
 */
abstract class KeyComparisonScenarios {
    protected ConsolidatedFixture cons;
    private RunningFerry ferry;

    abstract String consolidatedKind();

    /** A text key type under which the database ignores trailing spaces and nothing else. */
    abstract String paddedKeyType();

    /**
     * A text key type under which keys that differ only in case are equal, creating what it needs on
     * {@code db}; and the collation the refusal must name.
     */
    abstract String[] caseInsensitiveKeyType(ConsolidatedFixture db) throws Exception;

    /** What the refusal's hint must contain: the statement that gives the key an exact collation. */
    abstract String hintFragment();

    @BeforeEach
    void createConsolidated() {
        cons = new ConsolidatedFixture(TestDatabases.create(consolidatedKind()));
    }

    @AfterEach
    void stop() throws Exception {
        if (ferry != null) {
            ferry.close();
        } else if (cons != null) {
            cons.db.close();
        }
    }

    private void startWithTags(String keyType, String... rows) throws Exception {
        cons.jdbc("CREATE TABLE tag (code " + keyType + " NOT NULL PRIMARY KEY, label VARCHAR(40))");
        for (String row : rows) {
            cons.jdbc("INSERT INTO tag (code, label) VALUES " + row);
        }
        ferry = RunningFerry.start(cons, null, Map.of());
    }

    private RemoteFixture remote(String id) throws Exception {
        RemoteFixture r = ferry.remote("sqlite", id);
        RunningFerry.sync(r);
        return r;
    }

    private static List<List<String>> tags(RemoteFixture r) throws Exception {
        return r.query("SELECT code, label FROM tag ORDER BY code");
    }

    private static List<List<String>> pending(RemoteFixture r) throws Exception {
        return r.query("SELECT pk, state, error_code FROM ferry_row_state WHERE state <> 'synced' ORDER BY pk");
    }

    private String serverCount() throws Exception {
        return cons.query("SELECT COUNT(*) FROM tag").get(0).get(0);
    }

    @Test
    void aTextKeyWhoseCollationIgnoresCaseIsRefusedWhenTheServerStartsNamingTableColumnAndCollation() throws Exception {
        String[] folding = caseInsensitiveKeyType(cons);
        cons.jdbc("CREATE TABLE tag (code " + folding[0] + " NOT NULL PRIMARY KEY, label VARCHAR(40))");
        // A process of its own: were the key accepted, the server would keep running instead of exiting.
        Path log = Files.createTempFile("ferry-server-", ".log");
        try (ChildJvm server = ChildJvm.start(log, Map.of(), "server", "--consolidated", cons.db.url(), "--port", "0", "--plain-http")) {
            assertThat(server.waitFor(120)).as(server.output()).isEqualTo(6);
            String error = server.output().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse(server.output());
            assertThat(error).startsWith("error: SCHEMA_KEY_COLLATION: table tag key column code has collation " + folding[1]
                    + ", under which keys that differ in case or accents are the same key").contains(hintFragment());
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** On utf8mb4_general_ci this deleted the row from the server and the other remote. */
    @Test
    void renamingAKeyOnlyInCaseOnARemoteRenamesItOnTheServerAndTheOtherRemote() throws Exception {
        startWithTags(paddedKeyType(), "('abc', 'first')", "('xyz', 'second')");
        RemoteFixture a = remote("shop-a");
        RemoteFixture b = remote("shop-b");

        a.app("UPDATE tag SET code = 'ABC' WHERE code = 'abc';");
        Cli.Result up = RunningFerry.sync(a);
        assertThat(SyncScenarios.counts(up, "tag")).as("the old key's delete and the new key's insert, nothing echoed")
                .containsExactly(2L, 0L, 0L, 0L);
        assertThat(cons.query("SELECT label FROM tag WHERE code = 'ABC'")).containsExactly(List.of("first"));
        assertThat(cons.query("SELECT COUNT(*) FROM tag WHERE code = 'abc'")).containsExactly(List.of("0"));
        assertThat(serverCount()).isEqualTo("2");
        assertThat(tags(a)).containsExactly(List.of("ABC", "first"), List.of("xyz", "second"));
        assertThat(pending(a)).isEmpty();

        RunningFerry.sync(b);
        assertThat(tags(b)).containsExactly(List.of("ABC", "first"), List.of("xyz", "second"));
        assertThat(SyncScenarios.counts(RunningFerry.sync(a), "tag")).as("nothing comes back").containsExactly(0L, 0L, 0L, 0L);
    }

    /** A PostgreSQL char(5) key came back as 'ab   ' and the remote held both 'ab' and 'ab   '. */
    @Test
    void aKeyTheDatabaseComparesWithoutTrailingSpacesTravelsWithoutThemAndStaysOneRowEverywhere() throws Exception {
        startWithTags(paddedKeyType());
        RemoteFixture a = remote("shop-a");
        RemoteFixture b = remote("shop-b");

        a.app("INSERT INTO tag VALUES ('ab', 'from a');");
        assertThat(SyncScenarios.counts(RunningFerry.sync(a), "tag")).containsExactly(1L, 0L, 0L, 0L);
        assertThat(tags(a)).containsExactly(List.of("ab", "from a"));
        assertThat(serverCount()).isEqualTo("1");
        RunningFerry.sync(b);
        assertThat(tags(b)).containsExactly(List.of("ab", "from a"));

        b.app("UPDATE tag SET label = 'from b' WHERE code = 'ab';");
        assertThat(SyncScenarios.counts(RunningFerry.sync(b), "tag")).as("the server's row is the row b has: no conflict")
                .containsExactly(1L, 0L, 0L, 0L);
        assertThat(cons.query("SELECT label FROM tag WHERE code = 'ab'")).containsExactly(List.of("from b"));
        RunningFerry.sync(a);
        assertThat(tags(a)).containsExactly(List.of("ab", "from b"));

        // Another application writes the key with trailing spaces: the database takes it for 'cd' (and may store it so).
        cons.client("INSERT INTO tag (code, label) VALUES ('cd ', 'other app')");
        RunningFerry.sync(a);
        assertThat(tags(a)).containsExactly(List.of("ab", "from b"), List.of("cd", "other app"));
        a.app("UPDATE tag SET label = 'changed on a' WHERE code = 'cd';");
        assertThat(SyncScenarios.counts(RunningFerry.sync(a), "tag")).containsExactly(1L, 0L, 0L, 0L);
        assertThat(cons.query("SELECT label FROM tag WHERE code = 'cd'")).containsExactly(List.of("changed on a"));
        assertThat(serverCount()).isEqualTo("2");
        RunningFerry.sync(b);
        assertThat(tags(b)).containsExactly(List.of("ab", "from b"), List.of("cd", "changed on a"));

        b.app("DELETE FROM tag WHERE code = 'cd';");
        RunningFerry.sync(b);
        assertThat(serverCount()).isEqualTo("1");
        RunningFerry.sync(a);
        assertThat(tags(a)).containsExactly(List.of("ab", "from b"));
        assertThat(pending(a)).isEmpty();
        assertThat(pending(b)).isEmpty();
    }

    @Test
    void aKeyEndingInASpaceIsRefusedWhereTheDatabaseWouldTakeItForTheKeyWithoutTheSpace() throws Exception {
        startWithTags(paddedKeyType(), "('ab', 'first')");
        RemoteFixture a = remote("shop-a");
        RemoteFixture b = remote("shop-b");

        // The remote table refuses it where the application writes...
        assertThatThrownBy(() -> a.app("INSERT INTO tag VALUES ('ab ', 'twin');")).hasMessageContaining("CHECK constraint failed");
        assertThatThrownBy(() -> a.app("UPDATE tag SET code = 'ab ' WHERE code = 'ab';")).hasMessageContaining("CHECK constraint failed");
        assertThat(tags(a)).containsExactly(List.of("ab", "first"));
        assertThat(pending(a)).isEmpty();

        // ...and the server refuses it per row from a remote whose table does not (here: checks switched off).
        a.app("PRAGMA ignore_check_constraints = ON; INSERT INTO tag VALUES ('ab ', 'twin'), ('xy ', 'new'), ('ok', 'fine');");
        Cli.Result res = RunningFerry.sync(a);
        assertThat(SyncScenarios.counts(res, "tag")).containsExactly(3L, 0L, 2L, 0L);
        assertThat(pending(a)).containsExactly(List.of("[\"ab \"]", "error", "ROW_INVALID_VALUE"),
                List.of("[\"xy \"]", "error", "ROW_INVALID_VALUE"));
        assertThat(a.query("SELECT error_message FROM ferry_row_state WHERE pk = '[\"xy \"]'").get(0).get(0))
                .contains("key 'xy ' of tag.code ends in a space").contains("'xy'");
        assertThat(cons.query("SELECT label FROM tag WHERE code = 'ab'")).as("the server's row is untouched").containsExactly(List.of("first"));
        assertThat(serverCount()).isEqualTo("2");
        RunningFerry.sync(b);
        assertThat(tags(b)).containsExactly(List.of("ab", "first"), List.of("ok", "fine"));
    }
}
