package dev.ferry.e2e;

import dev.ferry.server.FerryServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3: two `ferry remote sync` commands on the same remote file at once never interleave; the
 * one that finds the remote's lock file taken fails with REMOTE_BUSY before touching anything. The
 * lock lives on the remote side, so one consolidated database (PostgreSQL) is enough; a row lock held
 * there keeps the first sync running as long as the test needs.
 */
class RemoteSyncLockIT extends SessionScenarioBase {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @Test
    void aSecondSyncOfTheSameRemoteFileWhileOneIsRunningIsRefusedAsRemoteBusyAndNothingIsLostOrDoubled() throws Exception {
        FerryServer server = startServer();
        RemoteFixture a = remote(server, "shop-a");
        sync(a);
        a.app("INSERT INTO customer VALUES (3, 'Linus', '7.25'); UPDATE customer SET name = 'Ada L.' WHERE id = 1;");

        Connection other = transaction();
        exec(other, "SELECT name FROM customer WHERE id = 1 FOR UPDATE"); // keeps the first sync's upload applying
        Path firstOut = Files.createTempFile("ferry-first-sync-", ".txt");
        try {
            // The first `ferry remote sync` is a process of its own, as two users' commands would be.
            Process first = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.ferry.cli.FerryCli", "remote", "sync", "--db", a.dbArg())
                    .redirectErrorStream(true).redirectOutput(firstOut.toFile()).start();
            try {
                awaitLockWaiters(1); // the first sync holds the remote's lock file and waits on the server

                Cli.Result second = Cli.run("remote", "sync", "--db", a.dbArg());
                assertThat(second.exitCode()).as(second.all()).isEqualTo(5);
                assertThat(second.err()).contains("error: REMOTE_BUSY").contains(a.dbArg());

                other.commit();
                assertThat(first.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("first sync finished").isTrue();
                String out = Files.readString(firstOut, StandardCharsets.UTF_8);
                assertThat(first.exitValue()).as(out).isZero();
                assertThat(out).containsPattern("customer\\s+2\\s+0\\s+0\\s+0");
            } finally {
                first.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(firstOut);
        }
        assertThat(cons.query("SELECT outcome FROM ferry_sync_log WHERE remote_id = 'shop-a' ORDER BY id"))
                .as("the refused sync never reached the server").containsExactly(List.of("ok"), List.of("ok"));
        assertThat(cons.query(CUSTOMERS)).isEqualTo(rows("1,Ada L.,120.50", "2,Grace,19.99", "3,Linus,7.25"));
        assertThat(a.query("SELECT progress, pending_upload FROM ferry_state")).containsExactly(java.util.Arrays.asList("2", null));
        assertConverged(a);
    }
}
