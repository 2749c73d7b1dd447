package dev.ferry.cli;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 10, defect 14: `ferry demo --dir DIR` never deletes what it did not create. */
class DemoDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void aNonEmptyDirectoryTheDemoDidNotMakeIsRefusedAndLeftAlone() throws Exception {
        Path dir = tmp.resolve("my-project");
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Files.writeString(dir.resolve("remote-a.db"), "not a demo remote: there is no marker");

        assertThatThrownBy(() -> DemoDirectory.prepare(dir)).isInstanceOfSatisfying(FerryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
            assertThat(e.getMessage()).contains(dir.toString()).contains("not empty").contains(".ferry-demo");
        });
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");
        assertThat(Files.readString(dir.resolve("remote-a.db"))).startsWith("not a demo remote");
        assertThat(Files.isDirectory(dir.resolve("src"))).isTrue();
        assertThat(Files.exists(dir.resolve(DemoDirectory.MARKER))).isFalse();
    }

    @Test
    void aRegularFileIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("demo"), "a file");
        assertThatThrownBy(() -> DemoDirectory.prepare(file)).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE));
        assertThat(Files.readString(file)).isEqualTo("a file");
    }

    @Test
    void aNewOrEmptyDirectoryIsUsedAndMarked() throws Exception {
        Path fresh = tmp.resolve("a/b/fresh");
        DemoDirectory.prepare(fresh);
        assertThat(Files.exists(fresh.resolve(DemoDirectory.MARKER))).isTrue();

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        DemoDirectory.prepare(empty);
        assertThat(Files.readString(empty.resolve(DemoDirectory.MARKER))).contains("remote-a.db-wal").contains("consolidated.mv.db");
    }

    @Test
    void anEarlierDemoDirectoryLosesOnlyTheDemosFiles() throws Exception {
        Path dir = tmp.resolve("demo");
        DemoDirectory.prepare(dir);
        for (String name : DemoDirectory.demoFiles()) {
            Files.writeString(dir.resolve(name), "made by the demo");
        }
        Files.writeString(dir.resolve("notes.txt"), "the user's");
        Files.createDirectories(dir.resolve("exports"));
        Files.writeString(dir.resolve("exports/remote-a.db"), "the user's copy");

        DemoDirectory.prepare(dir);

        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(DemoDirectory.MARKER, "notes.txt", "exports");
        }
        assertThat(Files.readString(dir.resolve("exports/remote-a.db"))).isEqualTo("the user's copy");
    }
}
