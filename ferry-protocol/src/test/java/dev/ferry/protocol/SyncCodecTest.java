package dev.ferry.protocol;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyncCodecTest {
    static final TableDef ITEM = new TableDef("item", List.of(
            ColumnDef.of("id", FerryType.BIGINT, false), ColumnDef.of("name", FerryType.TEXT, true),
            new ColumnDef("price", FerryType.DECIMAL, true, null, 12, 2), ColumnDef.of("active", FerryType.BOOLEAN, true),
            ColumnDef.of("born", FerryType.DATE, true), ColumnDef.of("seen", FerryType.TIMESTAMPTZ, true),
            ColumnDef.of("ref", FerryType.UUID, true), ColumnDef.of("blob", FerryType.BINARY, true),
            ColumnDef.of("ratio", FerryType.DOUBLE, true), ColumnDef.of("at", FerryType.TIMESTAMP, true)), List.of("id"), List.of());

    private static byte[] request(List<UploadRow> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SyncRequestWriter w = new SyncRequestWriter(out)) {
            w.header(SyncRequestHeader.sync("r1", "db-1", 4, "u-5", 17, SyncMode.FULL, List.of("item")));
            if (!rows.isEmpty()) {
                w.beginTable(ITEM);
                rows.forEach(w::row);
            }
            w.finish();
        }
        return out.toByteArray();
    }

    @Property(tries = 200)
    void uploadRowsRoundTripExactly(@ForAll("rows") List<UploadRow> rows) {
        List<UploadRow> back = new ArrayList<>();
        SyncRequestReader r = new SyncRequestReader(new ByteArrayInputStream(request(rows)));
        SyncRequestHeader h = r.readHeader();
        assertThat(h.uploadId()).isEqualTo("u-5");
        assertThat(h.isProbe()).isFalse();
        assertThat(h.lastDownload()).isEqualTo(17);
        r.readUpload(name -> ITEM, (t, row) -> back.add(row));
        assertThat(back).hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(back.get(i).op()).isEqualTo(rows.get(i).op());
            assertSameValues(rows.get(i).newValues(), back.get(i).newValues());
            assertSameValues(rows.get(i).oldValues(), back.get(i).oldValues());
        }
    }

    private static void assertSameValues(Object[] a, Object[] b) {
        if (a == null) {
            assertThat(b).isNull();
            return;
        }
        for (int i = 0; i < a.length; i++) {
            FerryType t = ITEM.columns().get(i).type();
            assertThat(Values.equal(t, a[i], b[i])).as("%s: %s vs %s", ITEM.columns().get(i).name(), a[i], b[i]).isTrue();
        }
    }

    @Provide
    Arbitrary<List<UploadRow>> rows() {
        Arbitrary<Object[]> image = Combinators.combine(List.of(
                Arbitraries.longs().map(v -> (Object) v),
                Arbitraries.strings().ofMaxLength(20).injectNull(0.1).map(v -> (Object) v),
                Arbitraries.bigDecimals().between(new BigDecimal("-9999999999.99"), new BigDecimal("9999999999.99")).ofScale(2).injectNull(0.1).map(v -> (Object) v),
                Arbitraries.of(true, false).injectNull(0.1).map(v -> (Object) v),
                Arbitraries.integers().between(0, 100_000).map(d -> (Object) LocalDate.of(1900, 1, 1).plusDays(d)),
                Arbitraries.longs().between(0, 4_000_000_000L).map(s -> (Object) OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(s, 123_000), ZoneOffset.UTC)),
                Arbitraries.create(UUID::randomUUID).map(v -> (Object) v),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(16).injectNull(0.1).map(v -> (Object) v),
                Arbitraries.doubles().injectNull(0.1).map(v -> (Object) v),
                Arbitraries.integers().between(0, 1_000_000).map(s -> (Object) LocalDateTime.of(2000, 1, 1, 0, 0).plusSeconds(s).plusNanos(999_000))))
                .as(values -> values.toArray());
        Arbitrary<UploadRow> row = Combinators.combine(Arbitraries.of(ChangeOp.values()), image, image).as((op, n, o) -> switch (op) {
            case INSERT -> new UploadRow(op, n, null);
            case UPDATE -> new UploadRow(op, n, o);
            case DELETE -> new UploadRow(op, null, o);
        });
        return row.list().ofMaxSize(30);
    }

    @Test
    void aResetRemoteSaysItHoldsRowsAndOthersSayNothing() {
        for (boolean holds : new boolean[] {true, false}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (SyncRequestWriter w = new SyncRequestWriter(out)) {
                w.header(new SyncRequestHeader("r1", null, 0, null, null, 0, holds, SyncMode.FULL, List.of("item"), null));
                w.finish();
            }
            assertThat(out.toString(StandardCharsets.UTF_8).contains("holdsRows")).isEqualTo(holds);
            assertThat(new SyncRequestReader(new ByteArrayInputStream(out.toByteArray())).readHeader().holdsRows()).isEqualTo(holds);
        }
    }

    @Test
    void aProbeNamesItsUploadByNumberAndIdAndCarriesNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SyncRequestWriter w = new SyncRequestWriter(out)) {
            w.header(new SyncRequestHeader("r1", "db-1", 4, null, new UploadRef(5, "u-5"), 17, false, SyncMode.UPLOAD_ONLY, List.of("item"), null));
            w.finish();
        }
        SyncRequestHeader h = new SyncRequestReader(new ByteArrayInputStream(out.toByteArray())).readHeader();
        assertThat(h.isProbe()).isTrue();
        assertThat(h.probe()).isEqualTo(new UploadRef(5, "u-5"));
        assertThat(h.uploadId()).isNull();
    }

    @Test
    void aProbeThatAlsoNamesAnUploadIsRefused() {
        String json = "{\"protocol\":1,\"remoteId\":\"r\",\"progress\":1,\"uploadId\":\"a\",\"probe\":{\"number\":2,\"uploadId\":\"b\"},"
                + "\"lastDownload\":0,\"mode\":\"full\",\"tables\":[\"t\"],\"upload\":[]}";
        assertThatThrownBy(() -> new SyncRequestReader(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))).readHeader())
                .isInstanceOf(FerryException.class).hasMessageContaining("probe");
    }

    @Test
    void refetchKeysFollowTheUploadAndRoundTrip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SyncRequestWriter w = new SyncRequestWriter(out)) {
            w.header(SyncRequestHeader.sync("r1", "db-1", 4, null, 17, SyncMode.DOWNLOAD_ONLY, List.of("item")));
            w.finish(Map.of(ITEM, List.of(new Object[] {7L}, new Object[] {9L})));
        }
        SyncRequestReader r = new SyncRequestReader(new ByteArrayInputStream(out.toByteArray()));
        r.readHeader();
        r.readUpload(n -> ITEM, (t, row) -> { });
        assertThat(r.refetch()).containsOnlyKeys(ITEM);
        assertThat(r.refetch().get(ITEM)).extracting(k -> k[0]).containsExactly(7L, 9L);
    }

    @Test
    void theIncarnationTravelsWithTheHeaderAndAMalformedOneIsAProtocolError() {
        String token = IncarnationToken.fresh();
        for (String incarnation : new String[] {token, null}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (SyncRequestWriter w = new SyncRequestWriter(out)) {
                w.header(new SyncRequestHeader("r1", null, 3, null, null, 0, false, SyncMode.FULL, List.of("item"), incarnation));
                w.finish();
            }
            assertThat(new SyncRequestReader(new ByteArrayInputStream(out.toByteArray())).readHeader().incarnation()).isEqualTo(incarnation);
        }
        String json = "{\"protocol\":1,\"remoteId\":\"r\",\"incarnation\":\"'; DROP TABLE x\",\"progress\":1,\"lastDownload\":0,"
                + "\"mode\":\"full\",\"tables\":[\"t\"],\"upload\":[]}";
        assertThatThrownBy(() -> new SyncRequestReader(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))).readHeader())
                .isInstanceOf(FerryException.class).extracting(e -> ((FerryException) e).code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
        assertThatThrownBy(() -> IncarnationToken.checked(token.toUpperCase())).isInstanceOf(FerryException.class);
    }

    @Test
    void whatARemoteHoldsOfItsKeyRangesTravelsWithTheHeaderAndItsAbsenceStaysNull() {
        for (Map<String, HeldKeys> held : List.of(Map.of("item", new HeldKeys(412), "orders", new HeldKeys(0)), Map.<String, HeldKeys>of())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (SyncRequestWriter w = new SyncRequestWriter(out)) {
                w.header(new SyncRequestHeader("r1", null, 3, null, null, 0, false, SyncMode.FULL, List.of("item"), null, held, "3f2a"));
                w.finish();
            }
            assertThat(new SyncRequestReader(new ByteArrayInputStream(out.toByteArray())).readHeader().keyRanges()).isEqualTo(held);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SyncRequestWriter w = new SyncRequestWriter(out)) {
            w.header(SyncRequestHeader.sync("r1", null, 3, null, 0, SyncMode.FULL, List.of("item")));
            w.finish();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("keyRanges");
        assertThat(new SyncRequestReader(new ByteArrayInputStream(out.toByteArray())).readHeader().keyRanges()).isNull();
        String negative = "{\"protocol\":1,\"remoteId\":\"r\",\"progress\":1,\"lastDownload\":0,\"mode\":\"full\",\"tables\":[\"t\"],"
                + "\"keyRanges\":{\"t\":{\"keysLeft\":-5}},\"upload\":[]}";
        assertThatThrownBy(() -> new SyncRequestReader(new ByteArrayInputStream(negative.getBytes(StandardCharsets.UTF_8))).readHeader())
                .isInstanceOf(FerryException.class).hasMessageContaining("keysLeft");
    }

    @Test
    void keyRangesReachTheHandlerBeforeTheDownload() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyncResponseWriter w = new SyncResponseWriter(out);
        w.start("db-1", "ok");
        w.keyRanges(List.of(new KeyRange("item", 1001, 2000), new KeyRange("item", 5001, 6000)));
        w.beginTable(ITEM);
        w.upsert(row(1));
        w.endDownload(42, "2026-01-01T00:00:01Z");
        w.end();
        w.close();
        Recorder r = new Recorder();
        new SyncResponseReader(new ByteArrayInputStream(out.toByteArray())).read(r);
        assertThat(r.events).containsExactly("start db-1 ok", "ranges item 1001-2000, item 5001-6000", "table item", "upsert 1 19.99", "complete 42 1");
    }

    @Test
    void aRegistrationRequestRoundTripsAndNeedsAWellFormedIncarnation() {
        RegistrationRequest req = new RegistrationRequest("shop-a", IncarnationToken.fresh(), true);
        assertThat(RegistrationRequest.read(new ByteArrayInputStream(req.toJson()))).isEqualTo(req);
        String bad = "{\"protocol\":1,\"remoteId\":\"shop-a\",\"incarnation\":\"not-a-uuid\",\"replace\":false}";
        assertThatThrownBy(() -> RegistrationRequest.read(new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(FerryException.class).hasMessageContaining("not-a-uuid");
        String noId = "{\"protocol\":1,\"incarnation\":\"" + IncarnationToken.fresh() + "\"}";
        assertThatThrownBy(() -> RegistrationRequest.read(new ByteArrayInputStream(noId.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(FerryException.class).hasMessageContaining("remoteId");
        Registration r = new Registration("shop-a", "alice", true, "id.secret");
        assertThat(Registration.read(new ByteArrayInputStream(r.toJson()))).isEqualTo(r);
    }

    @Test
    void columnsDeclaredInAnotherOrderAreMappedByName() {
        String json = "{\"protocol\":1,\"remoteId\":\"r\",\"progress\":1,\"lastDownload\":0,\"mode\":\"full\",\"tables\":[\"t\"],"
                + "\"upload\":[{\"table\":\"t\",\"columns\":[\"b\",\"a\"],\"rows\":[[\"I\",[\"x\",7]]]}]}";
        TableDef t = new TableDef("t", List.of(ColumnDef.of("a", FerryType.BIGINT, false), ColumnDef.of("b", FerryType.TEXT, true)),
                List.of("a"), List.of());
        SyncRequestReader r = new SyncRequestReader(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        r.readHeader();
        List<UploadRow> rows = new ArrayList<>();
        r.readUpload(n -> t, (tt, row) -> rows.add(row));
        assertThat(rows.get(0).newValues()).containsExactly(7L, "x");
    }

    @Test
    void anUploadWithoutSomeColumnsLeavesThemAbsentSkipsColumnsTheServerDroppedAndNeedsTheKey() throws Exception {
        TableDef t = new TableDef("t", List.of(ColumnDef.of("a", FerryType.BIGINT, false), ColumnDef.of("b", FerryType.TEXT, true),
                ColumnDef.of("c", FerryType.TEXT, true)), List.of("a"), List.of());
        String json = "{\"protocol\":1,\"remoteId\":\"r\",\"progress\":1,\"lastDownload\":0,\"mode\":\"full\",\"tables\":[\"t\"],"
                + "\"upload\":[{\"table\":\"t\",\"columns\":[\"a\",\"gone\",\"b\"],\"rows\":[[\"U\",[7,\"x\",\"new\"],[7,\"y\",\"old\"]]]}]}";
        SyncRequestReader r = new SyncRequestReader(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        r.readHeader();
        List<UploadRow> rows = new ArrayList<>();
        r.readUpload(n -> t, (tt, row) -> rows.add(row), true);
        assertThat(rows.get(0).newValues()).containsExactly(7L, "new", Absent.VALUE);
        assertThat(rows.get(0).oldValues()).containsExactly(7L, "old", Absent.VALUE);
        assertThat(rows.get(0).lacksColumns()).isTrue();

        // Held on disk and read back as it came.
        java.io.StringWriter spooled = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(spooled)) {
            UploadRowCodec.write(g, t, rows.get(0));
        }
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(spooled.toString())) {
            UploadRow back = UploadRowCodec.read(p, t);
            assertThat(back.newValues()).containsExactly(7L, "new", Absent.VALUE);
            assertThat(back.oldValues()).containsExactly(7L, "old", Absent.VALUE);
        }

        String noKey = json.replace("[\"a\",\"gone\",\"b\"]", "[\"gone\",\"b\"]").replace("[7,\"x\",\"new\"],[7,\"y\",\"old\"]", "[\"x\",\"new\"],[\"y\",\"old\"]");
        SyncRequestReader r2 = new SyncRequestReader(new ByteArrayInputStream(noKey.getBytes(StandardCharsets.UTF_8)));
        r2.readHeader();
        assertThatThrownBy(() -> r2.readUpload(n -> t, (tt, row) -> { }, true)).isInstanceOf(FerryException.class).hasMessageContaining("key column a");
        // From a remote on the server's own schema, a column the table lacks is still refused.
        SyncRequestReader r3 = new SyncRequestReader(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        r3.readHeader();
        assertThatThrownBy(() -> r3.readUpload(n -> t, (tt, row) -> { })).isInstanceOf(FerryException.class).hasMessageContaining("gone")
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH));
    }

    @Test
    void aSchemasVersionSurvivesTheDocumentsRoundTripAndChangesWithAColumn() throws Exception {
        SchemaDocument doc = new SchemaDocument(Protocol.VERSION, "db-1", List.of(ITEM));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.write(out);
        SchemaDocument read = SchemaDocument.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(read.version()).isEqualTo(doc.version()).hasSize(16);
        List<ColumnDef> more = new ArrayList<>(ITEM.columns());
        more.add(ColumnDef.of("extra", FerryType.TEXT, true));
        assertThat(SchemaDocument.versionOf(List.of(new TableDef("item", more, ITEM.primaryKey(), ITEM.foreignKeys())))).isNotEqualTo(doc.version());
        assertThat(new SchemaDocument(Protocol.VERSION, "db-2", List.of(ITEM)).version()).as("the tables only").isEqualTo(doc.version());
    }

    @Test
    void aDownloadColumnTheRemoteLacksIsASchemaMismatchNamingIt() {
        String json = "{\"protocol\":1,\"consolidatedId\":\"db\",\"status\":\"ok\","
                + "\"download\":{\"tables\":[{\"table\":\"item\",\"columns\":[\"id\",\"zzz\"],\"rows\":[]}],\"lastDownload\":1,\"downloadTime\":\"x\"},\"end\":{\"downloadRows\":0}}";
        assertThatThrownBy(() -> new SyncResponseReader(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))).read(new Recorder()))
                .isInstanceOf(FerryException.class).hasMessageContaining("zzz")
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH));
    }


    @Test
    void aTruncatedUploadIsAProtocolErrorNotAPartialUpload() {
        byte[] full = request(List.of(new UploadRow(ChangeOp.INSERT, row(1), null), new UploadRow(ChangeOp.INSERT, row(2), null)));
        byte[] cut = Arrays.copyOf(full, full.length - 20);
        SyncRequestReader r = new SyncRequestReader(new ByteArrayInputStream(cut));
        r.readHeader();
        assertThatThrownBy(() -> r.readUpload(n -> ITEM, (t, row) -> { })).isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isIn(ErrorCode.PROTOCOL_ERROR, ErrorCode.TRANSPORT_FAILED));
    }

    private static Object[] row(long id) {
        return new Object[]{id, "n", new BigDecimal("19.99"), true, null, null, null, null, null, null};
    }

    private static byte[] response(boolean complete) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyncResponseWriter w = new SyncResponseWriter(out);
        w.start("db-1", "ok");
        w.upload(new UploadOutcome(5, false, 2, List.of(new RejectedRow("item", List.of(3L), ErrorCode.ROW_FOREIGN_KEY_VIOLATION, "no parent")),
                Map.of("item", 1L), 1, "2026-01-01T00:00:00Z"));
        w.beginTable(ITEM);
        w.upsert(row(1));
        w.delete(new Object[]{2L});
        w.endDownload(42, "2026-01-01T00:00:01Z");
        if (complete) {
            w.end();
        }
        w.close();
        return out.toByteArray();
    }

    static final class Recorder implements SyncResponseHandler {
        final List<String> events = new ArrayList<>();
        UploadOutcome outcome;

        @Override
        public void start(String consolidatedId, String status) {
            events.add("start " + consolidatedId + " " + status);
        }

        @Override
        public void upload(UploadOutcome o) {
            outcome = o;
        }

        @Override
        public void keyRanges(List<KeyRange> ranges) {
            events.add("ranges " + String.join(", ", ranges.stream().map(k -> k.table() + " " + k.first() + "-" + k.last()).toList()));
        }

        @Override
        public TableDef table(String name) {
            return ITEM;
        }

        @Override
        public void beginTable(TableDef table) {
            events.add("table " + table.name());
        }

        @Override
        public void upsert(TableDef table, Object[] values) {
            events.add("upsert " + values[0] + " " + values[2]);
        }

        @Override
        public void delete(TableDef table, Object[] key) {
            events.add("delete " + key[0]);
        }

        @Override
        public void downloadComplete(long lastDownload, String downloadTime, long rows) {
            events.add("complete " + lastDownload + " " + rows);
        }
    }

    @Test
    void aCompleteResponseDrivesTheHandlerInOrder() {
        Recorder r = new Recorder();
        new SyncResponseReader(new ByteArrayInputStream(response(true))).read(r);
        assertThat(r.events).containsExactly("start db-1 ok", "table item", "upsert 1 19.99", "delete 2", "complete 42 2");
        assertThat(r.outcome.rejected()).singleElement().satisfies(rr -> {
            assertThat(rr.code()).isEqualTo(ErrorCode.ROW_FOREIGN_KEY_VIOLATION);
            assertThat(rr.key()).containsExactly(3);
        });
        assertThat(r.outcome.conflicts()).containsEntry("item", 1L);
    }

    @Test
    void aResponseWithoutItsEndRecordNeverCompletesTheDownload() {
        Recorder r = new Recorder();
        assertThatThrownBy(() -> new SyncResponseReader(new ByteArrayInputStream(response(false))).read(r))
                .isInstanceOf(FerryException.class);
        assertThat(r.events).doesNotContain("complete 42 2");
    }

    @Test
    void aServerErrorMidStreamSurfacesWithItsCode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyncResponseWriter w = new SyncResponseWriter(out);
        w.start("db-1", "ok");
        w.beginTable(ITEM);
        w.upsert(row(1));
        w.error(new FerryException(ErrorCode.DATABASE_UNAVAILABLE, "database went away"));
        Recorder r = new Recorder();
        assertThatThrownBy(() -> new SyncResponseReader(new ByteArrayInputStream(out.toByteArray())).read(r))
                .isInstanceOf(FerryException.class);
        assertThat(r.events).noneMatch(e -> e.startsWith("complete"));
    }
}
