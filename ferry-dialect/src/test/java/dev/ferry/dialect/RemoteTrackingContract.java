package dev.ferry.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;
import dev.ferry.dialect.remote.RemoteCatalog;
import dev.ferry.testkit.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static dev.ferry.dialect.RemoteSchemaFixture.CUSTOMER;
import static dev.ferry.dialect.RemoteSchemaFixture.EVERY;
import static dev.ferry.dialect.RemoteSchemaFixture.KEYED;
import static dev.ferry.dialect.RemoteSchemaFixture.LINE;
import static dev.ferry.dialect.RemoteSchemaFixture.ODD;
import static dev.ferry.dialect.RemoteSchemaFixture.ORDERS;
import static dev.ferry.dialect.RemoteSchemaFixture.SCHEMA;
import static dev.ferry.dialect.RemoteSchemaFixture.U1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The row-state machine of docs/STATE-TABLES.md ("Remote database"), checked on a real database for
 * every {@link RemoteDialect}. "Synced" rows are written the way a download writes them: with
 * {@code applying = 1} inside a transaction. Subclasses supply the database and the dialect.
 */
public abstract class RemoteTrackingContract {
    protected static final ObjectMapper JSON = new ObjectMapper();

    protected TestDatabase db;
    protected Connection conn;
    protected RemoteDialect dialect;

    protected abstract TestDatabase newDatabase();

    protected abstract RemoteDialect newDialect();

    /** How this dialect writes a boolean into an image: SQLite stores 0/1, H2 has JSON booleans. */
    protected abstract String imageBoolean(boolean b);

    @BeforeEach
    void setUpRemote() throws SQLException {
        dialect = newDialect();
        db = newDatabase();
        conn = open();
        for (TableDef t : SCHEMA.tables()) {
            dialect.createTable(conn, t);
        }
        dialect.installTracking(conn, SCHEMA);
    }

    @AfterEach
    void tearDownRemote() throws SQLException {
        if (conn != null) {
            conn.close();
        }
        if (db != null) {
            db.close();
        }
    }

    protected Connection open() throws SQLException {
        Connection c = db.connect();
        dialect.configure(c);
        return c;
    }

