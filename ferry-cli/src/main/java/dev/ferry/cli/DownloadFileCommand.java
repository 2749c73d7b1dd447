package dev.ferry.cli;

import dev.ferry.client.DownloadFileResult;
import dev.ferry.client.RemoteDatabase;
import dev.ferry.client.SyncListener;
import dev.ferry.client.TableCounts;
import dev.ferry.protocol.downloadfile.DownloadFile;
import dev.ferry.protocol.downloadfile.DownloadFileHeader;
import dev.ferry.protocol.downloadfile.SigningKeys;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.Provisioner;
import dev.ferry.server.consolidated.Tracking;
import dev.ferry.server.download.DownloadFileCreator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ferry download-file}: file-based downloads for remotes that cannot reach the server (docs/DOWNLOAD-FILES.md). */
@Command(name = "download-file", description = "Create, inspect and apply download files (for remotes that cannot reach the server).",
        subcommands = {DownloadFileCommand.Create.class, DownloadFileCommand.Apply.class, DownloadFileCommand.Info.class,
                DownloadFileCommand.Keygen.class, DownloadFileCommand.Trust.class})
final class DownloadFileCommand {

    /** {@code ferry download-file create}. */
    @Command(name = "create", description = "Write the changes a remote (or a group) has not downloaded yet, or every row, to a file.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ServerConfigOptions server;

        @Option(names = "--remote-id", description = "a remote the file is for; repeat for a group (the file then starts at the oldest last download among them)")
        List<String> remoteIds = new ArrayList<>();

        @Option(names = "--full", description = "every row and every recorded delete from the beginning, not just the changes since the remotes' last download")
        boolean full;

        @Option(names = "--out", required = true, description = "the file to write")
        Path out;

        @Option(names = "--sign-key", description = "Ed25519 private key (PEM) to sign the file with (see `ferry download-file keygen`)")
        Path signKey;

        @Override
        public Integer call() {
            ServerConfig cfg = server.load();
            PrivateKey key = signKey == null ? null : SigningKeys.readPrivate(signKey);
            List<String> remotes = List.copyOf(new LinkedHashSet<>(remoteIds));
            try (ConsolidatedDatabase db = ConsolidatedDatabase.open(cfg.consolidatedUrl(), cfg.consolidatedUser(), cfg.consolidatedPassword(), 2)) {
                Tracking tracking = new Provisioner(db).provision(cfg.tables(), cfg.columns());
                DownloadFileHeader h = new DownloadFileCreator(db, tracking, cfg.publications()).create(remotes, full, out, key);
                System.out.printf("Wrote %s (%s): %d rows %s%n", out, size(out), h.rows(), forWhom(h));
                describe(System.out, h, key == null ? "unsigned" : "signed");
                if (!h.full() && h.nextLastDownload() <= h.lastDownload()) {
                    System.out.println("Nothing changed after position " + h.lastDownload() + ": a remote already there refuses this file as stale.");
                }
            }
            return 0;
        }
    }

    /** {@code ferry download-file apply}. */
    @Command(name = "apply", description = "Apply a download file to a remote in one local transaction, if its checks pass.")
    static final class Apply implements Callable<Integer> {
        @Option(names = "--db", required = true, description = "remote database file")
        String db;

        @Option(names = "--file", required = true, description = "the download file")
        Path file;

        @Option(names = "--public-key", description = "require the file to be signed by this Ed25519 public key (PEM); default: the key trusted with `ferry download-file trust`, if any")
        Path publicKey;

        @Override
        public Integer call() {
            PublicKey key = publicKey == null ? null : SigningKeys.readPublic(publicKey);
            try (RemoteDatabase r = RemoteDatabase.open(db)) {
                DownloadFileResult res = r.applyDownloadFile(file, key, SyncListener.NONE);
                PrintStream out = System.out;
                out.printf("Applied %s to remote %s: last download %d (%s)%n", file, r.remoteId(), res.lastDownload(), res.lastDownloadTime());
                int width = Math.max(5, res.tables().stream().mapToInt(t -> t.table().length()).max().orElse(5));
                out.printf("%-" + width + "s  %10s  %6s%n", "table", "downloaded", "errors");
                for (TableCounts t : res.tables()) {
                    out.printf("%-" + width + "s  %10d  %6d%n", t.table(), t.downloaded(), t.errors());
                }
                if (res.keptLocal() > 0) {
                    out.printf("%d row(s) in state error kept their local version (they go up when the application changes them).%n", res.keptLocal());
                }
            }
            return 0;
        }
    }

