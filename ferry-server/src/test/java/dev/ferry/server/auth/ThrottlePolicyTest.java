package dev.ferry.server.auth;

import dev.ferry.core.error.FerryException;
import dev.ferry.server.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThrottlePolicyTest {

    @Test
    void eachBlockInARowDoublesUpToTheCap() {
        ThrottlePolicy p = new ThrottlePolicy(5, Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofSeconds(300));
        assertThat(p.blockFor(1)).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.blockFor(2)).isEqualTo(Duration.ofSeconds(120));
        assertThat(p.blockFor(3)).isEqualTo(Duration.ofSeconds(240));
        assertThat(p.blockFor(4)).isEqualTo(Duration.ofSeconds(300));
        assertThat(p.blockFor(1_000_000)).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void theDefaultsAreTheDocumentedOnesAndACapBelowTheBlockIsRefused() {
        ThrottlePolicy d = ServerConfig.defaults().loginThrottle();
        assertThat(d).isEqualTo(new ThrottlePolicy(5, Duration.ofSeconds(300), Duration.ofSeconds(60), Duration.ofSeconds(3600)));
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of(ServerConfig.THROTTLE_BLOCK.key(), "120",
                ServerConfig.THROTTLE_MAX_BLOCK.key(), "60"))).isInstanceOf(FerryException.class).hasMessageContaining("auth.throttle.maxBlockSeconds");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of(ServerConfig.THROTTLE_MAX_FAILURES.key(), "0")))
                .isInstanceOf(FerryException.class).hasMessageContaining("auth.throttle.maxFailures");
    }
}
