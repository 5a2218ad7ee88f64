package io.otaedge.control.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A UTC clock a fleet test sets or moves; shared by every control instance of the simulation. */
public final class FakeClock extends Clock {

    private final AtomicLong millis;

    public FakeClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    public void set(Instant t) {
        millis.set(t.toEpochMilli());
    }

    public void advance(Duration d) {
        millis.addAndGet(d.toMillis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }
}
