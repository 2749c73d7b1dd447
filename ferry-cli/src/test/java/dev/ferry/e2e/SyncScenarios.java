package dev.ferry.e2e;

import dev.ferry.server.FerryServer;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end scenarios of issue 2, written once and run for every consolidated × remote pair by thin
 * subclasses. Everything goes through the real CLI, a real server over HTTP, and real clients
 * ({@code psql}, {@code mariadb}, {@code sqlite3}) changing data behind Ferry's back.
 */
abstract class SyncScenarios {
    protected ConsolidatedFixture cons;
    protected FerryServer server;
    protected String serverUrl;
    private RunningFerry ferry;

    abstract String consolidatedKind();

    abstract String remoteKind();

    @BeforeEach
    void start() throws Exception {
        cons = new ConsolidatedFixture(TestDatabases.create(consolidatedKind()));
        cons.createSchema();
        cons.jdbc("INSERT INTO customer (id, name, balance) VALUES (1, 'Ada', 120.50), (2, 'Grace', 19.99)");
        ferry = RunningFerry.start(cons, null, Map.of());
        server = ferry.server;
        serverUrl = ferry.url;
    }

    @AfterEach
    void stop() throws Exception {
        if (ferry != null) {
            ferry.close();
        }
    }

    protected RemoteFixture remote(String id) throws Exception {
        return ferry.remote(remoteKind(), id);
    }

    /** A remote database file made for this test, not initialized. */
    protected RemoteFixture uninitializedRemote(String id) throws Exception {
        return ferry.uninitialized(remoteKind(), id);
    }

    protected Cli.Result sync(RemoteFixture r, String... extra) {
        return RunningFerry.sync(r, extra);
    }

    /** The counts line of one table in `ferry remote sync` output: uploaded, downloaded, errors, conflicts. */
    protected static List<Long> counts(Cli.Result res, String table) {
        for (String line : res.out().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 5 && f[0].equalsIgnoreCase(table)) {
                return List.of(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
            }
        }
        throw new AssertionError("no counts for " + table + " in:\n" + res.out());
    }

    protected String t(String name) {
        return cons.table(name);
    }

    protected String c(String name) {
        return cons.table(name);
    }

    protected List<List<String>> remoteRows(RemoteFixture r, String table, String columns) throws Exception {
        String cols = String.join(", ", java.util.Arrays.stream(columns.split(",")).map(String::trim).map(this::c).toList());
        return r.query("SELECT " + cols + " FROM " + r.table(t(table)) + " ORDER BY 1");
    }

    @Test
    void firstSyncDownloadsEveryRowWithExactValues() throws Exception {
        RemoteFixture a = remote("shop-a");
        Cli.Result res = sync(a);
        assertThat(counts(res, t("customer"))).containsExactly(0L, 2L, 0L, 0L);
        assertThat(remoteRows(a, "customer", "id, name, balance")).containsExactly(List.of("1", "Ada", "120.50"), List.of("2", "Grace", "19.99"));
    }

    @Test
    void remoteInsertUpdateDeleteReachTheConsolidatedAndTheOtherRemote() throws Exception {
        RemoteFixture a = remote("shop-a");
        RemoteFixture b = remote("shop-b");
        sync(a);
        sync(b);
        a.app("INSERT INTO " + a.table(t("customer")) + " VALUES (3, 'Linus', '7.25'); UPDATE " + a.table(t("customer"))
                + " SET " + c("name") + " = 'Ada L.' WHERE " + c("id") + " = 1; DELETE FROM " + a.table(t("customer")) + " WHERE " + c("id") + " = 2;");
        Cli.Result up = sync(a);
        assertThat(counts(up, t("customer"))).containsExactly(3L, 0L, 0L, 0L);
        assertThat(cons.query("SELECT id, name, balance FROM customer ORDER BY id"))
                .containsExactly(List.of("1", "Ada L.", "120.50"), List.of("3", "Linus", "7.25"));
        Cli.Result down = sync(b);
        assertThat(counts(down, t("customer"))).containsExactly(0L, 3L, 0L, 0L);
        assertThat(remoteRows(b, "customer", "id, name, balance")).containsExactly(List.of("1", "Ada L.", "120.50"), List.of("3", "Linus", "7.25"));
    }