    /**
     * Issue 10, defect 6: where the consolidated database ignores a key's trailing spaces, the remote
     * table refuses a key ending in one, which would otherwise be a second row here and the same row there.
     */
    @Test
    void aPaddedKeyEndingInASpaceIsRefusedByTheTableAndNothingElseIs() throws Exception {
        TableDef tag = new TableDef("tag", List.of(new ColumnDef("code", FerryType.TEXT, false, 5, null, null, true),
                new ColumnDef("label", FerryType.TEXT, true, 5, null, null, true)), List.of("code"), List.of());
        dialect.createTable(conn, tag);
        String table = dialect.quote("tag");
        try (Statement s = conn.createStatement()) {
            s.execute("INSERT INTO " + table + " VALUES ('ab', 'x ')");
            s.execute("INSERT INTO " + table + " VALUES (' cd', 'y')");
            assertThatThrownBy(() -> s.execute("INSERT INTO " + table + " VALUES ('ab ', 'z')")).isInstanceOf(SQLException.class);
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }

    // ---------------------------------------------------------------- 1. the basic rules

    @Test
    void insertIsPendingInsertedWithoutOldImage() throws Exception {
        insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.90"));

        Pending p = pending(CUSTOMER, 1L);
        assertThat(p).isNotNull();
        assertThat(p.pk).isEqualTo("[1]");
        assertThat(p.state).isEqualTo("inserted");
        assertThat(p.oldImage).isNull();
        assertThat(p.changeSeq).isPositive();
        assertThat(p.sentSeq).isNull();
        assertThat(p.sentState).isNull();
        assertThat(p.sentImage).isNull();
        assertThat(p.errorCode).isNull();
        assertThat(allPending()).hasSize(1);
    }

    @Test
    void insertThenDeleteBeforeSyncLeavesNothing() throws Exception {
        insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.90"));
        delete(CUSTOMER, 1L);

        assertThat(allPending()).isEmpty();
    }

    @Test
    void insertThenManyUpdatesStaysOneInsertedRow() throws Exception {
        insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.90"));
        long first = pending(CUSTOMER, 1L).changeSeq;
        for (int i = 0; i < 5; i++) {
            update(CUSTOMER, new Object[]{1L}, "name", "Ann " + i);
        }

        assertThat(allPending()).hasSize(1);
        Pending p = pending(CUSTOMER, 1L);
        assertThat(p.state).isEqualTo("inserted");
        assertThat(p.oldImage).isNull();
        assertThat(p.changeSeq).isGreaterThan(first);
    }

    @Test
    void updateOfSyncedRowKeepsTheFirstOldImage() throws Exception {
        synced(() -> insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.90")));
        assertThat(allPending()).isEmpty();

        update(CUSTOMER, new Object[]{1L}, "name", "Bob");
        Pending p = pending(CUSTOMER, 1L);
        assertThat(p.state).isEqualTo("updated");
        assertThat(p.oldImage).isEqualTo("{\"id\":1,\"name\":\"Ann\",\"balance\":\"19.90\"}");

        update(CUSTOMER, new Object[]{1L}, "balance", new BigDecimal("25.00"));
        update(CUSTOMER, new Object[]{1L}, "name", null);
        Pending later = pending(CUSTOMER, 1L);
        assertThat(later.state).isEqualTo("updated");
        assertThat(later.oldImage).isEqualTo("{\"id\":1,\"name\":\"Ann\",\"balance\":\"19.90\"}");
        assertThat(later.changeSeq).isGreaterThan(p.changeSeq);
        assertThat(allPending()).hasSize(1);
    }

    @Test
    void oldImageHoldsEveryColumnExactly() throws Exception {
        synced(() -> insert(EVERY, RemoteSchemaFixture.simpleEveryRow(1)));
        synced(() -> insert(EVERY, RemoteSchemaFixture.nullEveryRow(2)));
        update(EVERY, new Object[]{1L}, "c_text", "changed");
        update(EVERY, new Object[]{2L}, "c_text", "changed");

        assertThat(pending(EVERY, 1L).oldImage).isEqualTo("{\"id\":1,\"c_smallint\":-32768,\"c_integer\":2147483647,"
                + "\"c_bigint\":9223372036854775807,\"c_decimal\":\"12345678901234.5678\",\"c_real\":1.5,\"c_double\":0.25,"
                + "\"c_text\":\"é😀 \\\"q\\\" \\\\ \\n\\t'x'\",\"c_boolean\":" + imageBoolean(true) + ",\"c_date\":\"2024-02-29\","
                + "\"c_time\":\"23:59:59.999999\",\"c_ts\":\"2024-05-01T10:11:12.123456\","
                + "\"c_tstz\":\"2024-05-01T08:11:12.123456Z\",\"c_uuid\":\"" + U1 + "\",\"c_binary\":\"000100ff00\","
                + "\"c_json\":\"{\\\"a\\\":[1,true,null,\\\"é\\\"]}\"}");
        assertThat(pending(EVERY, 2L).oldImage).isEqualTo("{\"id\":2,\"c_smallint\":null,\"c_integer\":null,"
                + "\"c_bigint\":null,\"c_decimal\":null,\"c_real\":null,\"c_double\":null,\"c_text\":null,\"c_boolean\":null,"
                + "\"c_date\":null,\"c_time\":null,\"c_ts\":null,\"c_tstz\":null,\"c_uuid\":null,\"c_binary\":null,\"c_json\":null}");
    }

    @Test
    void oldImageNumbersReadBackExactly() throws Exception {
        synced(() -> insert(EVERY, RemoteSchemaFixture.edgeEveryRow(1)));
        synced(() -> insert(EVERY, RemoteSchemaFixture.moreEdgeEveryRow(2)));
        update(EVERY, new Object[]{1L}, "c_text", "changed");
        update(EVERY, new Object[]{2L}, "c_text", "changed");

        JsonNode one = JSON.readTree(pending(EVERY, 1L).oldImage);
        assertThat((float) one.get("c_real").doubleValue()).isEqualTo(1.1f);
        assertThat(one.get("c_double").doubleValue()).isEqualTo(0.1 + 0.2);
        assertThat(one.get("c_bigint").longValue()).isEqualTo(Long.MIN_VALUE);
        assertThat(one.get("c_decimal").textValue()).isEqualTo("-0.0001");
        assertThat(one.get("c_binary").textValue()).isEmpty();
        assertThat(one.get("c_text").textValue()).isEmpty();
        assertThat(one.get("c_time").textValue()).isEqualTo("00:00");
        assertThat(one.get("c_tstz").textValue()).isEqualTo("2000-01-01T00:00:00Z");
        assertThat(one.get("c_boolean").asBoolean()).isFalse();
        JsonNode two = JSON.readTree(pending(EVERY, 2L).oldImage);
        assertThat((float) two.get("c_real").doubleValue()).isEqualTo(Float.MAX_VALUE);
        assertThat(two.get("c_double").doubleValue()).isEqualTo(Double.MIN_VALUE);
        assertThat(two.get("c_text").textValue()).isEqualTo("a\u0001b\u001fc/\u2028😀😀");
        assertThat(two.get("c_binary").textValue()).isEqualTo(Values.hex((byte[]) RemoteSchemaFixture.moreEdgeEveryRow(2)[14]));
        assertThat(two.get("c_decimal").textValue()).isEqualTo("0.0000");
    }

    @Test
    void deleteOfSyncedRowIsDeletedWithOldImage() throws Exception {
        synced(() -> insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.90")));
        delete(CUSTOMER, 1L);

        Pending p = pending(CUSTOMER, 1L);
        assertThat(p.state).isEqualTo("deleted");
        assertThat(p.oldImage).isEqualTo("{\"id\":1,\"name\":\"Ann\",\"balance\":\"19.90\"}");
    }

    @Test
    void updateThenDeleteOfSyncedRowKeepsTheFirstOldImage() throws Exception {
        synced(() -> insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.90")));
        update(CUSTOMER, new Object[]{1L}, "name", "Bob");
        delete(CUSTOMER, 1L);

        Pending p = pending(CUSTOMER, 1L);
        assertThat(p.state).isEqualTo("deleted");
        assertThat(p.oldImage).isEqualTo("{\"id\":1,\"name\":\"Ann\",\"balance\":\"19.90\"}");
    }

    @Test
    void deleteThenReinsertOfSyncedKeyIsUpdated() throws Exception {
        synced(() -> insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.90")));
        delete(CUSTOMER, 1L);
        insert(CUSTOMER, 1L, "Zoe", new BigDecimal("1.00"));

        Pending p = pending(CUSTOMER, 1L);
        assertThat(p.state).isEqualTo("updated");
        assertThat(p.oldImage).isEqualTo("{\"id\":1,\"name\":\"Ann\",\"balance\":\"19.90\"}");
        assertThat(allPending()).hasSize(1);
    }

    @Test
    void keyChangeOfSyncedRowDeletesOldKeyAndInsertsNewKey() throws Exception {
        synced(() -> insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.90")));
        updateKey(CUSTOMER, new Object[]{1L}, new Object[]{100L});

        Pending old = pending(CUSTOMER, 1L);
        assertThat(old.state).isEqualTo("deleted");
        assertThat(old.oldImage).isEqualTo("{\"id\":1,\"name\":\"Ann\",\"balance\":\"19.90\"}");
        Pending fresh = pending(CUSTOMER, 100L);
        assertThat(fresh.state).isEqualTo("inserted");
        assertThat(fresh.oldImage).isNull();
        assertThat(fresh.changeSeq).isGreaterThan(old.changeSeq);
        assertThat(allPending()).hasSize(2);
    }

    @Test
    void keyChangeOfCompositeKeyAndOfUnsyncedRow() throws Exception {
        synced(() -> {
            insert(CUSTOMER, 1L, "Ann", null);
            insert(ORDERS, 10L, 1L, null);
            insert(LINE, 10L, "A", 1L);
        });
        updateKey(LINE, new Object[]{10L, "A"}, new Object[]{10L, "B"});
        assertThat(pending(LINE, 10L, "A").state).isEqualTo("deleted");
        assertThat(pending(LINE, 10L, "A").oldImage).isEqualTo("{\"order_id\":10,\"code\":\"A\",\"qty\":1}");
        assertThat(pending(LINE, 10L, "B").state).isEqualTo("inserted");

        // B was never synced: moving it again leaves no trace of B.
        updateKey(LINE, new Object[]{10L, "B"}, new Object[]{10L, "C"});
        assertThat(pending(LINE, 10L, "B")).isNull();
        assertThat(pending(LINE, 10L, "C").state).isEqualTo("inserted");
        assertThat(pending(LINE, 10L, "A").state).isEqualTo("deleted");

        // Moving back to the synced key: the server has A, so it is an update of A.
        updateKey(LINE, new Object[]{10L, "C"}, new Object[]{10L, "A"});
        assertThat(pending(LINE, 10L, "C")).isNull();
        assertThat(pending(LINE, 10L, "A").state).isEqualTo("updated");
        assertThat(pending(LINE, 10L, "A").oldImage).isEqualTo("{\"order_id\":10,\"code\":\"A\",\"qty\":1}");
        assertThat(allPending()).hasSize(1);
    }

    @Test
    void quotedNamesAreTrackedToo() throws Exception {
        synced(() -> insert(ODD, "k 1", "v"));
        update(ODD, new Object[]{"k 1"}, "it's", "w");
        insert(ODD, "k\"2", null);

        assertThat(pending(ODD, "k 1").oldImage).isEqualTo("{\"key col\":\"k 1\",\"it's\":\"v\"}");
        assertThat(pending(ODD, "k\"2").pk).isEqualTo("[\"k\\\"2\"]");
        assertThat(rowStates()).contains(new RowState(ODD.name(), "[\"k 1\"]", "updated", null, null));
    }

    // ---------------------------------------------------------------- 2. change_seq and applying

    @Test
    void changeSeqStrictlyIncreasesAcrossWrites() throws Exception {
        synced(() -> insert(CUSTOMER, 9L, "Syd", null));
        List<Long> seqs = new ArrayList<>();
        insert(CUSTOMER, 1L, "Ann", null);
        seqs.add(pending(CUSTOMER, 1L).changeSeq);
        insert(CUSTOMER, 2L, "Bob", null);
        seqs.add(pending(CUSTOMER, 2L).changeSeq);
        update(CUSTOMER, new Object[]{1L}, "name", "Ann2");
        seqs.add(pending(CUSTOMER, 1L).changeSeq);
        insert(ORDERS, 5L, 2L, "n");
        seqs.add(pending(ORDERS, 5L).changeSeq);
        update(CUSTOMER, new Object[]{9L}, "name", "Syd2");
        seqs.add(pending(CUSTOMER, 9L).changeSeq);
        delete(CUSTOMER, 9L);
        seqs.add(pending(CUSTOMER, 9L).changeSeq);
        update(CUSTOMER, new Object[]{2L}, "name", "Bob2");
        seqs.add(pending(CUSTOMER, 2L).changeSeq);

        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("change_seq #%d of %s", i, seqs).isGreaterThan(seqs.get(i - 1));
        }
    }

    @Test
    void writesWhileApplyingAreNotTrackedButLaterWritesAre() throws Exception {
        synced(() -> {
            insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.90"));
            update(CUSTOMER, new Object[]{1L}, "name", "Ann B");
            insert(CUSTOMER, 2L, "Bob", null);
            delete(CUSTOMER, 2L);
            insert(ORDERS, 7L, 1L, "x");
        });
        assertThat(allPending()).isEmpty();
        assertThat(queryLong("SELECT applying FROM ferry_state WHERE id = 1")).isZero();

        update(CUSTOMER, new Object[]{1L}, "name", "Ann C");
        assertThat(pending(CUSTOMER, 1L).oldImage).isEqualTo("{\"id\":1,\"name\":\"Ann B\",\"balance\":\"19.90\"}");
    }

    @Test
    void rolledBackApplyingLeavesTrackingOn() throws Exception {
        conn.setAutoCommit(false);
        execute("UPDATE ferry_state SET applying = 1 WHERE id = 1");
        insert(CUSTOMER, 1L, "Ann", null);
        conn.rollback();
        conn.setAutoCommit(true);

        insert(CUSTOMER, 2L, "Bob", null);
        assertThat(pending(CUSTOMER, 2L).state).isEqualTo("inserted");
        assertThat(allPending()).hasSize(1);
    }

    @Test
    void pendingRowsRollBackWithTheWrite() throws Exception {
        conn.setAutoCommit(false);
        insert(CUSTOMER, 1L, "Ann", null);
        assertThat(pending(CUSTOMER, 1L)).isNotNull();
        conn.rollback();
        conn.setAutoCommit(true);

        assertThat(allPending()).isEmpty();
    }

    // ---------------------------------------------------------------- 3. rows in flight

    @Test
    void firstWriteAfterSendingCapturesTheSentImage() throws Exception {
        synced(() -> insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.90")));
        update(CUSTOMER, new Object[]{1L}, "name", "Bob");
        markSent();
        Pending sent = pending(CUSTOMER, 1L);
        assertThat(sent.sentSeq).isEqualTo(sent.changeSeq);
        assertThat(sent.sentState).isEqualTo("updated");
        assertThat(sent.sentImage).isNull();

        update(CUSTOMER, new Object[]{1L}, "name", "Carl");
        Pending p = pending(CUSTOMER, 1L);
        assertThat(p.state).isEqualTo("updated");
        assertThat(p.oldImage).isEqualTo("{\"id\":1,\"name\":\"Ann\",\"balance\":\"19.90\"}");
        assertThat(p.sentImage).isEqualTo("{\"id\":1,\"name\":\"Bob\",\"balance\":\"19.90\"}");
        assertThat(p.sentSeq).isEqualTo(sent.sentSeq);
        assertThat(p.sentState).isEqualTo("updated");
        assertThat(p.changeSeq).isGreaterThan(p.sentSeq);

        update(CUSTOMER, new Object[]{1L}, "name", "Dave");
        Pending again = pending(CUSTOMER, 1L);
        assertThat(again.sentImage).isEqualTo("{\"id\":1,\"name\":\"Bob\",\"balance\":\"19.90\"}");
        assertThat(again.changeSeq).isGreaterThan(p.changeSeq);
    }

    @Test
    void updateOfInFlightInsertedRowStaysInsertedAndCaptures() throws Exception {
        insert(CUSTOMER, 3L, "Cy", null);
        markSent();
        update(CUSTOMER, new Object[]{3L}, "name", "Cyd");

        Pending p = pending(CUSTOMER, 3L);
        assertThat(p.state).isEqualTo("inserted");
        assertThat(p.oldImage).isNull();
        assertThat(p.sentState).isEqualTo("inserted");
        assertThat(p.sentImage).isEqualTo("{\"id\":3,\"name\":\"Cy\",\"balance\":null}");
    }

    @Test
    void deleteOfInFlightInsertedRowIsKeptAsDeleted() throws Exception {
        insert(CUSTOMER, 2L, "Bea", new BigDecimal("5.50"));
        markSent();
        delete(CUSTOMER, 2L);

        Pending p = pending(CUSTOMER, 2L);
        assertThat(p).as("an in-flight row is never removed by a delete").isNotNull();
        assertThat(p.state).isEqualTo("deleted");
        assertThat(p.oldImage).isNull();
        assertThat(p.sentState).isEqualTo("inserted");
        assertThat(p.sentImage).isEqualTo("{\"id\":2,\"name\":\"Bea\",\"balance\":\"5.50\"}");
        assertThat(p.changeSeq).isGreaterThan(p.sentSeq);
    }

    @Test
    void deleteOfInFlightRowAfterAnotherWriteKeepsTheFirstCapture() throws Exception {
        insert(CUSTOMER, 2L, "Bea", null);
        markSent();
        update(CUSTOMER, new Object[]{2L}, "name", "Bee");
        delete(CUSTOMER, 2L);

        Pending p = pending(CUSTOMER, 2L);
        assertThat(p.state).isEqualTo("deleted");
        assertThat(p.sentImage).isEqualTo("{\"id\":2,\"name\":\"Bea\",\"balance\":null}");
    }

    @Test
    void reinsertOfInFlightDeletedRowDoesNotCapture() throws Exception {
        synced(() -> insert(CUSTOMER, 4L, "Di", null));
        delete(CUSTOMER, 4L);
        markSent();
        insert(CUSTOMER, 4L, "Di 2", null);

        Pending p = pending(CUSTOMER, 4L);
        assertThat(p.state).isEqualTo("updated");
        assertThat(p.sentState).isEqualTo("deleted");
        assertThat(p.sentImage).as("INSERT has no OLD row to capture").isNull();
        assertThat(p.changeSeq).isGreaterThan(p.sentSeq);
    }

    // ---------------------------------------------------------------- 4. rejected rows

    @Test
    void changingAnErrorRowClearsTheErrorPerOldImage() throws Exception {
        insert(CUSTOMER, 1L, "Ann", null);
        synced(() -> insert(CUSTOMER, 2L, "Bob", null));
        update(CUSTOMER, new Object[]{2L}, "name", "Bobby");
        markError(CUSTOMER, 1L);
        markError(CUSTOMER, 2L);
        assertThat(pending(CUSTOMER, 1L).state).isEqualTo("error");

        update(CUSTOMER, new Object[]{1L}, "name", "Anna");
        update(CUSTOMER, new Object[]{2L}, "name", "Robert");

        Pending one = pending(CUSTOMER, 1L);
        assertThat(one.state).isEqualTo("inserted");
        assertThat(one.errorCode).isNull();
        assertThat(one.errorMessage).isNull();
        Pending two = pending(CUSTOMER, 2L);
        assertThat(two.state).isEqualTo("updated");
        assertThat(two.oldImage).isEqualTo("{\"id\":2,\"name\":\"Bob\",\"balance\":null}");
        assertThat(two.errorCode).isNull();
        assertThat(two.errorMessage).isNull();
    }

    @Test
    void reinsertOverErrorRowClearsTheError() throws Exception {
        synced(() -> insert(CUSTOMER, 2L, "Bob", null));
        delete(CUSTOMER, 2L);
        markError(CUSTOMER, 2L);
        insert(CUSTOMER, 2L, "Bob again", null);

        Pending p = pending(CUSTOMER, 2L);
        assertThat(p.state).isEqualTo("updated");
        assertThat(p.errorCode).isNull();
    }

    @Test
    void deletingAnErrorRowWithoutOldImageRemovesIt() throws Exception {
        insert(CUSTOMER, 1L, "Ann", null);
        markError(CUSTOMER, 1L);
        delete(CUSTOMER, 1L);

        assertThat(pending(CUSTOMER, 1L)).isNull();
    }

    @Test
    void deletingAnErrorRowWithOldImageIsDeleted() throws Exception {
        synced(() -> insert(CUSTOMER, 2L, "Bob", null));
        update(CUSTOMER, new Object[]{2L}, "name", "Bobby");
        markError(CUSTOMER, 2L);
        delete(CUSTOMER, 2L);

        Pending p = pending(CUSTOMER, 2L);
        assertThat(p.state).isEqualTo("deleted");
        assertThat(p.oldImage).isEqualTo("{\"id\":2,\"name\":\"Bob\",\"balance\":null}");
        assertThat(p.errorCode).isNull();
        assertThat(p.errorMessage).isNull();
    }

    // ---------------------------------------------------------------- 5. ferry_row_state

    @Test
    void rowStateViewListsSyncedAndPendingRows() throws Exception {
        UUID u2 = UUID.fromString("1c9f6a52-0000-4000-8000-00000000abcd");
        synced(() -> {
            insert(CUSTOMER, 1L, "Ann", null);
            insert(CUSTOMER, 2L, "Bob", null);
            insert(CUSTOMER, 4L, "Dee", null);
            insert(KEYED, U1, new BigDecimal("19.90"), LocalDate.of(2024, 5, 1), "a");
            insert(KEYED, u2, new BigDecimal("-3.05"), LocalDate.of(2023, 1, 31), "b");
        });
        insert(CUSTOMER, 3L, "Cy", null);
        update(CUSTOMER, new Object[]{1L}, "name", "Anna");
        delete(CUSTOMER, 2L);
        update(CUSTOMER, new Object[]{4L}, "name", "Deedee");
        execute("UPDATE ferry_pending SET state = 'error', error_code = 'ROW_CONSTRAINT_VIOLATION',"
                + " error_message = 'name too long' WHERE tbl = 'customer' AND pk = '[4]'");
        update(KEYED, new Object[]{U1, new BigDecimal("19.90"), LocalDate.of(2024, 5, 1)}, "label", "changed");

        List<RowState> states = rowStates();
        assertThat(states).filteredOn(s -> s.table.equals("customer")).containsExactlyInAnyOrder(
                new RowState("customer", "[1]", "updated", null, null),
                new RowState("customer", "[2]", "deleted", null, null),
                new RowState("customer", "[3]", "inserted", null, null),
                new RowState("customer", "[4]", "error", "ROW_CONSTRAINT_VIOLATION", "name too long"));
        String keyedUpdated = pending(KEYED, U1, new BigDecimal("19.90"), LocalDate.of(2024, 5, 1)).pk;
        assertThat(states).filteredOn(s -> s.table.equals("keyed")).hasSize(2)
                .contains(new RowState("keyed", keyedUpdated, "updated", null, null))
                .anySatisfy(s -> {
                    assertThat(s.state).isEqualTo("synced");
                    assertThat(s.pk).contains(u2.toString()).contains("2023-01-31");
                });
        assertThat(states).hasSize(6);

        // A synced row's pk in the view is the text a later pending row would get.
        String syncedPk = states.stream().filter(s -> s.state.equals("synced")).findFirst().orElseThrow().pk;
        update(KEYED, new Object[]{u2, new BigDecimal("-3.05"), LocalDate.of(2023, 1, 31)}, "label", "c");
        assertThat(pending(KEYED, u2, new BigDecimal("-3.05"), LocalDate.of(2023, 1, 31)).pk).isEqualTo(syncedPk);
        assertThat(rowStates()).filteredOn(s -> s.table.equals("keyed")).extracting(s -> s.state)
                .containsExactlyInAnyOrder("updated", "updated");
    }

    // ---------------------------------------------------------------- 6. key text lookups

    @Test
    void keyTextFindsPendingRowsOfCompositeMixedKeys() throws Exception {
        synced(() -> {
            insert(CUSTOMER, 1L, "Ann", null);
            insert(ORDERS, 10L, 1L, null);
            insert(ORDERS, 11L, 1L, null);
        });
        insert(LINE, 10L, "é😀 \"x\"", 3L);
        insert(LINE, 11L, "10", 4L);
        LocalDate day = LocalDate.of(2024, 5, 1);
        UUID u2 = UUID.randomUUID();
        insert(KEYED, U1, new BigDecimal("19.90"), day, "a");
        insert(KEYED, u2, new BigDecimal("0.05"), day.plusDays(1), "b");

        assertThat(pending(LINE, 10L, "é😀 \"x\"").state).isEqualTo("inserted");
        assertThat(pending(LINE, 11L, "10").state).isEqualTo("inserted");
        assertThat(pending(LINE, 10L, "10")).isNull();
        assertThat(pending(LINE, 11L, "é😀 \"x\"")).isNull();
        assertThat(pending(KEYED, U1, new BigDecimal("19.90"), day)).isNotNull();
        assertThat(pending(KEYED, u2, new BigDecimal("0.05"), day.plusDays(1))).isNotNull();
        assertThat(pending(KEYED, U1, new BigDecimal("0.05"), day)).isNull();
        assertThat(pending(KEYED, U1, new BigDecimal("19.90"), day.plusDays(1))).isNull();
        assertThat(pending(KEYED, u2, new BigDecimal("19.90"), day)).isNull();
        assertThat(pending(LINE, 10L, "é😀 \"x\"").pk).startsWith("[10,\"");
    }

    // ---------------------------------------------------------------- 7. types and catalog

    @Test
    void everyTypeRoundTripsThroughBindAndRead() throws Exception {
        List<Object[]> rows = List.of(RemoteSchemaFixture.simpleEveryRow(1), RemoteSchemaFixture.edgeEveryRow(2),
                RemoteSchemaFixture.moreEdgeEveryRow(3), RemoteSchemaFixture.nullEveryRow(4));
        for (Object[] row : rows) {
            insert(EVERY, row);
        }
        for (Object[] row : rows) {
            assertRowEquals(EVERY, row, readRow(EVERY, row[0]));
        }
    }

    @Test
    void upsertInsertsThenUpdatesByKey() throws Exception {
        Object[] first = RemoteSchemaFixture.simpleEveryRow(1);
        Object[] second = RemoteSchemaFixture.edgeEveryRow(1);
        synced(() -> {
            upsert(EVERY, first);
            assertRowEquals(EVERY, first, readRow(EVERY, 1L));
            upsert(EVERY, second);
        });
        assertRowEquals(EVERY, second, readRow(EVERY, 1L));
        assertThat(queryLong("SELECT COUNT(*) FROM " + dialect.quote(EVERY.name()))).isEqualTo(1);
        assertThat(allPending()).isEmpty();
    }

    @Test
    void upsertOfKeyOnlyTableIgnoresAnExistingRow() throws Exception {
        TableDef tag = new TableDef("tag", List.of(ColumnDef.of("name", FerryType.TEXT, false)),
                List.of("name"), List.of());
        dialect.createTable(conn, tag);
        upsert(tag, "red");
        upsert(tag, "red");
        assertThat(queryLong("SELECT COUNT(*) FROM " + dialect.quote("tag"))).isEqualTo(1);
    }

    /** A table of {@code columns} TEXT columns c0..c(n-1) after an integer key, tracked on its own. */
    protected TableDef installWideTable(int columns) throws SQLException {
        List<ColumnDef> cols = new ArrayList<>();
        cols.add(ColumnDef.of("id", FerryType.INTEGER, false));
        for (int i = 0; i < columns; i++) {
            cols.add(ColumnDef.of("c" + i, FerryType.TEXT, true));
        }
        TableDef wide = new TableDef("wide", cols, List.of("id"), List.of());
        dialect.createTable(conn, wide);
        dialect.installTracking(conn, SyncSchema.of(List.of(wide)));
        return wide;
    }

    @Test
    void imagesOfWideTablesHoldEveryColumn() throws Exception {
        TableDef wide = installWideTable(200);
        Object[] row = new Object[201];
        row[0] = 1L;
        for (int i = 1; i < row.length; i++) {
            row[i] = "v" + (i - 1);
        }
        synced(() -> insert(wide, row));
        update(wide, new Object[]{1L}, "c199", "changed");

        JsonNode image = JSON.readTree(pending(wide, 1L).oldImage);
        assertThat(image.size()).isEqualTo(201);
        assertThat(image.get("c0").textValue()).isEqualTo("v0");
        assertThat(image.get("c199").textValue()).isEqualTo("v199");
    }

    @Test
    void catalogRecordsTablesInForeignKeyOrderAndEveryColumn() throws Exception {
        List<String> tables = new ArrayList<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT tbl, position FROM ferry_table ORDER BY position")) {
            while (rs.next()) {
                assertThat(rs.getInt(2)).isEqualTo(tables.size());
                tables.add(rs.getString(1));
            }
        }
        assertThat(tables).containsExactlyElementsOf(SCHEMA.tables().stream().map(TableDef::name).toList());
        assertThat(tables.indexOf("customer")).isLessThan(tables.indexOf("orders"));
        assertThat(tables.indexOf("orders")).isLessThan(tables.indexOf("order_line"));

        List<String> rows = new ArrayList<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT tbl, col, position, ferry_type, nullable,"
                + " length, precision_, scale, key_position FROM ferry_column WHERE tbl IN ('customer', 'keyed') ORDER BY tbl, position")) {
            while (rs.next()) {
                List<String> r = new ArrayList<>();
                for (int i = 1; i <= 9; i++) {
                    r.add(rs.getString(i));
                }
                rows.add(String.join("|", r.stream().map(String::valueOf).toList()));
            }
        }
        assertThat(rows).containsExactly(
                "customer|id|0|INTEGER|0|null|null|null|0",
                "customer|name|1|TEXT|1|40|null|null|null",
                "customer|balance|2|DECIMAL|1|null|12|2|null",
                "keyed|u|0|UUID|0|null|null|null|0",
                "keyed|amount|1|DECIMAL|0|null|10|2|1",
                "keyed|day|2|DATE|0|null|null|null|2",
                "keyed|label|3|TEXT|1|null|null|null|null");
        assertThat(queryLong("SELECT COUNT(*) FROM ferry_column WHERE tbl = 'every_type'")).isEqualTo(EVERY.columns().size());
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT ferry_type FROM ferry_column WHERE tbl = 'every_type' ORDER BY position")) {
            List<String> types = new ArrayList<>();
            while (rs.next()) {
                types.add(rs.getString(1));
            }
            assertThat(types).containsExactlyElementsOf(EVERY.columns().stream().map(c -> c.type().name()).toList());
        }
        assertThat(RemoteCatalog.readTables(conn))
                .containsExactlyElementsOf(SCHEMA.tables().stream().map(t -> new TableDef(t.name(), t.columns(), t.primaryKey(), List.of())).toList());
    }

    @Test
    void stateRowStartsWithDefaults() throws Exception {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT remote_id, server_url, user_name, credential,"
                + " consolidated_id, progress, pending_upload, last_download, last_download_time, last_upload_time,"
                + " change_counter, applying, created_at FROM ferry_state")) {
            assertThat(rs.next()).isTrue();
            for (int i : new int[]{1, 2, 3, 4, 5, 7, 9, 10}) {
                assertThat(rs.getObject(i)).as("column %d", i).isNull();
            }
            assertThat(rs.getLong(6)).isZero();
            assertThat(rs.getLong(8)).isZero();
            assertThat(rs.getLong(11)).isZero();
            assertThat(rs.getInt(12)).isZero();
            OffsetDateTime created = (OffsetDateTime) Values.parse(FerryType.TIMESTAMPTZ, rs.getString(13));
            assertThat(rs.getString(13)).endsWith("Z");
            assertThat(created).isBetween(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5), OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1));
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void reinstallingTrackingKeepsPendingRowsAndDoesNotDoubleTrack() throws Exception {
        insert(CUSTOMER, 1L, "Ann", null);
        long before = pending(CUSTOMER, 1L).changeSeq;
        dialect.installTracking(conn, SCHEMA);
        assertThat(queryLong("SELECT COUNT(*) FROM ferry_state")).isEqualTo(1);
        assertThat(pending(CUSTOMER, 1L).state).isEqualTo("inserted");

        synced(() -> insert(CUSTOMER, 2L, "Bob", null));
        update(CUSTOMER, new Object[]{2L}, "name", "Bobby");
        Pending p = pending(CUSTOMER, 2L);
        assertThat(p.state).isEqualTo("updated");
        assertThat(p.changeSeq).isGreaterThan(before);
        assertThat(rowStates()).hasSize(2);
    }

