package io.otaedge.control.migration;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lock that lets controls starting together run each start-up migration once (the re-key into buckets,
 * then the device index back-fill, one after the other): one takes it and migrates, renewing it as it makes
 * progress ({@link #renew}); the others wait for that migration's done marker, and give up after half an hour of
 * someone else's work.
 */
final class MigrationLock {

    private static final Logger log = LoggerFactory.getLogger(MigrationLock.class);
    static final String KEY = "ota:schema:devices:lock";
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final Duration WAIT_FOR_OTHER = Duration.ofMinutes(30);
    private static final long POLL_MILLIS = 500;

    private final RedisClusterCommands<String, String> sync;
    private final String owner;
    /** What the holder is doing, for the waiters' log lines. */
    private final String work;
    private final long deadline = System.nanoTime() + WAIT_FOR_OTHER.toNanos();

    MigrationLock(RedisClusterCommands<String, String> sync) {
        this(sync, UUID.randomUUID().toString());
    }

    MigrationLock(RedisClusterCommands<String, String> sync, String owner) {
        this(sync, owner, "re-keying device data into buckets");
    }

    MigrationLock(RedisClusterCommands<String, String> sync, String owner, String work) {
        this.sync = sync;
        this.owner = owner;
        this.work = work;
    }

    /** Takes the lock when nobody holds it. */
    boolean tryTake() {
        return "OK".equals(sync.set(KEY, owner, SetArgs.Builder.nx().px(TTL.toMillis())));
    }

    /** KEYS[1] the lock; ARGV owner, ttl ms. 1 = extended, 0 = the lock is not (or no longer) ours. */
    private static final String EXTEND = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0""";
    /** KEYS[1] the lock; ARGV owner. Deletes it only while it is ours. */
    private static final String DELETE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";

    /**
     * Extends the holder's lease: called after each batch, so a long migration keeps the lock. A lease that lapsed
     * (a batch stalled longer than the TTL) may have passed to another control: this one then stops rather than
     * migrate beside it, and its start fails with a message (a restart finds the work done or resumes it).
     */
    void renew() {
        Long extended = sync.eval(EXTEND, ScriptOutputType.INTEGER, new String[] {KEY}, owner, Long.toString(TTL.toMillis()));
        if ((extended == null || extended != 1L) && !tryTake()) {
            throw new IllegalStateException("lost the lock " + KEY + " while " + work
                    + " (a batch took longer than " + TTL + "); another control carries on, start this one again");
        }
    }

    /** Gives the lock back, only if it is still ours (a lapsed lease may have passed to another control). */
    void release() {
        sync.eval(DELETE, ScriptOutputType.INTEGER, new String[] {KEY}, owner);
    }

    /** Waits a moment for another control's migration; fails once it has taken too long. */
    void awaitOther() {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("another control has been " + work + " for " + WAIT_FOR_OTHER
                    + " (lock " + KEY + "); if none is running, delete that key and start again");
        }
        log.info("another control is {}; waiting for it", work);
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another control's " + work, e);
        }
    }
}
