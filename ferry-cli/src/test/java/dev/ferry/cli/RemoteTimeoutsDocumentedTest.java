package dev.ferry.cli;

import dev.ferry.client.TransportSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The remote timeouts' defaults as the README table and the usage of `ferry remote sync` and `init` state them are the ones the client uses. */
class RemoteTimeoutsDocumentedTest {
    private static final long CONNECT = TransportSettings.DEFAULT_CONNECT_TIMEOUT.toSeconds();
    private static final long READ = TransportSettings.DEFAULT_READ_TIMEOUT.toSeconds();

    @Test
    void readmeTableStatesTheDefaults() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("..", "README.md")).stream().filter(l -> l.startsWith("| `--")).toList();
        assertThat(rows).anyMatch(r -> r.startsWith("| `--connect-timeout` | FERRY_CONNECT_TIMEOUT | " + CONNECT + " | s |"));
        assertThat(rows).anyMatch(r -> r.startsWith("| `--read-timeout` | FERRY_READ_TIMEOUT | " + READ + " | s |"));
    }

    @Test
    void syncAndInitHelpStateTheDefaults() {
        for (String command : List.of("sync", "init")) {
            String help = new picocli.CommandLine(new FerryCli()).getSubcommands().get("remote").getSubcommands().get(command)
                    .getUsageMessage().replaceAll("\\s+", " ");
            assertThat(help).contains("--connect-timeout=SECONDS").contains("(default " + CONNECT + ";")
                    .contains("--read-timeout=SECONDS").contains("(default " + READ + ";");
        }
    }
}
