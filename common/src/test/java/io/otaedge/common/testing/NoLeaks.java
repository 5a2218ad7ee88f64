package io.otaedge.common.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class whose code leaked a Netty buffer. Registered for every test class of the modules that use
 * common's test jar (JUnit's extension auto-detection, switched on in the parent pom). Netty finds a leak when a
 * buffer that was never released is garbage collected, and reports it at the next buffer it tracks; so after the
 * class this collects garbage and allocates a few buffers, then asks {@link LeakRecorder} what it found.
 */
public final class NoLeaks implements AfterAllCallback {

    private static final int ROUNDS = 5;

    @Override
    public void afterAll(ExtensionContext context) {
        check(context.getDisplayName());
    }

    /** Fails when a buffer leaked since the last check; {@code what} names what ran. */
    static void check(String what) {
        if (!(ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID)) {
            return; // run outside the build's configuration (an IDE): Netty samples, so nothing here is certain
        }
        for (int i = 0; i < ROUNDS; i++) {
            System.gc();
            System.runFinalization();
            touch(PooledByteBufAllocator.DEFAULT.directBuffer(16));
            touch(PooledByteBufAllocator.DEFAULT.heapBuffer(16));
            touch(UnpooledByteBufAllocator.DEFAULT.heapBuffer(16));
        }
        List<String> leaks = LeakRecorder.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) during " + what
                    + " (the first one's access records follow):\n" + leaks.get(0));
        }
    }

    private static void touch(ByteBuf buffer) {
        buffer.release();
    }
}
