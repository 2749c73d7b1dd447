package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, defect 11, end to end through the CLI: columns the consolidated database fills itself
 * ({@code line_item.total} and {@code label}, computed; {@code ticket.id}, a GENERATED ALWAYS identity key
 * where the database has one; {@code note.serial_no}, a GENERATED ALWAYS identity outside the key) used to
 * be written by uploads, which failed the whole sync, on every later sync, with no way out. Applications
 * change the remotes with {@code sqlite3} (SQLite) or plain JDBC (H2), never setting the computed columns.
 * A row the server can never take (it breaks the consolidated CHECK {@code qty_positive}) is rejected
 * alone, the remote keeps syncing, and {@code ferry remote discard} or {@code retry} is the way out.
 * Every scenario runs for a SQLite and an H2 remote.
 */
abstract class GeneratedColumnScenarios {
    private static final Pattern NAME = Pattern.compile("\\{(\\w+)}");

    protected ConsolidatedFixture cons;
    private RunningFerry ferry;

    abstract String consolidatedKind();

    /** {@code ticket}, {@code line_item} (with CHECK {@code qty_positive}) and, with identity columns, {@code note}. */
    abstract List<String> ddl();

    /** Whether the database has GENERATED ALWAYS identity columns (then {@code ticket.id} is one and {@code note} exists). */
    abstract boolean hasIdentityAlways();

    abstract String dropQtyCheck();

