package dev.ferry.server.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.schema.TableDef;
import dev.ferry.protocol.SyncResponseWriter;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.Provisioner;
import dev.ferry.server.consolidated.TableSql;
import dev.ferry.server.consolidated.Tracking;
import dev.ferry.testkit.TestDatabase;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, defect 9: H2's REPEATABLE READ takes each table's snapshot when the transaction first reads
 * it (together with the tables linked to it by declared foreign keys), so a download could hold a child
 * row without its parent. The tables here are a parent ({@code invoice}) and a child
 * ({@code invoice_line}) related by the application only, without a declared foreign key, as in many
 * schemas; parents come first in the download because the names sort that way. Another application (a
 * plain JDBC connection with default settings) commits a new invoice and its line while the download is
 * streaming the invoices, that is after the invoice table was read and before the line table is: the
 * download is held there by a response stream that stops at its first write (the invoices fill the
 * generator's buffer). The download must then hold both new rows or neither.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a download that never reaches the stream would wait forever
class DownloadSnapshotIT {
    private static final int PARENTS = 3_000;
    private static final long NEW_ID = 1_000_000;

    @Test
    void aPostgresDownloadReadsEveryTableFromOneSnapshot() throws Exception {
        assertOneSnapshot("postgresql");
    }

    @Test
    void aMariaDbDownloadReadsEveryTableFromOneSnapshot() throws Exception {
        assertOneSnapshot("mariadb");
    }

    @Test
    void anH2DownloadReadsEveryTableFromOneSnapshot() throws Exception {
        assertOneSnapshot("h2");
    }

    private static void assertOneSnapshot(String kind) throws Exception {
        try (TestDatabase testDb = TestDatabases.create(kind)) {
            String parent;
            String child;
            try (ConsolidatedDatabase db = ConsolidatedDatabase.open(testDb.url(), null, null, 4)) {
                parent = db.dialect().quote("invoice");
                child = db.dialect().quote("invoice_line");
                String id = db.dialect().quote("id");
                try (Connection c = testDb.connect(); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE " + parent + " (" + id + " BIGINT NOT NULL PRIMARY KEY, " + db.dialect().quote("pad") + " VARCHAR(60))");
                    s.execute("CREATE TABLE " + child + " (" + id + " BIGINT NOT NULL PRIMARY KEY, " + db.dialect().quote("invoice_id")
                            + " BIGINT NOT NULL)");
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + parent + " VALUES (?, ?)")) {
                        for (int i = 1; i <= PARENTS; i++) {
                            ps.setLong(1, i);
                            ps.setString(2, "an invoice row long enough to fill the stream's buffer " + i);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    s.execute("INSERT INTO " + child + " VALUES (1, 1)");
                }
                Tracking tracking = new Provisioner(db).provision(List.of());
                Map<String, TableSql> sql = new LinkedHashMap<>();
                for (TableDef t : tracking.tables()) {
                    sql.put(t.name(), new TableSql(db.dialect(), tracking.tracked(t.name())));
                }
                new ChangeStamper(db).stamp(sql.values());
                DownloadWriter downloads = new DownloadWriter(db, tracking, sql);

                PausingStream stream = new PausingStream();
                SyncResponseWriter w = new SyncResponseWriter(stream);
                w.start(db.identity(), "ok");
                ExecutorService background = Executors.newSingleThreadExecutor();
                try {
                    // A first download (position 0): every row of every table, invoices first.
                    Future<Long> download = background.submit(() -> downloads.write(0, false, EchoFilter.NONE, Map.of(), w));
                    assertThat(stream.reached.await(60, TimeUnit.SECONDS)).as("the download started streaming the invoices").isTrue();
                    try (Connection app = testDb.connect()) {
                        app.setAutoCommit(false);
                        try (Statement s = app.createStatement()) {
                            s.execute("INSERT INTO " + parent + " VALUES (" + NEW_ID + ", 'new')");
                            s.execute("INSERT INTO " + child + " VALUES (" + NEW_ID + ", " + NEW_ID + ")");
                        }
                        app.commit();
                    }
                    stream.release.countDown();
                    long position = download.get(60, TimeUnit.SECONDS);
                    w.endDownload(position, "2000-01-01T00:00:00Z");
                    w.end();
                    w.close();
                } finally {
                    stream.release.countDown();
                    background.shutdownNow();
                }
                Map<String, List<Long>> ids = downloadedIds(stream.bytes());
                List<Long> parents = ids.get(tableName(tracking, "invoice"));
                List<Long> children = ids.get(tableName(tracking, "invoice_line"));
                assertThat(parents).as("invoices").hasSizeGreaterThanOrEqualTo(PARENTS);
                assertThat(children).as("invoice lines").contains(1L);
                assertThat(children.contains(NEW_ID)).as("the new line is in the download exactly when its new invoice is")
                        .isEqualTo(parents.contains(NEW_ID));
            }
        }
    }

    private static String tableName(Tracking tracking, String name) {
        return tracking.schema().table(name).name();
    }

    /** Table name to the first (key) value of each downloaded upsert. */
    private static Map<String, List<Long>> downloadedIds(byte[] response) throws IOException {
        JsonNode root = new ObjectMapper().readTree(response);
        assertThat(root.has("end")).as("a complete response: " + root.path("error")).isTrue();
        Map<String, List<Long>> ids = new LinkedHashMap<>();
        for (JsonNode table : root.path("download").path("tables")) {
            List<Long> keys = ids.computeIfAbsent(table.path("table").asText(), k -> new ArrayList<>());
            for (JsonNode row : table.path("rows")) {
                keys.add(row.get(1).asLong());
            }
        }
        return ids;
    }

    /** A response stream that stops the writer at its first write until the test lets it go on. */
    private static final class PausingStream extends OutputStream {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            reached.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("the test never let the download go on");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            out.write(b, off, len);
        }

        synchronized byte[] bytes() {
            return out.toByteArray();
        }
    }
}
