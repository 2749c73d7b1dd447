package dev.ferry.cli;

import dev.ferry.client.DiscardOutcome;
import dev.ferry.client.PinnedServerCertificate;
import dev.ferry.client.RemoteDatabase;
import dev.ferry.client.RemoteStatus;
import dev.ferry.client.RowState;
import dev.ferry.client.SyncListener;
import dev.ferry.client.SyncMode;
import dev.ferry.client.SyncResult;
import dev.ferry.client.TableCounts;
import dev.ferry.client.TransportSettings;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.protocol.downloadfile.SigningKeys;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ferry remote}: creates, syncs and inspects remote databases. */
@Command(name = "remote", description = "Work with a remote database.",
        subcommands = {RemoteCommand.Init.class, RemoteCommand.Sync.class, RemoteCommand.Status.class, RemoteCommand.Reset.class,
                RemoteCommand.Discard.class, RemoteCommand.Retry.class, RemoteAccessCommand.Grant.class, RemoteAccessCommand.Revoke.class,
                RemoteCredentialCommand.Passwd.class, RemoteCredentialCommand.Revoke.class, ParamCommands.RemoteParam.class})
final class RemoteCommand {
    private static final String TRUST_CERT = "trust an https:// server only with this certificate (PEM or DER), e.g. its self-signed one;"
            + " stored in the remote for later syncs (default: the JVM's trust store).";

    /** {@code ferry remote init}. */
    @Command(name = "init", description = "Create a remote database with the server's synchronized tables and change tracking.")
    static final class Init implements Callable<Integer> {
        @Option(names = "--db", required = true, description = "remote database file (SQLite; *.mv.db or h2:PATH for H2)")
        String db;

        @Option(names = "--server", required = true, description = "server URL, e.g. https://sync.example.com:8765 (http:// for a plain-HTTP server)")
        String server;

        @Option(names = "--remote-id", required = true, description = "unique id of this remote")
        String remoteId;

        @Option(names = "--user", required = true, description = "sync user")
        String user;

        @Option(names = "--password", required = true, description = "sync password, proves the user once and is not stored: the remote keeps"
                + " the credential the server issues (or set FERRY_PASSWORD and pass -)")
        String password;

        @Option(names = "--replace", description = "make this new database a remote id the server already knows (yours): "
                + "the database that was it is refused from then on")
        boolean replace;

        @Option(names = "--publication", description = "a publication to subscribe to (repeatable; default: every publication; docs/PARTITIONS.md)")
        java.util.List<String> publications = new java.util.ArrayList<>();

        @ArgGroup(exclusive = false)
        Timeouts timeouts;

        @Option(names = "--trust-cert", paramLabel = "FILE", description = TRUST_CERT)
        Path trustCert;

        @Override
        public Integer call() {
            TransportSettings transport = timeouts == null ? null : timeouts.over(TransportSettings.DEFAULTS);
            if (trustCert != null) {
                transport = (transport == null ? TransportSettings.DEFAULTS : transport).withTrustedCertificate(PinnedServerCertificate.read(trustCert));
            }
            warnIfPlainHttp(server);
            try (RemoteDatabase r = RemoteDatabase.create(db, server, remoteId, user, new String(PasswordArgument.resolve(password)), replace, transport,
                    publications)) {
                RemoteStatus s = r.status();
                System.out.println("Created remote " + s.remoteId() + " in " + db + " for consolidated database " + s.consolidatedId()
                        + (replace ? " (re-initialized: the database that was " + s.remoteId() + " before is refused from now on)" : ""));
            }
            return 0;
        }
    }

    /** {@code ferry remote sync}. */
    @Command(name = "sync", description = "Upload local changes, then download the server's.")
    static final class Sync implements Callable<Integer> {
        @Option(names = "--db", required = true, description = "remote database file")
        String db;

        @ArgGroup(exclusive = true)
        Direction direction;

        @ArgGroup(exclusive = false)
        Timeouts timeouts;

        @Option(names = "--trust-cert", paramLabel = "FILE", description = TRUST_CERT + " Replaces the pinned one.")
        Path trustCert;

        static final class Direction {
            @Option(names = "--upload-only", description = "only upload local changes")
            boolean uploadOnly;

            @Option(names = "--download-only", description = "only download the server's changes")
            boolean downloadOnly;
        }

