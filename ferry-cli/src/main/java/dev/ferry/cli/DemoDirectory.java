package dev.ferry.cli;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The working directory of {@code ferry demo} (issue 10, defect 14: never delete what Ferry did not
 * create). A directory the demo made carries the marker file {@value #MARKER}. Preparing one:
 * <ul>
 *   <li>missing or empty: created, and marked;</li>
 *   <li>marked: the files an earlier demo made ({@link #demoFiles}) are deleted, anything else in it
 *       is kept;</li>
 *   <li>anything else (a non-empty directory without the marker, a regular file): refused with
 *       {@code USAGE}, and nothing is touched.</li>
 * </ul>
 */
final class DemoDirectory {
    static final String MARKER = ".ferry-demo";
    static final String CONSOLIDATED = "consolidated";
    static final List<String> REMOTES = List.of("remote-a.db", "remote-b.db");

    private DemoDirectory() {
    }

    /** Makes {@code dir} ready for a fresh demo run, or throws {@code USAGE} without touching it. */
    static void prepare(Path dir) {
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new FerryException(ErrorCode.USAGE, dir + " is a file, not a directory", "give ferry demo another --dir");
            }
            if (Files.isDirectory(dir) && !Files.exists(dir.resolve(MARKER)) && !isEmpty(dir)) {
                throw new FerryException(ErrorCode.USAGE, dir + " is not empty and was not made by ferry demo (it has no " + MARKER
                        + " file); the demo only deletes files it created", "give ferry demo a new or empty --dir");
            }
            Files.createDirectories(dir);
            for (String name : demoFiles()) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.writeString(dir.resolve(MARKER), "Made by `ferry demo`. Running it again with this --dir deletes only these files"
                    + " and keeps everything else:\n" + String.join("\n", demoFiles()) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("preparing the demo directory " + dir + " failed", e);
        }
    }

    /** The consolidated H2 database and the two SQLite remotes, with the side files H2, SQLite and Ferry make next to them. */
    static List<String> demoFiles() {
        List<String> files = new ArrayList<>();
        for (String suffix : List.of(".mv.db", ".trace.db", ".lock.db")) {
            files.add(CONSOLIDATED + suffix);
        }
        for (String remote : REMOTES) {
            for (String suffix : List.of("", "-wal", "-shm", "-journal", ".ferry-sync.lock")) {
                files.add(remote + suffix);
            }
        }
        return files;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