    @Test
    void changesByAnotherApplicationOnTheConsolidatedReachRemotesIncludingDeletes() throws Exception {
        RemoteFixture a = remote("shop-a");
        sync(a);
        cons.client("INSERT INTO customer (id, name, balance) VALUES (5, 'Edsger', 3.10)");
        cons.client("UPDATE customer SET balance = 0.01 WHERE id = 1");
        cons.client("DELETE FROM customer WHERE id = 2");
        Cli.Result res = sync(a);
        assertThat(counts(res, t("customer"))).containsExactly(0L, 3L, 0L, 0L);
        assertThat(remoteRows(a, "customer", "id, name, balance")).containsExactly(List.of("1", "Ada", "0.01"), List.of("5", "Edsger", "3.10"));
        assertThat(counts(sync(a), t("customer"))).as("nothing new on a second sync").containsExactly(0L, 0L, 0L, 0L);
    }

    @Test
    void rowsARemoteUploadsAreNotDownloadedBackToIt() throws Exception {
        RemoteFixture a = remote("shop-a");
        sync(a);
        a.app("INSERT INTO " + a.table(t("customer")) + " VALUES (7, 'Barbara', '1.00'), (8, 'Frances', '2.00');");
        cons.client("UPDATE customer SET name = 'Grace H.' WHERE id = 2");
        Cli.Result res = sync(a);
        assertThat(counts(res, t("customer"))).as("uploads 2, downloads only the other application's change")
                .containsExactly(2L, 1L, 0L, 0L);
        assertThat(remoteRows(a, "customer", "id, name")).contains(List.of("2", "Grace H."), List.of("7", "Barbara"));
        assertThat(counts(sync(a), t("customer"))).containsExactly(0L, 0L, 0L, 0L);
    }

    /**
     * The echo tag outlives the sync that set it (issue 12: it lives in the shadow table), so it must end
     * with the next write by anyone else: a later consolidated change to an uploaded row, or another
     * remote's upload of it, reaches the remote that uploaded it; its own upload and delete never come back.
     */
    @Test
    void aRemotesOwnRowsStayOutOfItsDownloadsOnlyUntilSomeoneElseChangesThem() throws Exception {
        RemoteFixture a = remote("shop-a");
        RemoteFixture b = remote("shop-b");
        sync(a);
        sync(b);
        a.app("INSERT INTO " + a.table(t("customer")) + " VALUES (7, 'Barbara', '1.00'), (8, 'Frances', '2.00');"
                + " DELETE FROM " + a.table(t("customer")) + " WHERE " + c("id") + " = 2;");
        assertThat(counts(sync(a), t("customer"))).as("uploads 3, downloads none of them").containsExactly(3L, 0L, 0L, 0L);
        assertThat(counts(sync(b), t("customer"))).as("the other remote gets all three").containsExactly(0L, 3L, 0L, 0L);
        cons.client("UPDATE customer SET name = 'Barbara L.' WHERE id = 7");
        b.app("UPDATE " + b.table(t("customer")) + " SET " + c("name") + " = 'Frances A.' WHERE " + c("id") + " = 8;");
        assertThat(counts(sync(b), t("customer"))).as("b uploads 8 and downloads the consolidated change of 7").containsExactly(1L, 1L, 0L, 0L);
        assertThat(counts(sync(a), t("customer"))).as("a's own rows, changed by others since, come back to it").containsExactly(0L, 2L, 0L, 0L);
        assertThat(remoteRows(a, "customer", "id, name")).contains(List.of("7", "Barbara L."), List.of("8", "Frances A."));
        assertThat(counts(sync(a), t("customer"))).containsExactly(0L, 0L, 0L, 0L);
        assertThat(counts(sync(b), t("customer"))).as("b's own upload of 8 stays out of its download").containsExactly(0L, 0L, 0L, 0L);
    }

    @Test
    void aRowInsertedThenDeletedBeforeSyncUploadsNothingAndManyUpdatesUploadOnce() throws Exception {
        RemoteFixture a = remote("shop-a");
        sync(a);
        a.app("INSERT INTO " + a.table(t("customer")) + " VALUES (9, 'Ghost', '0'); DELETE FROM " + a.table(t("customer")) + " WHERE " + c("id") + " = 9;");
        for (int i = 0; i < 5; i++) {
            a.app("UPDATE " + a.table(t("customer")) + " SET " + c("balance") + " = '" + (10 + i) + ".00' WHERE " + c("id") + " = 1;");
        }
        assertThat(a.query("SELECT table_name, pk, state FROM ferry_row_state WHERE state <> 'synced'"))
                .containsExactly(List.of(t("customer"), "[1]", "updated"));
        Cli.Result res = sync(a);
        assertThat(counts(res, t("customer"))).containsExactly(1L, 0L, 0L, 0L);
        assertThat(cons.query("SELECT id, balance FROM customer ORDER BY id")).containsExactly(List.of("1", "14.00"), List.of("2", "19.99"));
    }

