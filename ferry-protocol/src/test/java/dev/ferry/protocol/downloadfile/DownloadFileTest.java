package dev.ferry.protocol.downloadfile;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;
import dev.ferry.protocol.SyncResponseHandler;
import dev.ferry.protocol.SyncResponseReader;
import dev.ferry.protocol.SyncResponseWriter;
import dev.ferry.protocol.UploadOutcome;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The download-file container: what goes in comes out, and no damage or forgery gets through. */
class DownloadFileTest {
    private static final TableDef ITEM = new TableDef("item", List.of(ColumnDef.of("id", FerryType.BIGINT, false),
            ColumnDef.of("name", FerryType.TEXT, true)), List.of("id"), List.of());
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123456Z");

    private static DownloadFileHeader header(long rows) {
        return new DownloadFileHeader("db-1", List.of("shop-a", "shop-b"), false, 7, T0, 12, T0.plusSeconds(5), T0.plusSeconds(4),
                List.of("item"), rows);
    }

    private static Path write(Path file, int rows, KeyPair signer) {
        try (DownloadFileWriter w = DownloadFileWriter.create(file)) {
            SyncResponseWriter body = new SyncResponseWriter(w.body());
            body.start("db-1", "download-file");
            body.beginTable(ITEM);
            for (int i = 0; i < rows; i++) {
                body.upsert(new Object[] {(long) i, "row " + i});
            }
            body.beginTable(ITEM);
            body.delete(new Object[] {999L});
            body.endDownload(12, T0.plusSeconds(5).toString());
            body.end();
            body.close();
            w.finish(header(rows + 1L), signer == null ? null : signer.getPrivate());
        }
        return file;
    }

    @Test
    void theHeaderAndEveryRowComeBackAndNothingElseIsLeftBehind(@TempDir Path dir) throws Exception {
        Path file = write(dir.resolve("f.fdl"), 3000, null);
        DownloadFile f = DownloadFile.open(file);
        f.verify(null);
        assertThat(f.header()).isEqualTo(header(3001));
        assertThat(f.header().isFor("shop-b")).isTrue();
        assertThat(f.header().isFor("shop-c")).isFalse();
        assertThat(f.signed()).isFalse();
        List<String> seen = new ArrayList<>();
        try (InputStream in = f.openBody()) {
            new SyncResponseReader(in).read(new Collector(seen));
        }
        assertThat(seen).hasSize(3002).startsWith("U 0 row 0").contains("D 999").endsWith("end 12 3001");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("f.fdl");
        }
    }

    @Property(tries = 60)
    void anyFlippedByteOrTruncationIsRefusedAsDamaged(@ForAll @IntRange(min = 0, max = 100_000) int where,
                                                       @ForAll @IntRange(min = 1, max = 255) int flip, @ForAll boolean truncate) throws Exception {
        Path dir = Files.createTempDirectory("ferry-df-");
        try {
            byte[] good = Files.readAllBytes(write(dir.resolve("good.fdl"), 50, null));
            int at = where % good.length;
            byte[] bad = truncate ? Arrays.copyOf(good, at) : good.clone();
            if (!truncate) {
                bad[at] ^= (byte) flip;
            }
            Path damaged = Files.write(dir.resolve("bad.fdl"), bad);
            assertThatThrownBy(() -> DownloadFile.open(damaged).verify(null)).as("byte %d of %d, %s", at, good.length, truncate ? "cut" : "flipped")
                    .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DOWNLOAD_FILE_DAMAGED));
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void onlyTheTrustedKeysSignatureIsAccepted(@TempDir Path dir) {
        KeyPair server = SigningKeys.generate();
        KeyPair other = SigningKeys.generate();
        DownloadFile signed = DownloadFile.open(write(dir.resolve("signed.fdl"), 5, server));
        DownloadFile forged = DownloadFile.open(write(dir.resolve("forged.fdl"), 5, other));
        DownloadFile unsigned = DownloadFile.open(write(dir.resolve("unsigned.fdl"), 5, null));
        signed.verify(server.getPublic());
        signed.verify(null);
        for (DownloadFile f : List.of(forged, unsigned)) {
            assertThatThrownBy(() -> f.verify(server.getPublic())).isInstanceOfSatisfying(FerryException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.DOWNLOAD_FILE_UNTRUSTED));
        }
        assertThat(signed.signedBy(other.getPublic())).isFalse();
    }

    @Test
    void keysRoundTripThroughPemFilesAndAreNeverOverwritten(@TempDir Path dir) throws Exception {
        KeyPair pair = SigningKeys.generate();
        Path key = dir.resolve("k.key");
        Path pub = dir.resolve("k.pub");
        SigningKeys.write(pair, key, pub);
        assertThat(SigningKeys.readPrivate(key).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(SigningKeys.readPublic(pub).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(SigningKeys.fingerprint(pair.getPublic())).hasSize(16);
        assertThatThrownBy(() -> SigningKeys.write(SigningKeys.generate(), key, dir.resolve("new.pub"))).hasMessageContaining("already exists");
        assertThatThrownBy(() -> SigningKeys.readPrivate(pub)).hasMessageContaining("is not an Ed25519 private key");
        Files.writeString(dir.resolve("junk.pub"), "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> SigningKeys.readPublic(dir.resolve("junk.pub"))).hasMessageContaining("is not an Ed25519 public key");
    }

    @Test
    void aFailedCreationLeavesNoFileBehind(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("never.fdl");
        try (DownloadFileWriter w = DownloadFileWriter.create(file)) {
            w.body().write(new byte[1000]);
            // no finish(): the creator failed midway
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    /** Records what the body delivers, one line per event. */
    private record Collector(List<String> seen) implements SyncResponseHandler {
        @Override
        public void start(String consolidatedId, String status) {
            assertThat(status).isEqualTo("download-file");
        }

        @Override
        public void upload(UploadOutcome outcome) {
            throw new AssertionError("a download file carries no upload");
        }

        @Override
        public TableDef table(String name) {
            return ITEM;
        }

        @Override
        public void beginTable(TableDef table) {
        }

        @Override
        public void upsert(TableDef table, Object[] values) {
            seen.add("U " + values[0] + " " + values[1]);
        }

        @Override
        public void delete(TableDef table, Object[] key) {
            seen.add("D " + key[0]);
        }

        @Override
        public void downloadComplete(long lastDownload, String downloadTime, long rows) {
            seen.add("end " + lastDownload + " " + rows);
        }
    }
}
