package dev.ferry.server.config;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest {
    @Test
    void flagsBeatEnvironmentWhichBeatsTheFileWhichBeatsDefaults(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("ferry.yaml");
        Files.writeString(yaml, "server:\n  port: 9000\nsync:\n  maxRetries: 3\n  tables: [a, b]\n  uploadPolicy: all-or-nothing\n");
        ServerConfig cfg = ServerConfig.load(yaml, Map.of("FERRY_SYNC_MAX_RETRIES", "4"), Map.of("server.port", "9100"));
        assertThat(cfg.port()).isEqualTo(9100);
        assertThat(cfg.maxRetries()).isEqualTo(4);
        assertThat(cfg.tables()).containsExactly("a", "b");
        assertThat(cfg.uploadPolicy()).isEqualTo(UploadPolicy.ALL_OR_NOTHING);
        assertThat(cfg.lockTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ServerConfig.defaults().consolidatedUrl()).isEqualTo(ServerConfig.DEFAULT_URL);
    }

    @Test
    void aBadValueNamesTheKeyAndTheValue() {
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("server.port", "70000")))
                .isInstanceOf(FerryException.class).hasMessageContaining("server.port").hasMessageContaining("70000")
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID));
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("FERRY_SYNC_UPLOAD_POLICY", "sometimes"), Map.of()))
                .hasMessageContaining("sync.uploadPolicy").hasMessageContaining("sometimes");
    }

    @Test
    void anUnknownKeyInTheFileIsRefused(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("ferry.yaml");
        Files.writeString(yaml, "sync:\n  maxRetrys: 3\n");
        assertThatThrownBy(() -> ServerConfig.load(yaml, Map.of(), Map.of())).hasMessageContaining("sync.maxRetrys");
    }

    @Test
    void theReadmeConfigurationTableMatchesTheDeclarations() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("..", "README.md")).stream().filter(l -> l.startsWith("| ")).toList();
        for (ConfigOption<?> o : ServerConfig.OPTIONS) {
            assertThat(rows).as("README row for " + o.key())
                    .anyMatch(r -> r.startsWith("| " + o.key() + " | " + o.envName() + " | ")
                            && (o.defaultText().isEmpty() || r.contains(" " + o.defaultText() + " ")));
        }
        long documented = rows.stream().filter(r -> r.matches("\\| [a-z]+\\.[A-Za-z]+ \\| FERRY_.*")).count();
        assertThat(documented).as("no README row for a setting that does not exist").isEqualTo(ServerConfig.OPTIONS.size());
    }
}
