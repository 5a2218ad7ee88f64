package io.otaedge.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** The safety net itself: the build runs Netty's detector at paranoid through {@link LeakRecorder}, and a leak fails. */
class NoLeaksTest {

    @Test
    void theBuildRunsNettysLeakDetectorAtParanoidThroughTheRecorder() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
        assertThat(System.getProperty("io.netty.customResourceLeakDetector")).isEqualTo(LeakRecorder.class.getName());
    }

    @Test
    void aBufferNeverReleasedFailsTheClass() {
        leak();
        // Netty sees a leak only once the collector has found the lost buffer, which one System.gc() does not
        // promise: ask again (each check collects and allocates) until it is reported, a bounded number of times.
        AssertionError reported = null;
        for (int attempt = 0; attempt < 20 && reported == null; attempt++) {
            try {
                NoLeaks.check("a leaking class");
            } catch (AssertionError e) {
                reported = e;
            }
        }
        AssertionError failure = reported;
        assertThatThrownBy(() -> {
            if (failure != null) {
                throw failure;
            }
        }).isInstanceOf(AssertionError.class)
                .hasMessageContaining("leak").hasMessageContaining("a leaking class");
    }

    private static void leak() {
        ByteBuf lost = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        lost.writeLong(42);
    }
}
