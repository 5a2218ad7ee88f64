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
        assertThatThrownBy(() -> NoLeaks.check("a leaking class")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("leak").hasMessageContaining("a leaking class");
    }

    private static void leak() {
        ByteBuf lost = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        lost.writeLong(42);
    }
}