    @Test
    void aForeignKeyChainIsInsertedAndDeletedInOneUpload() throws Exception {
        RemoteFixture a = remote("shop-a");
        sync(a);
        a.app("INSERT INTO " + a.table(t("customer")) + " VALUES (10, 'Chain', '1.00');"
                + " INSERT INTO " + a.table(t("orders")) + " VALUES (100, 10, 'first');"
                + " INSERT INTO " + a.table(t("order_line")) + " VALUES (100, 1, 3), (100, 2, 4);");
        Cli.Result up = sync(a);
        assertThat(counts(up, t("order_line")).get(0)).isEqualTo(2L);
        assertThat(cons.query("SELECT order_id, line_no, qty FROM order_line ORDER BY line_no"))
                .containsExactly(List.of("100", "1", "3"), List.of("100", "2", "4"));
        a.app("DELETE FROM " + a.table(t("order_line")) + "; DELETE FROM " + a.table(t("orders")) + "; DELETE FROM " + a.table(t("customer"))
                + " WHERE " + c("id") + " = 10;");
        Cli.Result del = sync(a);
        assertThat(counts(del, t("customer")).get(2)).isZero();
        assertThat(cons.query("SELECT COUNT(*) FROM order_line")).containsExactly(List.of("0"));
        assertThat(cons.query("SELECT COUNT(*) FROM orders")).containsExactly(List.of("0"));
        assertThat(cons.query("SELECT id FROM customer ORDER BY id")).containsExactly(List.of("1"), List.of("2"));
    }

