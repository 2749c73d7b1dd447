package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;

/**
 * The lock that keeps two syncs of one remote (or a sync and a reset or a download-file apply) from
 * ever interleaving, across threads and processes: an exclusive OS lock on the file
 * {@code <database file>.ferry-sync.lock} beside the database. {@link #acquire} never waits: a remote
 * that is busy is reported as the retriable {@link ErrorCode#REMOTE_BUSY}. The OS releases the lock
 * when the holding process dies, so a crash never leaves a remote locked. Not thread-safe itself:
 * one holder closes it.
 */
final class RemoteSyncLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private RemoteSyncLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of the remote at {@code jdbcUrl}, or throws {@code REMOTE_BUSY} when someone else holds it. */
    static RemoteSyncLock acquire(String jdbcUrl) {
        RemoteSyncLock lock = tryAcquire(jdbcUrl);
        if (lock == null) {
            throw new FerryException(ErrorCode.REMOTE_BUSY, "another sync of " + jdbcUrl + " is running", "wait for it to finish");
        }
        return lock;
    }

    /**
     * The error for a remote database that another process has open, which an embedded H2 database
     * allows only one process at a time: {@code REMOTE_BUSY}, saying whether that process is a sync.
     */
    static FerryException openElsewhere(String jdbcUrl, SQLException cause) {
        RemoteSyncLock probe = tryAcquire(jdbcUrl);
        if (probe == null) {
            return new FerryException(ErrorCode.REMOTE_BUSY, "another sync of " + jdbcUrl + " is running", "wait for it to finish", cause);
        }
        probe.close();
        return new FerryException(ErrorCode.REMOTE_BUSY, "remote database " + jdbcUrl + " is open in another process"
                + " (an application or another ferry command)", "wait for it to close the database, then try again", cause);
    }

    private static RemoteSyncLock tryAcquire(String jdbcUrl) {
        try {
            FileChannel ch = FileChannel.open(lockFile(jdbcUrl), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                FileLock lock = ch.tryLock();
                if (lock != null) {
                    return new RemoteSyncLock(ch, lock);
                }
            } catch (OverlappingFileLockException e) {
                // held by another thread of this process
            }
            ch.close();
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the sync lock file of " + jdbcUrl, e);
        }
    }

    private static Path lockFile(String jdbcUrl) {
        String p = jdbcUrl.startsWith("jdbc:sqlite:") ? jdbcUrl.substring("jdbc:sqlite:".length())
                : jdbcUrl.replaceFirst("^jdbc:h2:(file:)?", "").replaceFirst(";.*$", "");
        return Path.of(p + ".ferry-sync.lock");
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the channel is what releases the lock; the OS does it at process exit at the latest.
            throw new UncheckedIOException("cannot release the sync lock file", e);
        }
    }
}