        @Override
        public Integer call() {
            SyncMode mode = direction == null ? SyncMode.FULL : direction.uploadOnly ? SyncMode.UPLOAD_ONLY : SyncMode.DOWNLOAD_ONLY;
            try (RemoteDatabase r = RemoteDatabase.open(db)) {
                if (trustCert != null) {
                    r.trustServerCertificate(PinnedServerCertificate.read(trustCert));
                }
                if (timeouts != null) {
                    r.useTransportSettings(timeouts.over(r.transportSettings()));
                }
                SyncResult result = r.sync(mode, SyncListener.NONE);
                print(System.out, r.remoteId(), result);
            }
            return 0;
        }
    }

    /** {@code --connect-timeout} and {@code --read-timeout}, in whole seconds: stored by {@code init}, for one run with {@code sync}. */
    static final class Timeouts {
        @Option(names = "--connect-timeout", paramLabel = "SECONDS",
                description = "wait at most this long to connect to the server (default 10; init stores it)")
        Long connect;

        @Option(names = "--read-timeout", paramLabel = "SECONDS",
                description = "fail the sync once the server has been silent this long, counted from the last byte that moved (default 300; init stores it)")
        Long read;

        @Option(names = "--busy-wait", paramLabel = "SECONDS",
                description = "while the server answers SERVER_BUSY, send the sync again after its Retry-After for at most this long in all (default 60; 0: fail at once; init stores it)")
        Long busyWait;

        TransportSettings over(TransportSettings base) {
            TransportSettings s = base;
            if (connect != null) {
                s = s.withConnectTimeout(seconds("--connect-timeout", connect));
            }
            if (read != null) {
                s = s.withReadTimeout(seconds("--read-timeout", read));
            }
            if (busyWait != null) {
                if (busyWait < 0 || busyWait > Duration.ofHours(24).toSeconds()) {
                    throw new FerryException(ErrorCode.USAGE, "--busy-wait must be a whole number of seconds from 0 to 86400, not " + busyWait);
                }
                s = s.withBusyWait(Duration.ofSeconds(busyWait));
            }
            return s;
        }

        private static Duration seconds(String flag, long value) {
            if (value < 1 || value > Duration.ofHours(24).toSeconds()) {
                throw new FerryException(ErrorCode.USAGE, flag + " must be a whole number of seconds from 1 to 86400, not " + value);
            }
            return Duration.ofSeconds(value);
        }
    }

    /** Issue 11: the password would cross the network in the clear; said once, where the URL is chosen. */
    static void warnIfPlainHttp(String server) {
        java.net.URI uri;
        try {
            uri = java.net.URI.create(server);
        } catch (IllegalArgumentException e) {
            return; // the client reports the bad URL
        }
        if ("http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) {
            boolean loopback;
            try {
                loopback = java.net.InetAddress.getByName(uri.getHost()).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                loopback = false;
            }
            if (!loopback) {
                System.err.println("warning: " + server + " is plain HTTP: the password and the data cross the network unencrypted"
                        + " (use https://, docs/SECURITY.md)");
            }
        }
    }

    static void print(PrintStream out, String remoteId, SyncResult r) {
        out.printf("Synced remote %s: progress %d, last download %d%s%n", remoteId, r.progress(), r.lastDownload(),
                r.recoveredAcknowledgement() ? " (recovered a lost upload acknowledgement)" : "");
        int width = Math.max(5, r.tables().stream().mapToInt(t -> t.table().length()).max().orElse(5));
        out.printf("%-" + width + "s  %8s  %10s  %6s  %9s%n", "table", "uploaded", "downloaded", "errors", "conflicts");
        for (TableCounts t : r.tables()) {
            out.printf("%-" + width + "s  %8d  %10d  %6d  %9d%n", t.table(), t.uploaded(), t.downloaded(), t.errors(), t.conflicts());
        }
        if (r.uploadRetries() > 0) {
            out.printf("The server replayed the upload %d time(s) after deadlocks.%n", r.uploadRetries());
        }
    }

    /** {@code ferry remote reset}. */
    @Command(name = "reset", description = "Start a remote over against the server (after PROGRESS_MISMATCH, e.g. a restored backup): "
            + "the next sync uploads its pending changes and downloads everything again.")
    static final class Reset implements Callable<Integer> {
        @Option(names = "--db", required = true, description = "remote database file")
        String db;

        @Option(names = "--server", description = "sync with this server from now on (another consolidated database)")
        String server;

        @Option(names = "--trust-cert", paramLabel = "FILE", description = TRUST_CERT + " Replaces the pinned one.")
        Path trustCert;