    @BeforeEach
    void start() throws Exception {
        cons = new ConsolidatedFixture(TestDatabases.create(consolidatedKind()));
        for (String sql : ddl()) {
            cons.jdbc(sql);
        }
        cons.jdbc("INSERT INTO line_item (id, price, qty) VALUES (1, 2.50, 4)");
        cons.jdbc("INSERT INTO ticket (title) VALUES ('from the server')");
        ferry = RunningFerry.start(cons, null, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        if (ferry != null) {
            ferry.close();
        }
    }

    @Test
    void computedColumnsAndIdentityKeysSyncFromSqliteInsertsAndUpdates() throws Exception {
        computedColumnsAndIdentityKeysSync("sqlite");
    }

    @Test
    void computedColumnsAndIdentityKeysSyncFromH2InsertsAndUpdates() throws Exception {
        computedColumnsAndIdentityKeysSync("h2");
    }

    @Test
    void aSqliteRowTheServerRejectsForeverIsDiscardedAndTheRemoteConverges() throws Exception {
        rejectedRowIsDiscarded("sqlite");
    }

    @Test
    void anH2RowTheServerRejectsForeverIsDiscardedAndTheRemoteConverges() throws Exception {
        rejectedRowIsDiscarded("h2");
    }

    @Test
    void aRejectedSqliteRowIsRetriedOnceTheServerTakesIt() throws Exception {
        rejectedRowIsRetried("sqlite");
    }

    @Test
    void aRejectedH2RowIsRetriedOnceTheServerTakesIt() throws Exception {
        rejectedRowIsRetried("h2");
    }

    @Test
    void discardAndRetryRefuseUnknownRowsAndARunningSyncOfASqliteRemote() throws Exception {
        refusals("sqlite");
    }

    @Test
    void discardAndRetryRefuseUnknownRowsAndARunningSyncOfAnH2Remote() throws Exception {
        refusals("h2");
    }

    private void computedColumnsAndIdentityKeysSync(String remoteKind) throws Exception {
        RemoteFixture r = ferry.remote(remoteKind, "shop-a");
        RunningFerry.sync(r);
        assertThat(remote(r, LINES)).containsExactly(List.of("1", "2.50", "4", "10.00", "item 1"));

        // The same change made on the server too: with the remote's stale total compared, it looked like a conflict.
        cons.client("UPDATE line_item SET qty = 5 WHERE id = 1");
        r.app(sql("INSERT INTO {line_item} ({id}, {price}, {qty}) VALUES (2, '1.25', 3);"
                + " UPDATE {line_item} SET {qty} = 5 WHERE {id} = 1;"
                + " INSERT INTO {ticket} ({id}, {title}) VALUES (1000, 'from the remote');"
                + " UPDATE {ticket} SET {title} = 'from the server, seen' WHERE {id} = 1;"
                + (hasIdentityAlways() ? " INSERT INTO {note} ({id}, {body}) VALUES (1, 'hello');" : "")));
        Cli.Result res = RunningFerry.sync(r);
        assertThat(counts(res, "line_item")).as("line_item: uploaded, downloaded, errors, conflicts").startsWith(2L).endsWith(0L, 0L);
        assertThat(counts(res, "ticket")).containsExactly(2L, 0L, 0L, 0L);
        assertThat(cons.query(plain(LINES))).containsExactly(List.of("1", "2.50", "5", "12.50", "item 1"), List.of("2", "1.25", "3", "3.75", "item 2"));
        assertThat(cons.query(plain(TICKETS))).containsExactly(List.of("1", "from the server, seen"), List.of("1000", "from the remote"));
        assertThat(remote(r, LINES)).as("the server's computed values came back in the same sync").isEqualTo(cons.query(plain(LINES)));
        assertThat(cons.query("SELECT COUNT(*) FROM ferry_conflict")).as("no conflict").containsExactly(List.of("0"));
        if (hasIdentityAlways()) {
            List<List<String>> notes = cons.query(plain(NOTES));
            assertThat(notes).hasSize(1);
            assertThat(notes.get(0).get(1)).as("numbered by the server").isNotNull();
            assertThat(remote(r, NOTES)).isEqualTo(notes);
        }

        // A remote's value in a computed column is ignored, and replaced by the server's.
        r.app(sql("UPDATE {line_item} SET {total} = '999.00', {label} = 'mine' WHERE {id} = 2;"));
        RunningFerry.sync(r);
        assertThat(cons.query(plain(LINES))).contains(List.of("2", "1.25", "3", "3.75", "item 2"));
        assertThat(remote(r, LINES)).isEqualTo(cons.query(plain(LINES)));

        Cli.Result again = RunningFerry.sync(r);
        assertThat(counts(again, "line_item")).as("nothing bounces").containsExactly(0L, 0L, 0L, 0L);
        assertThat(counts(again, "ticket")).containsExactly(0L, 0L, 0L, 0L);
        assertNothingPending(r);
    }

    private void rejectedRowIsDiscarded(String remoteKind) throws Exception {
        RemoteFixture r = ferry.remote(remoteKind, "shop-a");
        RunningFerry.sync(r);
        // qty 0 breaks the consolidated CHECK, which the remote does not have; line 3 is fine.
        r.app(sql("UPDATE {line_item} SET {qty} = 0 WHERE {id} = 1; INSERT INTO {line_item} ({id}, {price}, {qty}) VALUES (3, '4.00', 1);"
                + " INSERT INTO {line_item} ({id}, {price}, {qty}) VALUES (9, '9.00', 0);"));
        Cli.Result first = RunningFerry.sync(r);
        assertThat(counts(first, "line_item")).as("line 3 applied and sent back with its total, lines 1 and 9 rejected")
                .containsExactly(3L, 1L, 2L, 0L);
        assertThat(cons.query(plain(LINES))).containsExactly(List.of("1", "2.50", "4", "10.00", "item 1"), List.of("3", "4.00", "1", "4.00", "item 3"));
        assertThat(r.query("SELECT pk, state, error_code FROM ferry_row_state WHERE state <> 'synced' ORDER BY pk"))
                .containsExactly(List.of("[1]", "error", "ROW_CONSTRAINT_VIOLATION"), List.of("[9]", "error", "ROW_CONSTRAINT_VIOLATION"));

        // The remote keeps syncing both ways; the rejected rows are not sent again.
        cons.client("UPDATE line_item SET price = 3.00 WHERE id = 3");
        Cli.Result second = RunningFerry.sync(r);
        assertThat(counts(second, "line_item")).containsExactly(0L, 1L, 0L, 0L);
        assertThat(remote(r, LINES)).contains(List.of("3", "3.00", "1", "3.00", "item 3"));

        Cli.Result updated = Cli.run("remote", "discard", "--db", r.dbArg(), "--table", "line_item", "--key", "1");
        assertThat(updated.exitCode()).as(updated.all()).isZero();
        assertThat(updated.out()).contains("back to the server's version");
        Cli.Result inserted = Cli.run("remote", "discard", "--db", r.dbArg(), "--table", "line_item", "--key", "[9]");
        assertThat(inserted.exitCode()).as(inserted.all()).isZero();
        assertThat(inserted.out()).contains("the server never had the row, so it was removed");
        assertThat(remote(r, LINES)).isEqualTo(cons.query(plain(LINES)));
        assertNothingPending(r);

        Cli.Result after = RunningFerry.sync(r);
        assertThat(counts(after, "line_item")).as("the discarded changes are not uploaded").containsExactly(0L, 0L, 0L, 0L);
        assertThat(remote(r, LINES)).isEqualTo(cons.query(plain(LINES)));
        assertNothingPending(r);
    }

    private void rejectedRowIsRetried(String remoteKind) throws Exception {
        RemoteFixture r = ferry.remote(remoteKind, "shop-a");
        RunningFerry.sync(r);
        r.app(sql("UPDATE {line_item} SET {qty} = 0 WHERE {id} = 1;"));
        assertThat(counts(RunningFerry.sync(r), "line_item").get(2)).isEqualTo(1L);

        Cli.Result early = Cli.run("remote", "retry", "--db", r.dbArg(), "--table", "line_item", "--key", "[1]");
        assertThat(early.exitCode()).as(early.all()).isZero();
        assertThat(early.out()).contains("is updated again");
        assertThat(counts(RunningFerry.sync(r), "line_item")).as("uploaded again, and rejected again").containsExactly(1L, 0L, 1L, 0L);

        cons.jdbc(dropQtyCheck());
        assertThat(Cli.run("remote", "retry", "--db", r.dbArg(), "--table", "line_item", "--key", "[1]").exitCode()).isZero();
        assertThat(counts(RunningFerry.sync(r), "line_item")).as("applied now, the new total sent back").containsExactly(1L, 1L, 0L, 0L);
        assertThat(cons.query(plain(LINES))).containsExactly(List.of("1", "2.50", "0", "0.00", "item 1"));
        assertThat(remote(r, LINES)).isEqualTo(cons.query(plain(LINES)));
        assertNothingPending(r);
    }

    private void refusals(String remoteKind) throws Exception {
        RemoteFixture r = ferry.remote(remoteKind, "shop-a");
        RunningFerry.sync(r);
        r.app(sql("UPDATE {line_item} SET {price} = '2.75' WHERE {id} = 1;"));

        Cli.Result table = Cli.run("remote", "discard", "--db", r.dbArg(), "--table", "no_such_table", "--key", "1");
        assertThat(table.exitCode()).isEqualTo(2);
        assertThat(table.err()).contains("error: USAGE").contains("no_such_table").containsIgnoringCase("line_item");
        Cli.Result key = Cli.run("remote", "discard", "--db", r.dbArg(), "--table", "line_item", "--key", "42");
        assertThat(key.exitCode()).isEqualTo(2);
        assertThat(key.err()).contains("error: USAGE").contains("42").containsIgnoringCase("line_item").contains("no local change");
        Cli.Result malformed = Cli.run("remote", "discard", "--db", r.dbArg(), "--table", "line_item", "--key", "[1,");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains("error: USAGE").contains("[1,").contains("not a key");
        Cli.Result notInError = Cli.run("remote", "retry", "--db", r.dbArg(), "--table", "line_item", "--key", "1");
        assertThat(notInError.exitCode()).isEqualTo(2);
        assertThat(notInError.err()).contains("error: USAGE").contains("not in error");

        // The lock a running sync holds.
        try (FileChannel ch = FileChannel.open(lockFile(r), StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            Cli.Result busy = Cli.run("remote", "discard", "--db", r.dbArg(), "--table", "line_item", "--key", "1");
            assertThat(busy.exitCode()).as(busy.all()).isEqualTo(5);
            assertThat(busy.err()).contains("error: REMOTE_BUSY");
            assertThat(Cli.run("remote", "retry", "--db", r.dbArg(), "--table", "line_item", "--key", "1").exitCode()).isEqualTo(5);
        }
        assertThat(r.query("SELECT pk, state FROM ferry_row_state WHERE state <> 'synced'"))
                .as("every refusal left the change alone").containsExactly(List.of("[1]", "updated"));
        assertThat(counts(RunningFerry.sync(r), "line_item")).as("uploaded, and sent back with its new total").containsExactly(1L, 1L, 0L, 0L);
        assertThat(cons.query(plain(LINES))).containsExactly(List.of("1", "2.75", "4", "11.00", "item 1"));
    }

    private static final String LINES = "SELECT {id}, {price}, {qty}, {total}, {label} FROM {line_item} ORDER BY {id}";
    private static final String TICKETS = "SELECT {id}, {title} FROM {ticket} ORDER BY {id}";
    private static final String NOTES = "SELECT {id}, {serial_no}, {body} FROM {note} ORDER BY {id}";

    /**
     * Remote SQL, as the application writes it: unquoted names, which reach the remote's tables on SQLite
     * and H2 alike (an H2 remote names the server's line_item LINE_ITEM, issue 13).
     */
    private static String sql(String template) {
        return plain(template);
    }

    /** Consolidated SQL: unquoted names, which every consolidated database folds to its own spelling. */
    private static String plain(String template) {
        return NAME.matcher(template).replaceAll("$1");
    }

    private List<List<String>> remote(RemoteFixture r, String template) throws Exception {
        return r.query(sql(template));
    }

    private static Path lockFile(RemoteFixture r) {
        String url = r.url();
        String path = url.startsWith("jdbc:sqlite:") ? url.substring("jdbc:sqlite:".length()) : url.replaceFirst("^jdbc:h2:(file:)?", "");
        return Path.of(path + ".ferry-sync.lock");
    }

    private List<Long> counts(Cli.Result res, String table) {
        return SyncScenarios.counts(res, cons.table(table));
    }

    private static void assertNothingPending(RemoteFixture r) throws Exception {
        assertThat(r.query("SELECT table_name, pk, state FROM ferry_row_state WHERE state <> 'synced'")).as("rows not synced").isEmpty();
    }
}
