package io.otaedge.control.task;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A recurring maintenance window: it opens at each start of a five-field Unix cron expression read on the wall
 * clock of {@code zone}, and stays open for {@code duration} (elapsed time). Starts are found on the zone's local
 * time line (cron-utils reading the local date-time as if it were UTC), then placed in the zone: a start that falls
 * in a spring-forward gap opens when the clocks have jumped (02:30 → 03:30 summer time, still that day, never a day
 * skipped), and one in a fall-back overlap opens once, at its first occurrence.
 */
public final class MaintenanceWindow {

    static final Duration SHORTEST = Duration.ofMinutes(1);
    static final Duration LONGEST = Duration.ofDays(7);
    /** Starts looked at past a clock change before giving up (an every-minute cron across a one-hour gap: 61). */
    private static final int MAX_STEPS = 128;
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String cron;
    private final Duration duration;
    private final ZoneId zone;
    private final ExecutionTime starts;

    private MaintenanceWindow(String cron, Duration duration, ZoneId zone, ExecutionTime starts) {
        this.cron = cron;
        this.duration = duration;
        this.zone = zone;
        this.starts = starts;
    }

    /**
     * A window from its three texts; a bad one is refused naming {@code field.cron}, {@code field.duration} or
     * {@code field.zone} (e.g. {@code maintenanceWindows[0].zone}).
     */
    public static MaintenanceWindow of(String field, String cron, String duration, String zone) {
        ExecutionTime starts;
        try {
            starts = ExecutionTime.forCron(UNIX.parse(required(field + ".cron", cron)).validate());
        } catch (IllegalArgumentException e) {
            throw new TaskRuleViolation(field + ".cron", field + ".cron must be a five-field cron expression such as "
                    + "\"0 2 * * *\" (minute hour day-of-month month day-of-week)");
        }
        Duration d;
        try {
            d = Duration.parse(required(field + ".duration", duration));
        } catch (DateTimeParseException e) {
            d = null;
        }
        if (d == null || d.compareTo(SHORTEST) < 0 || d.compareTo(LONGEST) > 0) {
            throw new TaskRuleViolation(field + ".duration", field + ".duration must be an ISO-8601 duration from "
                    + SHORTEST + " to " + LONGEST + ", such as PT3H");
        }
        ZoneId z;
        try {
            z = ZoneId.of(required(field + ".zone", zone));
        } catch (DateTimeException e) {
            throw new TaskRuleViolation(field + ".zone", field + ".zone must be a time zone such as Europe/Berlin or UTC");
        }
        return new MaintenanceWindow(cron, d, z, starts);
    }

    @JsonCreator
    static MaintenanceWindow fromJson(@JsonProperty("cron") String cron, @JsonProperty("duration") String duration,
                                      @JsonProperty("zone") String zone) {
        return of("maintenanceWindows[]", cron, duration, zone);
    }

    private static String required(String field, String value) {
        if (value == null) {
            throw new TaskRuleViolation(field, field + " is required");
        }
        return value;
    }

    @JsonProperty("cron")
    public String cron() {
        return cron;
    }

    @JsonProperty("duration")
    public String duration() {
        return duration.toString();
    }

    @JsonProperty("zone")
    public String zone() {
        return zone.getId();
    }

    /** The start of the window open at {@code now}, if one is. */
    public Optional<Instant> openSince(Instant now) {
        // The latest start at or before now: its window ends last (all have the same duration).
        LocalDateTime local = now.atZone(zone).toLocalDateTime().withNano(0).plusSeconds(1);
        Optional<LocalDateTime> last = starts.lastExecution(utc(local)).map(ZonedDateTime::toLocalDateTime);
        for (int i = 0; i < 2 && last.isPresent(); i++) {
            Instant start = placed(last.get());
            if (!start.isAfter(now)) {
                return now.isBefore(start.plus(duration)) ? Optional.of(start) : Optional.empty();
            }
            // A start in a fall-back overlap placed at its first occurrence can lie after now: take the one before.
            last = starts.lastExecution(utc(last.get())).map(ZonedDateTime::toLocalDateTime);
        }
        return Optional.empty();
    }

    /** The first start after {@code now}; empty for a cron that never fires again (e.g. 30 February). */
    public Optional<Instant> nextStart(Instant now) {
        LocalDateTime from = now.atZone(zone).toLocalDateTime();
        ZoneOffsetTransition jump = zone.getRules().previousTransition(now.plusNanos(1));
        if (jump != null && jump.isGap() && now.isBefore(jump.getInstant().plus(jump.getDuration()))) {
            // Starts in a gap that just passed are placed after it, maybe after now: look from the gap's beginning.
            from = jump.getDateTimeBefore().minusSeconds(1);
        }
        for (int i = 0; i < MAX_STEPS; i++) {
            Optional<LocalDateTime> next = starts.nextExecution(utc(from)).map(ZonedDateTime::toLocalDateTime);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            Instant start = placed(next.get());
            if (start.isAfter(now)) {
                return Optional.of(start);
            }
            from = next.get(); // placed at or before now (a gap or an overlap): look further
        }
        return Optional.empty();
    }

    /** Where a local start lies in the zone: shifted forward by a gap, the earlier offset in an overlap. */
    private Instant placed(LocalDateTime local) {
        return ZonedDateTime.ofLocal(local, zone, null).toInstant();
    }

    private static ZonedDateTime utc(LocalDateTime local) {
        return local.atZone(ZoneOffset.UTC);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaintenanceWindow w && w.cron.equals(cron) && w.duration.equals(duration) && w.zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return cron.hashCode() * 31 + duration.hashCode();
    }

    @Override
    public String toString() {
        return cron + " for " + duration + " in " + zone;
    }
}
