package io.otaedge.control;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;

/**
 * BlockHound for every test that runs a server: a blocking call on a Netty event loop (reactor-netty's
 * or Lettuce's) or a Reactor non-blocking scheduler fails the call and is remembered, so a test can
 * also assert afterwards that none happened.
 */
public final class NonBlockingCheck {

    private static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();
    private static boolean installed;

    private NonBlockingCheck() {
    }

    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        BlockHound.install(builder -> builder
                // /dev/urandom never blocks; the JDK reads it through a FileInputStream.
                .allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "implNextBytes")
                .allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "implSetSeed")
                // Lettuce guards its write path with a lock held for nanoseconds (no I/O inside); two
                // threads writing at once may park briefly. Without this, BlockHound would throw from
                // inside the lock and corrupt it.
                .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters")
                .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive")
                // Netty's adaptive allocator frees a magazine under a StampedLock write lock that another
                // thread holds only to allocate from it (no I/O); seen once parking an event loop for an instant.
                .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free")
                .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "free")
                .blockingMethodCallback(method -> {
                    VIOLATIONS.add(Thread.currentThread().getName() + ": " + method);
                    new Throwable("blocking call " + method + " on " + Thread.currentThread().getName()).printStackTrace();
                    throw new BlockingOperationError(method);
                }));
    }

    /** For the test that proves the check works: forget the violations it provoked on purpose. */
    static void forget(String threadNamePrefix) {
        VIOLATIONS.removeIf(v -> v.startsWith(threadNamePrefix));
    }

    public static List<String> violations() {
        return List.copyOf(VIOLATIONS);
    }
}
