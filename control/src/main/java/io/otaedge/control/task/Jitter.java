package io.otaedge.control.task;

import java.nio.charset.StandardCharsets;

/**
 * The one place that spreads the times control hands devices (hawkBit users' polling storms: a fleet told the same
 * number comes back in the same second). Each device gets its own stable share from a hash of a scope (the task, or
 * the product where no task applies) and its id: the same device is always told the same, the fleet is spread
 * evenly. Intervals (OneNET's {@code interval}, hawkBit's polling sleep) move by up to {@link #SPREAD} either way;
 * come-back hints (a rate hold, a retry wait, a closed window) only later, never sooner than the hint, since coming
 * back sooner is only refused again.
 */
public final class Jitter {

    /** ±20 %. */
    public static final double SPREAD = 0.2;

    private Jitter() {
    }

    /** {@code seconds} moved by up to ±20 % for this device; 0 stays 0, anything else stays at least 1. */
    public static int around(int seconds, String scope, String deviceId) {
        if (seconds <= 0) {
            return seconds;
        }
        double f = 1 - SPREAD + 2 * SPREAD * unit(scope, deviceId);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(seconds * f)));
    }

    /** {@code seconds} stretched by up to +20 % for this device, rounded up: never sooner than asked. */
    public static int later(int seconds, String scope, String deviceId) {
        if (seconds <= 0) {
            return seconds;
        }
        return (int) Math.min(Integer.MAX_VALUE, (long) Math.ceil(seconds * laterFactor(scope, deviceId)));
    }

    /** The factor {@link #later} applies for this device, from 1 (inclusive) to 1.2 (exclusive). */
    public static double laterFactor(String scope, String deviceId) {
        return 1 + SPREAD * unit(scope, deviceId);
    }

    /** A number in [0, 1), the same for the same scope and device on every instance and every run. */
    static double unit(String scope, String deviceId) {
        long h = 0xcbf29ce484222325L; // FNV-1a over the UTF-8 bytes, then a 64-bit finaliser to spread the low bits
        for (byte b : (scope + '\n' + deviceId).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }
}