    /** {@code ferry download-file info}. */
    @Command(name = "info", description = "Show what a download file holds and check that it is complete and unaltered.")
    static final class Info implements Callable<Integer> {
        @Option(names = "--file", required = true, description = "the download file")
        Path file;

        @Option(names = "--public-key", description = "also check that the file is signed by this Ed25519 public key (PEM)")
        Path publicKey;

        @Override
        public Integer call() {
            PublicKey key = publicKey == null ? null : SigningKeys.readPublic(publicKey);
            DownloadFile f = DownloadFile.open(file);
            f.verify(key);
            DownloadFileHeader h = f.header();
            System.out.printf("%s (%s): %d rows %s; checksum OK%n", file, size(file), h.rows(), forWhom(h));
            describe(System.out, h, key != null ? "signed by key " + SigningKeys.fingerprint(key) : f.signed() ? "signed (pass --public-key to check by whom)" : "unsigned");
            return 0;
        }
    }

    /** {@code ferry download-file keygen}. */
    @Command(name = "keygen", description = "Create an Ed25519 key pair for signing download files.")
    static final class Keygen implements Callable<Integer> {
        @Option(names = "--private-key", required = true, description = "where to write the private key (keep it with the server; mode 600)")
        Path privateKey;

        @Option(names = "--public-key", required = true, description = "where to write the public key (give it to the remotes)")
        Path publicKey;

        @Override
        public Integer call() {
            KeyPair pair = SigningKeys.generate();
            SigningKeys.write(pair, privateKey, publicKey);
            System.out.println("Wrote private key " + privateKey + " and public key " + publicKey + " (key " + SigningKeys.fingerprint(pair.getPublic()) + ")");
            return 0;
        }
    }

    /** {@code ferry download-file trust}. */
    @Command(name = "trust", description = "Make a remote accept only download files signed by a key (or, with --none, unsigned ones again).")
    static final class Trust implements Callable<Integer> {
        @Option(names = "--db", required = true, description = "remote database file")
        String db;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Choice choice;

        static final class Choice {
            @Option(names = "--public-key", description = "the server's Ed25519 public key (PEM)")
            Path publicKey;

            @Option(names = "--none", description = "accept unsigned download files again")
            boolean none;
        }

        @Override
        public Integer call() {
            PublicKey key = choice.none ? null : SigningKeys.readPublic(choice.publicKey);
            try (RemoteDatabase r = RemoteDatabase.open(db)) {
                r.trustDownloadFileKey(key);
            }
            System.out.println(key == null ? "Remote " + db + " now accepts unsigned download files"
                    : "Remote " + db + " now accepts only download files signed by key " + SigningKeys.fingerprint(key));
            return 0;
        }
    }

    static void describe(PrintStream out, DownloadFileHeader h, String signature) {
        out.printf("  consolidated:        %s%n", h.consolidatedId());
        out.printf("  changes after:       %s%n", h.full() ? "the beginning (full file)" : "position " + h.lastDownload()
                + (h.lastDownloadTime() == null ? "" : " (" + h.lastDownloadTime() + ")"));
        out.printf("  up to:               position %d (%s)%n", h.nextLastDownload(), h.nextLastDownloadTime());
        out.printf("  created at:          %s%n", h.createdAt());
        out.printf("  tables:              %s%n", String.join(", ", h.tables()));
        out.printf("  signature:           %s%n", signature);
    }

    static String forWhom(DownloadFileHeader h) {
        return h.remoteIds().isEmpty() ? "for any remote"
                : "for remote" + (h.remoteIds().size() == 1 ? " " : "s ") + String.join(", ", h.remoteIds());
    }

    static String size(Path file) {
        try {
            long n = Files.size(file);
            return n < 10_000 ? n + " bytes" : n < 10_000_000 ? (n / 1000) + " kB" : (n / 1_000_000) + " MB";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
