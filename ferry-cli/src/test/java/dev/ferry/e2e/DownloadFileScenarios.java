package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6: file-based downloads through the real CLI. Each check of seed 001 refuses with its own
 * code and leaves the remote exactly as it was (compared table by table, Ferry's state included);
 * damaged and wrongly signed files are refused the same way; after any of it a normal sync converges.
 * Consolidated changes are made with the database's own client ({@code psql}, {@code mariadb}), local
 * ones with {@code sqlite3} (or JDBC for H2 remotes).
 */
abstract class DownloadFileScenarios {
    private RunningFerry ferry;
    private ConsolidatedFixture cons;
    private RemoteFixture a;
    private Path dir;
    private final List<RemoteFixture> extra = new ArrayList<>();

    abstract String consolidatedKind();

    abstract String remoteKind();

    @BeforeEach
    void start() throws Exception {
        cons = new ConsolidatedFixture(TestDatabases.create(consolidatedKind()));
        cons.createSchema();
        cons.jdbc("INSERT INTO customer (id, name, balance) VALUES (1, 'Ada', 120.50), (2, 'Grace', 19.99)");
        ferry = RunningFerry.start(cons, null, Map.of());
        a = ferry.remote(remoteKind(), "shop-a");
        RunningFerry.sync(a);
        dir = Files.createTempDirectory("ferry-files-");
    }

    @AfterEach
    void stop() throws Exception {
        for (RemoteFixture r : extra) {
            r.close();
        }
        if (ferry != null) {
            ferry.close();
        }
        if (dir != null) {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aFileBringsAnOfflineRemoteUpToDateAndTheNextSyncSendsNothingAgain() throws Exception {
        cons.client("INSERT INTO customer (id, name, balance) VALUES (3, 'Linus', 7.25)");
        cons.client("UPDATE customer SET name = 'Ada L.' WHERE id = 1");
        cons.client("INSERT INTO orders (id, customer_id, note) VALUES (10, 3, 'by file')");
        cons.client("DELETE FROM customer WHERE id = 2");
        Path f = dir.resolve("shop-a-1.fdl");
        Cli.Result created = ok(create("--remote-id", "shop-a", "--out", f.toString()));
        assertThat(created.out()).contains("for remote shop-a").contains("4 rows").contains("changes after:       position ");

        Cli.Result applied = ok(apply(a, f));
        assertThat(applied.out()).contains("Applied " + f + " to remote shop-a");
        assertThat(customers(a)).isEqualTo(cons.query("SELECT id, name, balance FROM customer ORDER BY id"));
        assertThat(a.query("SELECT id, customer_id, note FROM orders")).containsExactly(List.of("10", "3", "by file"));
        assertThat(a.query("SELECT COUNT(*) FROM ferry_row_state WHERE state <> 'synced'")).as("applied rows are not local changes")
                .containsExactly(List.of("0"));
        Cli.Result info = ok(Cli.run("download-file", "info", "--file", f.toString()));
        String upTo = info.out().lines().filter(l -> l.contains("up to:")).findFirst().orElseThrow().replaceAll(".*position (\\d+).*", "$1");
        assertThat(a.query("SELECT last_download FROM ferry_state")).containsExactly(List.of(upTo));

        Cli.Result sync = RunningFerry.sync(a);
        assertThat(SyncScenarios.counts(sync, "customer")).as("the file's rows are not downloaded again").containsExactly(0L, 0L, 0L, 0L);
        assertThat(SyncScenarios.counts(sync, "orders")).containsExactly(0L, 0L, 0L, 0L);
    }

    @Test
    void aFileStartingAfterTheRemotesLastDownloadIsRefusedNamingTheMissingRange() throws Exception {
        RemoteFixture backup = keep(a.copy("shop-a-backup"));
        long before = lastDownload(a);
        cons.client("UPDATE customer SET name = 'Ada L.' WHERE id = 1");
        RunningFerry.sync(a);
        long after = lastDownload(a);
        cons.client("UPDATE customer SET name = 'Grace H.' WHERE id = 2");
        Path f = dir.resolve("f.fdl");
        ok(create("--remote-id", "shop-a", "--out", f.toString()));

        List<List<String>> snapshot = snapshot(backup);
        Cli.Result refused = apply(backup, f);
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(13);
        assertThat(refused.err()).containsPattern("(?m)^error: DOWNLOAD_FILE_MISSING_RANGE")
                .contains("the changes in (" + before + ", " + after + "] are missing");
        assertThat(snapshot(backup)).as("a refused file changes nothing").isEqualTo(snapshot);

        ok(apply(a, f));
        assertThat(customers(a)).isEqualTo(cons.query("SELECT id, name, balance FROM customer ORDER BY id"));
    }

    @Test
    void aFileAppliedOutOfOrderOrTwiceIsRefusedAsStale() throws Exception {
        cons.client("UPDATE customer SET name = 'first' WHERE id = 1");
        Path older = dir.resolve("older.fdl");
        ok(create("--remote-id", "shop-a", "--out", older.toString()));
        cons.client("UPDATE customer SET name = 'second' WHERE id = 1");
        Path newer = dir.resolve("newer.fdl");
        ok(create("--remote-id", "shop-a", "--out", newer.toString()));

        ok(apply(a, newer));
        List<List<String>> snapshot = snapshot(a);
        for (Path f : List.of(older, newer)) {
            Cli.Result refused = apply(a, f);
            assertThat(refused.exitCode()).as(refused.all()).isEqualTo(14);
            assertThat(refused.err()).containsPattern("(?m)^error: DOWNLOAD_FILE_STALE").contains("already has everything up to position");
            assertThat(snapshot(a)).isEqualTo(snapshot);
        }
        assertThat(customers(a).get(0)).as("the newer data was not overwritten by the older file").containsExactly("1", "second", "120.50");
    }

    @Test
    void aFileCreatedBeforeTheRemotesLastUploadIsRefusedAndANewerOneApplies() throws Exception {
        cons.client("UPDATE customer SET balance = 1.00 WHERE id = 2");
        Path old = dir.resolve("old.fdl");
        ok(create("--remote-id", "shop-a", "--out", old.toString()));
        a.app("UPDATE customer SET name = 'uploaded later' WHERE id = 1;");
        RunningFerry.sync(a, "--upload-only");

        List<List<String>> snapshot = snapshot(a);
        Cli.Result refused = apply(a, old);
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(14);
        assertThat(refused.err()).containsPattern("(?m)^error: DOWNLOAD_FILE_PREDATES_UPLOAD").contains("before remote shop-a's last upload committed");
        assertThat(snapshot(a)).isEqualTo(snapshot);

        Path fresh = dir.resolve("fresh.fdl");
        ok(create("--remote-id", "shop-a", "--out", fresh.toString()));
        ok(apply(a, fresh));
        assertThat(customers(a)).containsExactly(List.of("1", "uploaded later", "120.50"), List.of("2", "Grace", "1.00"));
    }

    @Test
    void aRemoteWhoseLastUploadWasNeverAcknowledgedRefusesFilesUntilItSyncsNormally() throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(ferry.server.port())) {
            RemoteFixture b = ferry.remote(remoteKind(), "shop-b", proxy.url());
            RunningFerry.sync(b);
            b.app("INSERT INTO customer VALUES (5, 'from b', '5.00');");
            proxy.cutResponseAfter(0);
            Cli.Result lost = Cli.run("remote", "sync", "--db", b.dbArg());
            assertThat(lost.exitCode()).as(lost.all()).isEqualTo(11);
            cons.client("UPDATE customer SET name = 'Ada L.' WHERE id = 1");
            Path f = dir.resolve("b.fdl");
            ok(create("--remote-id", "shop-b", "--out", f.toString()));

            List<List<String>> snapshot = snapshot(b);
            Cli.Result refused = apply(b, f);
            assertThat(refused.exitCode()).as(refused.all()).isEqualTo(15);
            assertThat(refused.err()).containsPattern("(?m)^error: DOWNLOAD_FILE_UPLOAD_UNCONFIRMED").contains("never received the server's answer");
            assertThat(snapshot(b)).isEqualTo(snapshot);

            RunningFerry.sync(b);
            assertThat(customers(b)).isEqualTo(cons.query("SELECT id, name, balance FROM customer ORDER BY id"));
            assertThat(cons.query("SELECT COUNT(*) FROM customer WHERE id = 5")).as("uploaded once").containsExactly(List.of("1"));
        }
    }

    @Test
    void aFileTouchingRowsWithLocalChangesIsRefusedNamingThemAndOtherLocalChangesDoNotBlock() throws Exception {
        a.app("UPDATE customer SET name = 'local' WHERE id = 1;");
        cons.client("UPDATE customer SET name = 'server' WHERE id = 1");
        cons.client("UPDATE customer SET balance = 2.00 WHERE id = 2");
        Path touching = dir.resolve("touching.fdl");
        ok(create("--remote-id", "shop-a", "--out", touching.toString()));

        List<List<String>> snapshot = snapshot(a);
        Cli.Result refused = apply(a, touching);
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(15);
        assertThat(refused.err()).containsPattern("(?m)^error: DOWNLOAD_FILE_PENDING_ROWS").contains("customer [1] (updated)").contains("1 row(s)");
        assertThat(snapshot(a)).as("the local change and every other row are as they were").isEqualTo(snapshot);

        // The ordinary way out: sync. The server's version wins the conflict (the default policy).
        RunningFerry.sync(a);
        assertThat(customers(a)).isEqualTo(cons.query("SELECT id, name, balance FROM customer ORDER BY id"));

        a.app("UPDATE customer SET name = 'pending elsewhere' WHERE id = 2;");
        cons.client("UPDATE customer SET balance = 3.00 WHERE id = 1");
        Path elsewhere = dir.resolve("elsewhere.fdl");
        ok(create("--remote-id", "shop-a", "--out", elsewhere.toString()));
        ok(apply(a, elsewhere));
        assertThat(a.query("SELECT pk, state FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("[2]", "updated"));
        RunningFerry.sync(a);
        assertThat(cons.query("SELECT name, balance FROM customer WHERE id = 2")).containsExactly(List.of("pending elsewhere", "2.00"));
        assertThat(customers(a)).isEqualTo(cons.query("SELECT id, name, balance FROM customer ORDER BY id"));
    }

    @Test
    void aTruncatedAlteredOrForeignFileIsRefusedAsDamaged() throws Exception {
        cons.client("INSERT INTO customer (id, name, balance) SELECT 100 + id, name, balance FROM customer");
        Path good = dir.resolve("good.fdl");
        ok(create("--remote-id", "shop-a", "--out", good.toString()));
        byte[] bytes = Files.readAllBytes(good);
        Path cutEnd = write("cut-end.fdl", java.util.Arrays.copyOf(bytes, bytes.length - 3));
        Path cutHalf = write("cut-half.fdl", java.util.Arrays.copyOf(bytes, bytes.length / 2));
        byte[] flipped = bytes.clone();
        flipped[20] ^= 0x40;
        Path altered = write("altered.fdl", flipped);
        byte[] header = bytes.clone();
        int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("\\\"lastDownload\\\":") + 17;
        while (Character.isDigit(header[at + 1])) {
            at++; // the last digit: the header stays valid JSON with another position in it
        }
        header[at] = (byte) (header[at] == '0' ? '1' : '0');
        Path alteredHeader = write("altered-header.fdl", header);
        Path notAFile = write("not-a-file.fdl", "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        List<List<String>> snapshot = snapshot(a);
        for (Path f : List.of(cutEnd, cutHalf, altered, alteredHeader, notAFile)) {
            Cli.Result refused = apply(a, f);
            assertThat(refused.exitCode()).as(f + ": " + refused.all()).isEqualTo(16);
            assertThat(refused.err()).as(f.toString()).containsPattern("(?m)^error: DOWNLOAD_FILE_DAMAGED");
            assertThat(snapshot(a)).isEqualTo(snapshot);
        }
        assertThat(apply(a, altered).err()).contains("checksum does not match");
        assertThat(apply(a, alteredHeader).err()).contains("checksum does not match");
        assertThat(apply(a, cutEnd).err()).contains("truncated");
        assertThat(Cli.run("download-file", "info", "--file", altered.toString()).exitCode()).isEqualTo(16);
        ok(apply(a, good));
    }

    @Test
    void aRemoteThatTrustsAKeyAcceptsOnlyFilesSignedWithIt() throws Exception {
        Path key = dir.resolve("server.key");
        Path pub = dir.resolve("server.pub");
        Path otherKey = dir.resolve("other.key");
        Path otherPub = dir.resolve("other.pub");
        ok(Cli.run("download-file", "keygen", "--private-key", key.toString(), "--public-key", pub.toString()));
        ok(Cli.run("download-file", "keygen", "--private-key", otherKey.toString(), "--public-key", otherPub.toString()));
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.getPosixFilePermissions(key)).extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        ok(Cli.run("download-file", "trust", "--db", a.dbArg(), "--public-key", pub.toString()));

        cons.client("UPDATE customer SET name = 'signed' WHERE id = 1");
        Path unsigned = dir.resolve("unsigned.fdl");
        Path foreign = dir.resolve("foreign.fdl");
        Path signed = dir.resolve("signed.fdl");
        ok(create("--remote-id", "shop-a", "--out", unsigned.toString()));
        ok(create("--remote-id", "shop-a", "--out", foreign.toString(), "--sign-key", otherKey.toString()));
        ok(create("--remote-id", "shop-a", "--out", signed.toString(), "--sign-key", key.toString()));

        List<List<String>> snapshot = snapshot(a);
        Cli.Result noSignature = apply(a, unsigned);
        assertThat(noSignature.exitCode()).as(noSignature.all()).isEqualTo(16);
        assertThat(noSignature.err()).containsPattern("(?m)^error: DOWNLOAD_FILE_UNTRUSTED").contains("is not signed, and this remote accepts only");
        Cli.Result wrongKey = apply(a, foreign);
        assertThat(wrongKey.exitCode()).isEqualTo(16);
        assertThat(wrongKey.err()).contains("is not signed by the trusted key");
        assertThat(snapshot(a)).isEqualTo(snapshot);
        assertThat(ok(Cli.run("download-file", "info", "--file", signed.toString(), "--public-key", pub.toString())).out())
                .contains("signed by key");
        ok(apply(a, signed));
        assertThat(customers(a).get(0)).containsExactly("1", "signed", "120.50");

        // A remote that trusts no key may still demand a signature for one apply.
        RemoteFixture b = ferry.remote(remoteKind(), "shop-b");
        RunningFerry.sync(b);
        cons.client("UPDATE customer SET name = 'for b' WHERE id = 2");
        Path forB = dir.resolve("b.fdl");
        ok(create("--remote-id", "shop-b", "--out", forB.toString(), "--sign-key", otherKey.toString()));
        assertThat(apply(b, forB, "--public-key", pub.toString()).exitCode()).isEqualTo(16);
        ok(apply(b, forB, "--public-key", otherPub.toString()));
        ok(Cli.run("download-file", "trust", "--db", a.dbArg(), "--none"));
        cons.client("UPDATE customer SET name = 'unsigned again' WHERE id = 1");
        Path later = dir.resolve("later.fdl");
        ok(create("--remote-id", "shop-a", "--out", later.toString()));
        ok(apply(a, later));
    }

    @Test
    void aFullFileLoadsANewRemoteAndBringsDeletesToAnExistingOne() throws Exception {
        cons.client("INSERT INTO orders (id, customer_id, note) VALUES (10, 1, 'kept')");
        cons.client("DELETE FROM customer WHERE id = 2");
        Path full = dir.resolve("full.fdl");
        Cli.Result created = ok(create("--full", "--out", full.toString()));
        assertThat(created.out()).contains("for any remote").contains("the beginning (full file)");

        RemoteFixture fresh = ferry.remote(remoteKind(), "shop-new");
        ok(apply(fresh, full));
        assertThat(customers(fresh)).isEqualTo(cons.query("SELECT id, name, balance FROM customer ORDER BY id"));
        Cli.Result first = RunningFerry.sync(fresh);
        assertThat(SyncScenarios.counts(first, "customer")).as("the first sync after a full file sends nothing again").containsExactly(0L, 0L, 0L, 0L);

        ok(apply(a, full));
        assertThat(customers(a)).as("the row deleted on the server is deleted by the full file").isEqualTo(
                cons.query("SELECT id, name, balance FROM customer ORDER BY id"));
        assertThat(a.query("SELECT note FROM orders")).containsExactly(List.of("kept"));
    }

    @Test
    void oneFileServesAGroupFromItsOldestLastDownloadAndNamesTheRemotesItIsFor() throws Exception {
        RemoteFixture b = ferry.remote(remoteKind(), "shop-b");
        RunningFerry.sync(b);
        cons.client("UPDATE customer SET name = 'seen by a' WHERE id = 1");
        RunningFerry.sync(a);
        cons.client("UPDATE customer SET name = 'for both' WHERE id = 2");
        Path group = dir.resolve("group.fdl");
        ok(create("--remote-id", "shop-a", "--remote-id", "shop-b", "--out", group.toString()));
        assertThat(ok(Cli.run("download-file", "info", "--file", group.toString())).out()).contains("for remotes shop-a, shop-b")
                .contains("position " + lastDownload(b));
        ok(apply(a, group));
        ok(apply(b, group));
        assertThat(customers(a)).isEqualTo(customers(b)).isEqualTo(cons.query("SELECT id, name, balance FROM customer ORDER BY id"));

        RemoteFixture c = ferry.remote(remoteKind(), "shop-c");
        RunningFerry.sync(c);
        cons.client("UPDATE customer SET name = 'only a' WHERE id = 2");
        Path forA = dir.resolve("a.fdl");
        ok(create("--remote-id", "shop-a", "--out", forA.toString()));
        Cli.Result refused = apply(c, forA);
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(16);
        assertThat(refused.err()).containsPattern("(?m)^error: DOWNLOAD_FILE_NOT_FOR_REMOTE").contains("made for remote(s) shop-a, not shop-c");
    }

    @Test
    void creatingAFileForARemoteTheServerHasNeverSeenNeedsFull() {
        Cli.Result unknown = create("--remote-id", "nobody", "--out", dir.resolve("x.fdl").toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("remote nobody never synced with this consolidated database").contains("--full");
        Cli.Result none = create("--out", dir.resolve("y.fdl").toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("needs at least one --remote-id");
        assertThat(dir.resolve("x.fdl")).doesNotExist();
    }

    private Cli.Result create(String... args) {
        List<String> all = new ArrayList<>(List.of("download-file", "create", "--consolidated", cons.db.url()));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(String[]::new));
    }

    private static Cli.Result apply(RemoteFixture r, Path file, String... args) {
        List<String> all = new ArrayList<>(List.of("download-file", "apply", "--db", r.dbArg(), "--file", file.toString()));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(String[]::new));
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exitCode()).as(r.all()).isZero();
        return r;
    }

    private RemoteFixture keep(RemoteFixture r) {
        extra.add(r);
        return r;
    }

    private Path write(String name, byte[] content) throws Exception {
        return Files.write(dir.resolve(name), content);
    }


    private static List<List<String>> customers(RemoteFixture r) throws Exception {
        return r.query("SELECT id, name, balance FROM customer ORDER BY id");
    }

    private static long lastDownload(RemoteFixture r) throws Exception {
        return Long.parseLong(r.query("SELECT last_download FROM ferry_state").get(0).get(0));
    }

    /** Everything a refused file must leave alone: the synchronized tables and Ferry's remote state. */
    private static List<List<String>> snapshot(RemoteFixture r) throws Exception {
        return r.queries(List.of("SELECT 'customer'", "SELECT * FROM customer ORDER BY 1", "SELECT 'orders'", "SELECT * FROM orders ORDER BY 1",
                "SELECT 'order_line'", "SELECT * FROM order_line ORDER BY 1, 2", "SELECT 'state'", "SELECT * FROM ferry_state",
                "SELECT 'pending'", "SELECT * FROM ferry_pending ORDER BY tbl, pk"));
    }
}
