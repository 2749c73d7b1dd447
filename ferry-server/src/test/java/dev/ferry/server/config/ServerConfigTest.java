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
    void tablesWithSettingsOfTheirOwnAreListedAndTheirColumnsChosen(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("ferry.yaml");
        Files.writeString(yaml, "sync:\n  tables:\n    film:\n      excludeColumns: [fts, note]\n    customer:\n      columns: id, name\n"
                + "    store: {}\n");
        ServerConfig cfg = ServerConfig.load(yaml, Map.of(), Map.of());
        assertThat(cfg.tables()).containsExactly("film", "customer", "store");
        assertThat(cfg.columns().keeps("film", "title")).isTrue();
        assertThat(cfg.columns().keeps("film", "fts")).isFalse();
        assertThat(cfg.columns().keeps("FILM", "NOTE")).as("names match ignoring case, like table names").isFalse();
        assertThat(cfg.columns().keeps("customer", "email")).isFalse();
        assertThat(cfg.columns().keeps("customer", "name")).isTrue();
        assertThat(cfg.columns().keeps("store", "anything")).isTrue();

        ServerConfig flags = ServerConfig.load(null, Map.of(), Map.of("sync.tables", "a", "sync.tables.b.excludeColumns", "x"));
        assertThat(flags.tables()).containsExactly("a", "b");
        assertThat(flags.columns().keeps("b", "x")).isFalse();
        assertThat(ServerConfig.defaults().columns()).isEqualTo(dev.ferry.core.schema.ColumnChoice.ALL);

        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("sync.tables.b.exclude", "x")))
                .isInstanceOf(FerryException.class).hasMessageContaining("unknown setting sync.tables.b.exclude");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("sync.tables.b.columns", "")))
                .isInstanceOf(FerryException.class).hasMessageContaining("sync.tables.b.columns is empty");
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
    void conflictPoliciesAreReadPerTableAndTheirShapeChecked(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("ferry.yaml");
        Files.writeString(yaml, "conflicts:\n  default: client-wins\n  tables:\n    customer: { policy: newer-wins, timestampColumn: updated_at }\n"
                + "    orders:\n      policy: column-merge\n      overlap: client-wins\n");
        ConflictSettings c = ServerConfig.load(yaml, Map.of(), Map.of()).conflicts();
        assertThat(c.defaultPolicy().name()).isEqualTo("client-wins");
        assertThat(c.tables().get("customer").name()).isEqualTo("newer-wins");
        assertThat(c.tables().get("customer").setting("timestampColumn")).isEqualTo("updated_at");
        assertThat(c.tables().get("orders").setting("overlap")).isEqualTo("client-wins");
        assertThat(ServerConfig.defaults().conflicts().defaultPolicy().name()).isEqualTo("server-wins");
        assertThat(ServerConfig.load(null, Map.of("FERRY_CONFLICTS_DEFAULT", "column-merge"), Map.of()).conflicts().defaultPolicy().name())
                .isEqualTo("column-merge");
    }

    @Test
    void aMisconfiguredConflictPolicyNamesTheSetting(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("ferry.yaml");
        Map<String, String> cases = Map.of(
                "conflicts:\n  tables:\n    customer: { policy: newest-wins }\n", "conflicts.tables.customer.policy = 'newest-wins' is not a conflict policy",
                "conflicts:\n  tables:\n    customer: { policy: newer-wins }\n", "conflicts.tables.customer.timestampColumn is required by policy newer-wins",
                "conflicts:\n  tables:\n    customer: { policy: client-wins, resolver: x.Y }\n", "conflicts.tables.customer.resolver is not a setting of policy client-wins",
                "conflicts:\n  tables:\n    customer: { timestampColumn: t }\n", "conflicts.tables.customer.policy is missing",
                "conflicts:\n  tables:\n    orders: { policy: column-merge, overlap: nobody }\n", "conflicts.tables.orders.overlap = 'nobody' is invalid",
                "conflicts:\n  default: newer-wins\n", "conflicts.default = 'newer-wins' is invalid",
                "conflicts:\n  policy: client-wins\n", "unknown setting conflicts.policy");
        for (Map.Entry<String, String> e : cases.entrySet()) {
            Files.writeString(yaml, e.getKey());
            assertThatThrownBy(() -> ServerConfig.load(yaml, Map.of(), Map.of())).as(e.getKey())
                    .isInstanceOf(FerryException.class).hasMessageContaining(e.getValue())
                    .satisfies(ex -> assertThat(((FerryException) ex).code()).isEqualTo(ErrorCode.CONFIG_INVALID));
        }
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
        long documented = rows.stream().filter(r -> r.matches("\\| [a-z]+(\\.[A-Za-z]+)+ \\| FERRY_.*")).count();
        assertThat(documented).as("no README row for a setting that does not exist").isEqualTo(ServerConfig.OPTIONS.size());
    }
}