    @Test
    void aRowTheServerRejectsIsMarkedErrorAndTheRestApply() throws Exception {
        RemoteFixture a = remote("shop-a");
        sync(a);
        // The remote has no CHECK constraint; the consolidated one refuses balance <= -1000.
        a.app("INSERT INTO " + a.table(t("customer")) + " VALUES (20, 'Overdrawn', '-5000.00'), (21, 'Fine', '5.00');");
        Cli.Result res = sync(a);
        assertThat(counts(res, t("customer"))).containsExactly(2L, 0L, 1L, 0L);
        assertThat(cons.query("SELECT id FROM customer WHERE id >= 20")).containsExactly(List.of("21"));
        List<List<String>> errors = a.query("SELECT pk, state, error_code, error_message FROM ferry_row_state WHERE state = 'error'");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).subList(0, 3)).containsExactly("[20]", "error", "ROW_CONSTRAINT_VIOLATION");
        assertThat(errors.get(0).get(3)).isNotBlank();
        assertThat(counts(sync(a), t("customer"))).as("an error row is not uploaded again until it changes").containsExactly(0L, 0L, 0L, 0L);
        a.app("UPDATE " + a.table(t("customer")) + " SET " + c("balance") + " = '-5.00' WHERE " + c("id") + " = 20;");
        assertThat(counts(sync(a), t("customer"))).containsExactly(1L, 0L, 0L, 0L);
        assertThat(cons.query("SELECT id, balance FROM customer WHERE id = 20")).containsExactly(List.of("20", "-5.00"));
        assertThat(a.query("SELECT COUNT(*) FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("0"));
    }

    /**
     * A download passes over the server's version of a row the remote holds a change or an error for;
     * when that local entry then goes without reaching the server (a rejected insert deleted, an insert
     * deleted again before any upload), the server's row must still arrive (the property test once
     * diverged on exactly this: issue 12).
     */
    @Test
    void aServerRowPassedOverForALocalChangeArrivesOnceTheLocalChangeIsGoneUnsent() throws Exception {
        RemoteFixture a = remote("shop-a");
        sync(a);
        a.app("INSERT INTO " + a.table(t("customer")) + " VALUES (20, 'Overdrawn', '-5000.00');");
        assertThat(counts(sync(a), t("customer"))).as("rejected by the consolidated CHECK").containsExactly(1L, 0L, 1L, 0L);
        cons.client("INSERT INTO customer (id, name, balance) VALUES (20, 'Server 20', 3.00), (30, 'Server 30', 4.00)");
        a.app("INSERT INTO " + a.table(t("customer")) + " VALUES (30, 'Local 30', '1.00');");
        assertThat(counts(sync(a, "--download-only"), t("customer"))).as("both passed over: 20 is in error, 30 is pending")
                .containsExactly(0L, 0L, 0L, 0L);
        a.app("DELETE FROM " + a.table(t("customer")) + " WHERE " + c("id") + " IN (20, 30);");
        assertThat(counts(sync(a), t("customer"))).as("nothing to upload, the server's two rows come down").containsExactly(0L, 2L, 0L, 0L);
        assertThat(remoteRows(a, "customer", "id, name")).contains(List.of("20", "Server 20"), List.of("30", "Server 30"));
        assertThat(a.query("SELECT COUNT(*) FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("0"));
        assertThat(counts(sync(a), t("customer"))).as("asked for once, not at every sync").containsExactly(0L, 0L, 0L, 0L);
    }

    @Test
    void aWrongPasswordIsRefusedClearlyAndChangesNothing() throws Exception {
        RemoteFixture bad = ferry.uninitialized(remoteKind(), "bad");
        Cli.Result init = Cli.run("remote", "init", "--db", bad.dbArg(), "--server", serverUrl, "--remote-id", "x", "--user", "alice", "--password", "nope");
        assertThat(init.exitCode()).isEqualTo(3);
        assertThat(init.err()).contains("AUTH_FAILED").contains("alice");

        RemoteFixture a = remote("shop-a");
        sync(a);
        a.app("INSERT INTO " + a.table(t("customer")) + " VALUES (30, 'Pending', '1.00'); UPDATE ferry_state SET credential = 'wrong.wrong';");
        Cli.Result res = Cli.run("remote", "sync", "--db", a.dbArg());
        assertThat(res.exitCode()).isEqualTo(3);
        assertThat(res.err()).contains("AUTH_FAILED");
        assertThat(cons.query("SELECT COUNT(*) FROM customer WHERE id = 30")).containsExactly(List.of("0"));
        assertThat(a.query("SELECT state FROM ferry_row_state WHERE pk = '[30]'")).containsExactly(List.of("inserted"));
    }

    @Test
    void statusShowsIdProgressLastDownloadAndRowsPerState() throws Exception {
        RemoteFixture a = remote("shop-a");
        sync(a);
        a.app("UPDATE " + a.table(t("customer")) + " SET " + c("name") + " = 'X' WHERE " + c("id") + " = 1;");
        Cli.Result st = Cli.run("remote", "status", "--db", a.dbArg());
        assertThat(st.exitCode()).isZero();
        assertThat(st.out()).contains("remote id:          shop-a").contains("progress counter:   1").containsPattern("synced\\s+1")
                .containsPattern("updated\\s+1").containsPattern("last download:\\s+\\d{4}-");
    }

    @Test
    void syncOfAMissingRemoteFailsWithOneClearLine() {
        Cli.Result res = Cli.run("remote", "sync", "--db", "/nonexistent/dir/remote.db");
        assertThat(res.exitCode()).isEqualTo(12);
        assertThat(res.err().trim()).containsPattern("(?m)^error: REMOTE_NOT_INITIALIZED").doesNotContain("\n");
    }

    private static Map<String, Object> firstValues() {
        Map<String, Object> v = new java.util.LinkedHashMap<>();
        v.put("id", 1L);
        v.put("c_small", -32768L);
        v.put("c_int", 2147483647L);
        v.put("c_big", Long.MIN_VALUE);
        v.put("c_dec", new java.math.BigDecimal("19.99"));
        v.put("c_real", 3.1415927f);
        v.put("c_double", 0.30000000000000004);
        v.put("c_text", "h\u00e9llo \u2713 \ud83d\ude00 \u6f22\u5b57 \"quote\" 'apos' \\ back");
        v.put("c_vchar", "caf\u00e9");
        v.put("c_bool", true);
        v.put("c_date", java.time.LocalDate.of(1900, 1, 1));
        v.put("c_time", java.time.LocalTime.of(23, 59, 59, 123_456_000));
        v.put("c_ts", java.time.LocalDateTime.of(2024, 2, 29, 12, 34, 56, 123_456_000));
        v.put("c_tstz", java.time.OffsetDateTime.of(2024, 3, 31, 1, 30, 0, 654_321_000, java.time.ZoneOffset.UTC));
        v.put("c_uuid", java.util.UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        v.put("c_bin", new byte[]{0, 1, 2, -1, 0});
        v.put("c_json", "{\"a\":[1,2,{\"b\":null}],\"s\":\"\u00e9\"}");
        return v;
    }

    private static Map<String, Object> secondValues() {
        Map<String, Object> v = new java.util.LinkedHashMap<>();
        v.put("id", 1L);
        v.put("c_small", 32767L);
        v.put("c_int", -2147483648L);
        v.put("c_big", Long.MAX_VALUE);
        v.put("c_dec", new java.math.BigDecimal("-0.01"));
        v.put("c_real", -0.5f);
        v.put("c_double", 1.0e300);
        v.put("c_text", "line1\nline2\ttab");
        v.put("c_vchar", "");
        v.put("c_bool", false);
        v.put("c_date", null);
        v.put("c_time", java.time.LocalTime.MIDNIGHT);
        v.put("c_ts", java.time.LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1_000));
        v.put("c_tstz", java.time.OffsetDateTime.of(2037, 12, 31, 23, 59, 59, 999_999_000, java.time.ZoneOffset.UTC));
        v.put("c_uuid", java.util.UUID.fromString("00000000-0000-0000-0000-000000000001"));
        v.put("c_bin", new byte[]{});
        v.put("c_json", "[]");
        return v;
    }

    private dev.ferry.core.schema.TableDef allTypes() {
        return server.service().tracking().tracked(t("all_types")).table();
    }

    private static void write(java.sql.Connection c, dev.ferry.dialect.Dialect d, dev.ferry.core.schema.TableDef t, Map<String, Object> v,
                              boolean insert) throws Exception {
        List<dev.ferry.core.schema.ColumnDef> cols = t.columns();
        String sql = insert
                ? "INSERT INTO " + d.quote(t.name()) + " (" + String.join(", ", cols.stream().map(col -> d.quote(col.name())).toList())
                        + ") VALUES (" + String.join(", ", cols.stream().map(d::placeholder).toList()) + ")"
                : "UPDATE " + d.quote(t.name()) + " SET " + String.join(", ", cols.stream().filter(col -> !t.primaryKey().contains(col.name()))
                        .map(col -> d.quote(col.name()) + " = " + d.placeholder(col)).toList()) + " WHERE " + d.quote(t.primaryKey().get(0))
                        + " = " + v.get("id");
        try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (dev.ferry.core.schema.ColumnDef col : cols) {
                if (insert || !t.primaryKey().contains(col.name())) {
                    d.bind(ps, i++, col, v.get(col.name().toLowerCase(java.util.Locale.ROOT)));
                }
            }
            ps.executeUpdate();
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    private static void assertRow(String where, java.sql.Connection c, dev.ferry.dialect.Dialect d, dev.ferry.core.schema.TableDef t,
                                  Map<String, Object> expected) throws Exception {
        try (java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT " + String.join(", ", t.columns().stream().map(col -> d.quote(col.name())).toList())
                     + " FROM " + d.quote(t.name()) + " WHERE " + d.quote(t.primaryKey().get(0)) + " = " + expected.get("id"))) {
            assertThat(rs.next()).as(where + ": row present").isTrue();
            for (int i = 0; i < t.columns().size(); i++) {
                dev.ferry.core.schema.ColumnDef col = t.columns().get(i);
                Object want = expected.get(col.name().toLowerCase(java.util.Locale.ROOT));
                Object got = d.read(rs, i + 1, col);
                if (col.type() == dev.ferry.core.schema.FerryType.JSON && want != null) {
                    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
                    assertThat(json.readTree((String) got)).as(where + " " + col.name()).isEqualTo(json.readTree((String) want));
                } else {
                    assertThat(dev.ferry.core.value.Values.equal(col.type(), want, got))
                            .as("%s %s (%s): expected %s, got %s", where, col.name(), col.type(), want, got).isTrue();
                }
            }
        }
    }

    @Test
    void everyTypeRoundTripsExactlyBetweenTheConsolidatedAndRemotes() throws Exception {
        dev.ferry.core.schema.TableDef t = allTypes();
        dev.ferry.dialect.ConsolidatedDialect cd = dev.ferry.dialect.Dialects.consolidated(cons.db.url());
        try (java.sql.Connection c = server.database().connection()) {
            write(c, cd, t, withId(firstValues(), 1), true);
            write(c, cd, t, withId(firstValues(), 2), true);
        }
        RemoteFixture a = remote("shop-a");
        sync(a);
        dev.ferry.dialect.RemoteDialect rd = dev.ferry.dialect.Dialects.remote(a.url());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(a.url())) {
            rd.configure(c);
            assertRow("remote after download", c, rd, t, withId(firstValues(), 1));
            write(c, rd, t, withId(secondValues(), 1), false);
            write(c, rd, t, withId(secondValues(), 2), false);
        }
        // Two rows in one upload: PostgreSQL updates them with one UPDATE ... FROM (VALUES ...), every value cast.
        Cli.Result up = sync(a);
        assertThat(counts(up, t("all_types"))).containsExactly(2L, 0L, 0L, 0L);
        try (java.sql.Connection c = server.database().connection()) {
            assertRow("consolidated after upload", c, cd, t, withId(secondValues(), 1));
            assertRow("consolidated after upload", c, cd, t, withId(secondValues(), 2));
        }
        RemoteFixture b = remote("shop-b");
        sync(b);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(b.url())) {
            rd.configure(c);
            assertRow("second remote", c, rd, t, withId(secondValues(), 2));
        }
    }

    private static Map<String, Object> withId(Map<String, Object> values, long id) {
        values.put("id", id);
        return values;
    }

    @Test
    void aTransactionOpenAcrossASyncIsDeliveredByTheFirstSyncAfterItCommits() throws Exception {
        RemoteFixture a = remote("shop-a");
        sync(a);
        try (java.sql.Connection longTx = cons.db.connect()) {
            longTx.setAutoCommit(false);
            try (java.sql.Statement s = longTx.createStatement()) {
                // Written (and stamped nowhere yet) before other changes that commit first.
                s.executeUpdate("INSERT INTO customer (id, name, balance) VALUES (40, 'Slow', 4.00)");
                s.executeUpdate("UPDATE customer SET name = 'Ada (slow)' WHERE id = 1");
            }
            cons.client("INSERT INTO customer (id, name, balance) VALUES (41, 'Quick', 4.10)");
            Cli.Result during = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> sync(a),
                    "a sync must not wait for an unrelated open transaction");
            assertThat(counts(during, t("customer"))).containsExactly(0L, 1L, 0L, 0L);
            assertThat(remoteRows(a, "customer", "id, name")).contains(List.of("41", "Quick"), List.of("1", "Ada")).doesNotContain(List.of("40", "Slow"));
            assertThat(counts(sync(a), t("customer"))).as("still open: nothing new").containsExactly(0L, 0L, 0L, 0L);
            longTx.commit();
        }
        Cli.Result after = sync(a);
        assertThat(counts(after, t("customer"))).containsExactly(0L, 2L, 0L, 0L);
        assertThat(remoteRows(a, "customer", "id, name")).contains(List.of("40", "Slow"), List.of("1", "Ada (slow)"));
    }

    @Test
    void aDownloadedDeleteThatLocalRowsStillReferenceIsKeptAndShownAsErrorNotDroppedSilently() throws Exception {
        RemoteFixture a = remote("shop-a");
        sync(a);
        a.app("INSERT INTO " + a.table(t("orders")) + " VALUES (200, 2, 'for Grace');");
        cons.client("DELETE FROM customer WHERE id = 2");
        Cli.Result res = sync(a);
        assertThat(counts(res, t("orders"))).as("the order is refused by the server: its customer is gone").containsExactly(1L, 0L, 1L, 0L);
        assertThat(counts(res, t("customer"))).as("the delete is blocked locally and reported").containsExactly(0L, 0L, 1L, 0L);
        assertThat(a.query("SELECT table_name, pk, state, error_code FROM ferry_row_state WHERE state <> 'synced' ORDER BY table_name"))
                .containsExactlyInAnyOrder(List.of(t("customer"), "[2]", "error", "ROW_DELETE_BLOCKED"),
                        List.of(t("orders"), "[200]", "error", "ROW_FOREIGN_KEY_VIOLATION"));
        assertThat(remoteRows(a, "customer", "id")).as("nothing deleted behind the user's back").containsExactly(List.of("1"), List.of("2"));
        a.app("DELETE FROM " + a.table(t("orders")) + " WHERE " + c("id") + " = 200; DELETE FROM " + a.table(t("customer"))
                + " WHERE " + c("id") + " = 2;");
        Cli.Result after = sync(a);
        assertThat(counts(after, t("customer"))).as("the server no longer has either row: nothing to upload").containsExactly(0L, 0L, 0L, 0L);
        assertThat(a.query("SELECT COUNT(*) FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("0"));
        assertThat(cons.query("SELECT id FROM customer ORDER BY id")).containsExactly(List.of("1"));
    }
}
