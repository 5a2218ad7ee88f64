package io.otaedge.control.dialect.xiaozhi;

import java.util.ArrayList;
import java.util.List;

/**
 * Versions as xiaozhi firmware reads them ({@code Ota::ParseVersion} in 78/xiaozhi-esp32 main/ota.cc): the
 * text is cut at each '.' ({@code std::getline}, so a trailing '.' adds nothing) and every piece goes through
 * {@code std::stoi}, which takes a leading number and ignores what follows it ({@code 0-rc1} is 0) but throws
 * on a piece without one ({@code v2}, an empty piece) or beyond {@code int}. Nothing catches that exception
 * in the firmware, so such a version offered with a {@code url} aborts the device on every check.
 */
final class XiaozhiVersion {

    private XiaozhiVersion() {
    }

    /** The numbers the firmware reads, or null when its parse would throw. */
    static int[] parse(String version) {
        List<Integer> numbers = new ArrayList<>();
        int start = 0;
        while (start < version.length()) {
            int dot = version.indexOf('.', start);
            int end = dot < 0 ? version.length() : dot;
            Integer n = stoi(version, start, end);
            if (n == null) {
                return null;
            }
            numbers.add(n);
            start = dot < 0 ? version.length() : dot + 1;
        }
        return numbers.stream().mapToInt(Integer::intValue).toArray();
    }

    /** True when the firmware can read {@code version} without throwing. */
    static boolean readable(String version) {
        return parse(version) != null;
    }

    /**
     * True when a device on {@code current} installs {@code offered} without {@code force}: the first
     * differing number decides, and on a common prefix the longer version is the newer.
     */
    static boolean isNewer(String offered, String current) {
        int[] a = parse(offered);
        int[] b = parse(current);
        if (a == null || b == null) {
            return false;
        }
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] != b[i]) {
                return a[i] > b[i];
            }
        }
        return a.length > b.length;
    }

    /** {@code std::stoi} on {@code s[from, to)}: optional white space and sign, then at least one digit. */
    private static Integer stoi(String s, int from, int to) {
        int i = from;
        while (i < to && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < to && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long value = 0;
        int digits = 0;
        while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            value = value * 10 + (s.charAt(i) - '0');
            if (value > 1L + Integer.MAX_VALUE) {
                return null; // out_of_range
            }
            i++;
            digits++;
        }
        if (digits == 0) {
            return null; // invalid_argument
        }
        value = negative ? -value : value;
        return value < Integer.MIN_VALUE || value > Integer.MAX_VALUE ? null : (int) value;
    }
}
