package dev.ferry.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, defect 14, through the real command: `ferry demo --dir DIR` used to delete whatever DIR
 * held. Now it refuses a directory it did not make, and running it again in its own directory keeps
 * the files the user put there.
 */
class DemoCommandIT {
    @TempDir
    Path tmp;

    @Test
    void demoRefusesADirectoryItDidNotMakeAndKeepsTheUsersFilesInItsOwn() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("important.txt"), "keep me");
        Cli.Result refused = Cli.run("demo", "--dir", project.toString());
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(2);
        assertThat(refused.err()).contains("error: USAGE").contains("not empty and was not made by ferry demo");
        assertThat(Files.readString(project.resolve("important.txt"))).isEqualTo("keep me");
        try (var entries = Files.list(project)) {
            assertThat(entries).hasSize(1);
        }

        Path demo = tmp.resolve("demo");
        Cli.Result first = Cli.run("demo", "--dir", demo.toString());
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(first.out()).contains("Demo finished");
        Files.writeString(demo.resolve("my-notes.txt"), "written between two demos");

        Cli.Result second = Cli.run("demo", "--dir", demo.toString());
        assertThat(second.exitCode()).as(second.all()).isZero();
        assertThat(second.out()).contains("shop-b now has the order");
        assertThat(Files.readString(demo.resolve("my-notes.txt"))).isEqualTo("written between two demos");
    }
}
