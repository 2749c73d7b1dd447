package dev.ferry.protocol.downloadfile;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;
import dev.ferry.protocol.UploadOutcome;
import dev.ferry.protocol.SyncResponseHandler;
import dev.ferry.protocol.SyncResponseReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzzes the download-file reader (issue 11): whatever a file holds, {@link DownloadFile#open},
 * {@link DownloadFile#verify} and reading its body either succeed or throw a {@link FerryException};
 * never another exception, never an out-of-memory or a hang. The seed corpus (a valid file among them)
 * lives in {@code src/test/resources/dev/ferry/protocol/downloadfile/DownloadFileFuzzTestInputs}.
 */
class DownloadFileFuzzTest {
    private static final TableDef ITEM = new TableDef("item", List.of(ColumnDef.of("id", FerryType.BIGINT, false),
            ColumnDef.of("name", FerryType.TEXT, true)), List.of("id"), List.of());
    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("ferry-fuzz-", ".fdl");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "20s")
    void opensVerifiesAndReadsOrRefuses(byte[] data) throws IOException {
        Files.write(FILE, data);
        try {
            DownloadFile f = DownloadFile.open(FILE);
            f.header();
            f.verify(null);
            try (InputStream in = f.openBody()) {
                new SyncResponseReader(in).read(ignoringHandler());
            }
        } catch (FerryException e) {
            // refused, in Ferry's terms: what the contract allows
        }
    }

    private static SyncResponseHandler ignoringHandler() {
        return new SyncResponseHandler() {
            @Override
            public void start(String consolidatedId, String status) {
            }

            @Override
            public void upload(UploadOutcome outcome) {
            }

            @Override
            public TableDef table(String name) {
                if (!ITEM.name().equals(name)) {
                    throw new FerryException(ErrorCode.TABLE_NOT_FOUND, "no table " + name);
                }
                return ITEM;
            }

            @Override
            public void beginTable(TableDef table) {
            }

            @Override
            public void upsert(TableDef table, Object[] values) {
            }

            @Override
            public void downloadComplete(long lastDownload, String downloadTime, long rows) {
            }

            @Override
            public void delete(TableDef table, Object[] key) {
            }
        };
    }
}
