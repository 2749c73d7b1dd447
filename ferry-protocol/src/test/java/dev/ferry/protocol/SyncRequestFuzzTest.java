package dev.ferry.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the request decoder (issue 11): whatever the bytes, {@link SyncRequestReader} either returns a
 * request or throws a {@link FerryException} whose code is a client error (4xx); never another exception,
 * never an out-of-memory or a hang. Plain {@code mvn test} replays the seed corpus in
 * {@code src/test/resources/dev/ferry/protocol/SyncRequestFuzzTestInputs}; the fuzz-sync-request execution
 * fuzzes for {@code maxDuration}; docs/TESTING.md has the long run.
 */
class SyncRequestFuzzTest {
    private static final TableDef ITEM = new TableDef("item", List.of(
            ColumnDef.of("id", FerryType.BIGINT, false), ColumnDef.of("name", FerryType.TEXT, true),
            new ColumnDef("price", FerryType.DECIMAL, true, null, 12, 2), ColumnDef.of("active", FerryType.BOOLEAN, true),
            ColumnDef.of("born", FerryType.DATE, true), ColumnDef.of("seen", FerryType.TIMESTAMPTZ, true),
            ColumnDef.of("ref", FerryType.UUID, true), ColumnDef.of("blob", FerryType.BINARY, true),
            ColumnDef.of("ratio", FerryType.DOUBLE, true), ColumnDef.of("small", FerryType.REAL, true),
            ColumnDef.of("at", FerryType.TIMESTAMP, true), ColumnDef.of("t", FerryType.TIME, true),
            ColumnDef.of("doc", FerryType.JSON, true)), List.of("id"), List.of());
    private static final Map<String, TableDef> TABLES = Map.of("item", ITEM);

    @FuzzTest(maxDuration = "20s")
    void decodesOrRefusesWithAClientError(byte[] data) {
        try (SyncRequestReader r = new SyncRequestReader(new ByteArrayInputStream(data), 4096)) {
            SyncRequestHeader h = r.readHeader();
            assertThat(RemoteIds.valid(h.remoteId())).isTrue();
            assertThat(h.progress()).isNotNegative();
            long[] rows = {0};
            long read = r.readUpload(name -> {
                TableDef t = TABLES.get(name);
                if (t == null) {
                    throw new FerryException(ErrorCode.TABLE_NOT_FOUND, "no table " + name);
                }
                return t;
            }, (table, row) -> {
                assertThat(row.image()).hasSize(table.columns().size());
                rows[0]++;
            });
            assertThat(read).isEqualTo(rows[0]);
        } catch (FerryException e) {
            assertThat(e.code().httpStatus()).as(e.code() + ": " + e.getMessage()).isBetween(400, 499);
        }
    }
}
