package io.otaedge.control.migration;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Runs a start-up migration once per Redis: done when its marker holds the expected value; otherwise the control
 * that takes the {@link MigrationLock} runs it and sets the marker, and the others wait for the marker (a holder
 * that dies lets its lease lapse, and a waiter takes over: every migration is safe to run again).
 */
final class OnceAtStart {

    private OnceAtStart() {
    }

    /** Answers whether this control ran the migration (false: it was done already, or another control did it). */
    static boolean run(RedisClusterCommands<String, String> sync, String marker, String done, String work,
                       Consumer<MigrationLock> migration) {
        MigrationLock lock = new MigrationLock(sync, UUID.randomUUID().toString(), work);
        while (!done.equals(sync.get(marker))) {
            if (lock.tryTake()) {
                try {
                    // Checked again under the lock: another control may have finished between the GET and the take.
                    if (done.equals(sync.get(marker))) {
                        return false;
                    }
                    migration.accept(lock);
                    sync.set(marker, done);
                } finally {
                    lock.release();
                }
                return true;
            }
            lock.awaitOther();
        }
        return false;
    }
}