    // ---------------------------------------------------------------- failures and quoting

    @Test
    void constraintFailuresAreClassifiedPerRow() throws Exception {
        insert(CUSTOMER, 1L, "Ann", null);
        assertThat(classified(() -> insert(CUSTOMER, 1L, "Dup", null))).isEqualTo(SqlFailure.row(ErrorCode.ROW_DUPLICATE_KEY));
        assertThat(classified(() -> insert(ORDERS, 1L, 999L, null))).isEqualTo(SqlFailure.row(ErrorCode.ROW_FOREIGN_KEY_VIOLATION));
        assertThat(classified(() -> insert(ORDERS, 1L, null, null))).isEqualTo(SqlFailure.row(ErrorCode.ROW_NOT_NULL_VIOLATION));
        assertThat(classified(() -> execute("UPDATE ferry_state SET applying = 7 WHERE id = 1")))
                .isEqualTo(SqlFailure.row(ErrorCode.ROW_CONSTRAINT_VIOLATION));
    }

    @Test
    void quoteDoublesQuotesAndRejectsEmptyAndNul() {
        assertThat(dialect.quote("Mixed")).isEqualTo("\"Mixed\"");
        assertThat(dialect.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThatThrownBy(() -> dialect.quote("")).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
        assertThatThrownBy(() -> dialect.quote("a\0b")).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
        assertThatThrownBy(() -> dialect.quote(null)).isInstanceOf(FerryException.class);
    }

    // ---------------------------------------------------------------- helpers

    protected interface SqlAction {
        void run() throws Exception;
    }

    /** Runs {@code action} the way a download applies rows: applying = 1 inside one transaction. */
    protected void synced(SqlAction action) throws Exception {
        conn.setAutoCommit(false);
        try {
            execute("UPDATE ferry_state SET applying = 1 WHERE id = 1");
            action.run();
            execute("UPDATE ferry_state SET applying = 0 WHERE id = 1");
            conn.commit();
        } catch (Exception e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(true);
        }
    }

    protected SqlFailure classified(SqlAction action) {
        try {
            action.run();
        } catch (SQLException e) {
            return dialect.classify(e);
        } catch (Exception e) {
            throw new AssertionError("expected an SQLException", e);
        }
        return fail("expected the statement to fail");
    }

    protected void markSent() throws SQLException {
        execute("UPDATE ferry_pending SET sent_seq = change_seq, sent_state = state");
    }

    protected void markError(TableDef t, Object... key) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE ferry_pending SET state = 'error', error_code = 'ROW_REJECTED',"
                + " error_message = 'rejected by test' WHERE tbl = ? AND pk = " + dialect.keyTextSql(t))) {
            ps.setString(1, t.name());
            dialect.bindKey(ps, 2, t, key);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    protected void execute(String sql) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        }
    }

    protected long queryLong(String sql) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    protected void insert(TableDef t, Object... row) throws SQLException {
        List<String> names = new ArrayList<>();
        List<String> marks = new ArrayList<>();
        for (ColumnDef c : t.columns()) {
            names.add(dialect.quote(c.name()));
            marks.add(dialect.placeholder(c));
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + dialect.quote(t.name()) + " (" + String.join(", ", names)
                + ") VALUES (" + String.join(", ", marks) + ")")) {
            for (int i = 0; i < row.length; i++) {
                dialect.bind(ps, i + 1, t.columns().get(i), row[i]);
            }
            ps.executeUpdate();
        }
    }

    protected void upsert(TableDef t, Object... row) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(dialect.upsertSql(t))) {
            for (int i = 0; i < row.length; i++) {
                dialect.bind(ps, i + 1, t.columns().get(i), row[i]);
            }
            ps.executeUpdate();
        }
    }

    protected void update(TableDef t, Object[] key, String column, Object value) throws SQLException {
        ColumnDef c = t.column(column);
        try (PreparedStatement ps = conn.prepareStatement("UPDATE " + dialect.quote(t.name()) + " SET " + dialect.quote(column)
                + " = " + dialect.placeholder(c) + keyWhere(t))) {
            dialect.bind(ps, 1, c, value);
            bindKeyColumns(ps, 2, t, key);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    protected void updateKey(TableDef t, Object[] oldKey, Object[] newKey) throws SQLException {
        List<String> sets = new ArrayList<>();
        for (ColumnDef c : t.keyColumns()) {
            sets.add(dialect.quote(c.name()) + " = " + dialect.placeholder(c));
        }
        try (PreparedStatement ps = conn.prepareStatement("UPDATE " + dialect.quote(t.name()) + " SET " + String.join(", ", sets) + keyWhere(t))) {
            int next = bindKeyColumns(ps, 1, t, newKey);
            bindKeyColumns(ps, next, t, oldKey);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    protected void delete(TableDef t, Object... key) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("DELETE FROM " + dialect.quote(t.name()) + keyWhere(t))) {
            bindKeyColumns(ps, 1, t, key);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    protected Object[] readRow(TableDef t, Object... key) throws SQLException {
        List<String> names = t.columns().stream().map(c -> dialect.quote(c.name())).toList();
        try (PreparedStatement ps = conn.prepareStatement("SELECT " + String.join(", ", names) + " FROM " + dialect.quote(t.name()) + keyWhere(t))) {
            bindKeyColumns(ps, 1, t, key);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("row %s", Arrays.toString(key)).isTrue();
                Object[] row = new Object[t.columns().size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = dialect.read(rs, i + 1, t.columns().get(i));
                }
                return row;
            }
        }
    }

    protected static void assertRowEquals(TableDef t, Object[] expected, Object[] actual) {
        for (int i = 0; i < expected.length; i++) {
            ColumnDef c = t.columns().get(i);
            Object e = Values.canonical(c.type(), expected[i]);
            Object a = actual[i];
            String what = t.name() + "." + c.name() + " of row " + expected[0];
            if (e == null) {
                assertThat(a).as(what).isNull();
                continue;
            }
            assertThat(a).as(what).isNotNull();
            assertThat(a.getClass()).as(what + " is canonical").isEqualTo(e.getClass());
            switch (c.type()) {
                case DECIMAL -> assertThat(((BigDecimal) a).toPlainString()).as(what).isEqualTo(((BigDecimal) e).toPlainString());
                case BINARY -> assertThat((byte[]) a).as(what).isEqualTo((byte[]) e);
                case TIMESTAMPTZ -> {
                    assertThat(((OffsetDateTime) a).getOffset()).as(what).isEqualTo(ZoneOffset.UTC);
                    assertThat(a).as(what).isEqualTo(e);
                }
                case REAL -> assertThat(Float.floatToIntBits((Float) a)).as(what).isEqualTo(Float.floatToIntBits((Float) e));
                case DOUBLE -> assertThat(Double.doubleToLongBits((Double) a)).as(what).isEqualTo(Double.doubleToLongBits((Double) e));
                default -> assertThat(a).as(what).isEqualTo(e);
            }
            assertThat(Values.format(c.type(), a)).as(what + " text").isEqualTo(Values.format(c.type(), e));
        }
    }

    private String keyWhere(TableDef t) {
        List<String> parts = new ArrayList<>();
        for (ColumnDef c : t.keyColumns()) {
            parts.add(dialect.quote(c.name()) + " = " + dialect.placeholder(c));
        }
        return " WHERE " + String.join(" AND ", parts);
    }

    private int bindKeyColumns(PreparedStatement ps, int index, TableDef t, Object[] key) throws SQLException {
        List<ColumnDef> keys = t.keyColumns();
        for (int i = 0; i < keys.size(); i++) {
            dialect.bind(ps, index + i, keys.get(i), key[i]);
        }
        return index + keys.size();
    }

    /** The pending row for a key, found the way the client finds it: {@code pk = keyTextSql} with {@code bindKey}. */
    protected Pending pending(TableDef t, Object... key) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT " + Pending.COLUMNS + " FROM ferry_pending WHERE tbl = ? AND pk = "
                + dialect.keyTextSql(t))) {
            ps.setString(1, t.name());
            assertThat(dialect.bindKey(ps, 2, t, key)).isEqualTo(2 + (dialect.keyTextSql(t).equals("?") ? 1 : t.primaryKey().size()));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Pending p = Pending.of(rs);
                assertThat(rs.next()).isFalse();
                return p;
            }
        }
    }

    protected List<Pending> allPending() throws SQLException {
        List<Pending> out = new ArrayList<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT " + Pending.COLUMNS + " FROM ferry_pending ORDER BY change_seq")) {
            while (rs.next()) {
                out.add(Pending.of(rs));
            }
        }
        return out;
    }

    protected List<RowState> rowStates() throws SQLException {
        List<RowState> out = new ArrayList<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT table_name, pk, state, error_code, error_message FROM ferry_row_state")) {
            while (rs.next()) {
                out.add(new RowState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
            }
        }
        return out;
    }

    /** One {@code ferry_pending} row. */
    protected record Pending(String tbl, String pk, String state, String oldImage, long changeSeq, Long sentSeq, String sentState,
                             String sentImage, String errorCode, String errorMessage) {
        static final String COLUMNS = "tbl, pk, state, old_image, change_seq, sent_seq, sent_state, sent_image, error_code, error_message";

        static Pending of(ResultSet rs) throws SQLException {
            long sent = rs.getLong(6);
            Long sentSeq = rs.wasNull() ? null : sent;
            return new Pending(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), sentSeq,
                    rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10));
        }
    }

    /** One {@code ferry_row_state} row. */
    protected record RowState(String table, String pk, String state, String errorCode, String errorMessage) {
    }
}
