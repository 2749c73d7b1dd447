package dev.ferry.server.http;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.config.Limits;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyncAdmissionTest {
    private static Limits limits(int concurrent, int queued, Duration wait) {
        return new Limits(1 << 20, 1000, 1 << 16, 16384, Duration.ofSeconds(30), 1024, concurrent, queued, wait, 64, 128);
    }

    @Test
    void aSyncBeyondTheSlotsWaitsForOneInsteadOfBeingRefused() throws Exception {
        SyncAdmission admission = new SyncAdmission(limits(1, 10, Duration.ofSeconds(20)));
        admission.enter();
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            waiting.countDown();
            admission.enter();
        });
        waiting.await();
        Thread.sleep(200);
        assertThat(second).as("still queued while the slot is taken").isNotDone();
        admission.leave();
        second.get(10, TimeUnit.SECONDS);
        admission.leave();
    }

    @Test
    void aSyncThatWaitedTheQueueTimeIsRefusedAsBusy() {
        SyncAdmission admission = new SyncAdmission(limits(1, 10, Duration.ofMillis(100)));
        admission.enter();
        long t0 = System.nanoTime();
        assertThatThrownBy(admission::enter).isInstanceOfSatisfying(FerryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SERVER_BUSY);
            assertThat(e.getMessage()).contains("limits.syncQueueMillis").contains("nothing was applied");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        SyncAdmission admission = new SyncAdmission(limits(1, 1, Duration.ofSeconds(20)));
        admission.enter();
        CompletableFuture<Void> queued = CompletableFuture.runAsync(admission::enter);
        Thread.sleep(200);
        long t0 = System.nanoTime();
        assertThatThrownBy(admission::enter).isInstanceOfSatisfying(FerryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SERVER_BUSY);
            assertThat(e.getMessage()).contains("limits.queuedSyncs");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        admission.leave();
        queued.get(10, TimeUnit.SECONDS);
        admission.leave();
    }

    @Test
    void zeroQueueTimeRefusesAtOnceLikeBefore() {
        SyncAdmission admission = new SyncAdmission(limits(1, 10, Duration.ZERO));
        admission.enter();
        assertThatThrownBy(admission::enter).isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_BUSY));
        admission.leave();
        admission.enter();
        admission.leave();
    }
}
