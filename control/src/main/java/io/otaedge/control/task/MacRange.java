package io.otaedge.control.task;

import java.util.Locale;

/**
 * An inclusive range of MAC addresses, e.g. {@code 00:11:22:00:00:00} to {@code 00:11:22:ff:ff:ff}.
 * Separators ({@code :}, {@code -}, {@code .}) and case do not matter.
 */
public record MacRange(String from, String to) {

    /** The MAC as a 48-bit number, or -1 when it is not 12 hex digits. */
    public static long parse(String mac) {
        if (mac == null) {
            return -1;
        }
        String hex = mac.replaceAll("[:.\\-]", "").toLowerCase(Locale.ROOT);
        if (hex.length() != 12 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return -1;
        }
        return Long.parseLong(hex, 16);
    }

    public boolean valid() {
        long a = parse(from);
        long b = parse(to);
        return a >= 0 && b >= a;
    }

    public boolean contains(String mac) {
        long m = parse(mac);
        return m >= 0 && parse(from) <= m && m <= parse(to);
    }
}
