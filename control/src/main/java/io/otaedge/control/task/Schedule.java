package io.otaedge.control.task;

import java.time.Instant;

/**
 * When a task is offered: from {@code startAt} (inclusive) to {@code endAt} (exclusive).
 *
 * @param startAt nothing is offered before it; null = at once
 * @param endAt   nothing is offered from it on; null = never ends
 */
public record Schedule(Instant startAt, Instant endAt) {

    public static final Schedule ALWAYS = new Schedule(null, null);

    /** True when {@code now} lies inside the window. */
    public boolean contains(Instant now) {
        return (startAt == null || !now.isBefore(startAt)) && (endAt == null || now.isBefore(endAt));
    }
}
