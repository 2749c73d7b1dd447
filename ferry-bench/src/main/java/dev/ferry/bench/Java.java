package dev.ferry.bench;

import java.nio.file.Path;

/** The java launcher of the JVM running the bench, used for the server and CLI JVMs too (same JDK, same flags). */
final class Java {
    private Java() {
    }

    static String binary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
