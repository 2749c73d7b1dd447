package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BusyRetryTest {
    private static ServerBusyException busy(Duration retryAfter) {
        return new ServerBusyException("the server already runs 1 syncs", "retry", retryAfter);
    }

    @Test
    void pausesForTheRetryAfterPlusAtMostHalfOfItAgain() {
        for (int i = 0; i < 200; i++) {
            Duration d = BusyRetry.jittered(Duration.ofMillis(1000));
            assertThat(d).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1500));
        }
    }

    @Test
    void waitsWithinTheBudgetThenFailsWithServerBusy() {
        BusyRetry retry = new BusyRetry(Duration.ofMillis(100));
        long t0 = System.nanoTime();
        retry.pauseAfter(busy(Duration.ofMillis(0)));
        retry.pauseAfter(busy(Duration.ofMillis(0)));
        assertThatThrownBy(() -> retry.pauseAfter(busy(Duration.ofSeconds(1)))).isInstanceOfSatisfying(FerryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SERVER_BUSY);
            assertThat(e.code().retriable()).isTrue();
            assertThat(e.getMessage()).contains("still busy after 2 retries");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("never slept past the budget").isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aZeroBudgetHandsTheServersAnswerBackAtOnce() {
        ServerBusyException answer = busy(Duration.ofSeconds(1));
        assertThatThrownBy(() -> new BusyRetry(Duration.ZERO).pauseAfter(answer)).isSameAs(answer);
    }
}
