package io.otaedge.control.task;

/**
 * How fast a task enrols new devices (AWS IoT Jobs {@code jobExecutionsRolloutConfig}): at most
 * {@code maximumPerMinute} a minute, or an exponential rate that starts at {@code baseRatePerMinute} and is
 * multiplied by {@code incrementFactor} each time another {@code incrementBy} devices were enrolled (AWS's
 * {@code numberOfNotifiedThings} criterion), capped by {@code maximumPerMinute} when that is set too.
 * Devices already enrolled keep their offer whatever the rate. All fields null = no limit.
 */
public record RolloutRate(Integer maximumPerMinute, Integer baseRatePerMinute, Double incrementFactor,
                          Integer incrementBy) {

    public static final RolloutRate UNLIMITED = new RolloutRate(null, null, null, null);

    public boolean limited() {
        return maximumPerMinute != null || exponential();
    }

    public boolean exponential() {
        return baseRatePerMinute != null;
    }

    /** The rate in force once {@code enrolled} devices were admitted under it; {@link Integer#MAX_VALUE} when unlimited. */
    public int perMinuteAfter(long enrolled) {
        if (!exponential()) {
            return maximumPerMinute == null ? Integer.MAX_VALUE : maximumPerMinute;
        }
        double rate = baseRatePerMinute * Math.pow(incrementFactor, Math.floor((double) enrolled / incrementBy));
        int whole = rate >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.floor(rate);
        return maximumPerMinute == null ? whole : Math.min(whole, maximumPerMinute);
    }
}