        @Override
        public Integer call() {
            try (RemoteDatabase r = RemoteDatabase.open(db)) {
                if (trustCert != null) {
                    r.trustServerCertificate(PinnedServerCertificate.read(trustCert));
                }
                long kept = r.reset(server);
                System.out.println("Reset remote " + r.remoteId() + ": progress counter 0, no download position; " + kept
                        + " local change(s) kept. The next `ferry remote sync` uploads them and downloads every row again."
                        + (server == null ? "" : " First run `ferry remote passwd --db " + db + " --user USER` to get a credential from " + server + "."));
            }
            return 0;
        }
    }

    /** The row a {@code discard} or {@code retry} is about. */
    static final class RowArgs {
        @Option(names = "--db", required = true, description = "remote database file")
        String db;

        @Option(names = "--table", required = true, description = "synchronized table")
        String table;

        @Option(names = "--key", required = true, description = "the row's primary key as ferry_pending.pk shows it, a JSON array"
                + " such as '[42]' or '[\"a\",7]'; a one-column key may be given as its plain value (42)")
        String key;
    }

    /** {@code ferry remote discard}. */
    @Command(name = "discard", description = "Drop the local change to one row (pending or in error): the row goes back to the "
            + "server's version, or is removed if the server never had it.")
    static final class Discard implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        RowArgs row;

        @Override
        public Integer call() {
            try (RemoteDatabase r = RemoteDatabase.open(row.db)) {
                DiscardOutcome outcome = r.discard(row.table, row.key);
                System.out.println("Discarded the local change to " + row.table + " " + row.key + ": " + (outcome == DiscardOutcome.RESTORED
                        ? "the row is back to the server's version." : "the server never had the row, so it was removed."));
            }
            return 0;
        }
    }

    /** {@code ferry remote retry}. */
    @Command(name = "retry", description = "Make a row in state error pending again, so the next sync uploads it.")
    static final class Retry implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        RowArgs row;

        @Override
        public Integer call() {
            try (RemoteDatabase r = RemoteDatabase.open(row.db)) {
                RowState now = r.retry(row.table, row.key);
                System.out.println("Row " + now.key() + " of " + now.table() + " is " + now.state()
                        + (now.state().equals("synced") ? ": neither side has it, nothing to upload." : " again; the next `ferry remote sync` uploads it."));
            }
            return 0;
        }
    }

    /** {@code ferry remote status}. */
    @Command(name = "status", description = "Show the remote's id, progress counter, last download, schema version, key ranges and rows per state.")
    static final class Status implements Callable<Integer> {
        @Option(names = "--db", required = true, description = "remote database file")
        String db;

        @Override
        public Integer call() {
            try (RemoteDatabase r = RemoteDatabase.open(db)) {
                RemoteStatus s = r.status();
                System.out.println("remote id:          " + s.remoteId());
                System.out.println("server:             " + s.serverUrl() + " (user " + s.user() + ")");
                System.out.println("consolidated id:    " + s.consolidatedId());
                System.out.println("progress counter:   " + s.progress() + (s.pendingUpload() == null ? "" : " (upload " + s.pendingUpload() + " awaiting acknowledgement)"));
                System.out.println("last download:      " + (s.lastDownloadTime() == null ? "never" : s.lastDownloadTime() + " (position " + s.lastDownload() + ")"));
                System.out.println("last upload:        " + (s.lastUploadTime() == null ? "never" : s.lastUploadTime()));
                System.out.println("schema version:     " + (s.schemaVersion() == null ? "none (made before schema versions: never upgraded)" : s.schemaVersion()));
                if (!s.keysLeft().isEmpty()) {
                    System.out.println("key ranges:         " + String.join(", ", s.keysLeft().entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue() + " keys left").toList()));
                }
                PublicKey trusted = r.trustedDownloadFileKey();
                System.out.println("download files:     " + (trusted == null ? "unsigned accepted"
                        : "only signed by key " + SigningKeys.fingerprint(trusted)));
                X509Certificate pinned = r.transportSettings().trustedCertificate();
                System.out.println("server certificate: " + (pinned == null ? "JVM trust store"
                        : "pinned, SHA-256 " + PinnedServerCertificate.fingerprint(pinned)));
                System.out.println("rows by state:");
                for (Map.Entry<String, Long> e : s.rowsByState().entrySet()) {
                    System.out.printf("  %-9s %d%n", e.getKey(), e.getValue());
                }
            }
            return 0;
        }
    }
}
