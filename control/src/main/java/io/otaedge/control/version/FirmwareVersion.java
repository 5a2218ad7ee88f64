package io.otaedge.control.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How firmware versions are ordered, in every dialect: as numbers, component by component, never as
 * strings. Devices spell one version many ways (libfota2 sends {@code 1003.002.000} for a script whose
 * {@code VERSION} is {@code "002.000.000"}; the catalog may hold {@code 1003.2.0}), and a string compare
 * sends a device on the target the same firmware at every check, for ever.
 *
 * <p>The grammar, after an optional leading {@code v}/{@code V} that is followed by a digit:
 * <ul>
 *   <li><b>dotted numeric</b> {@code 1*DIGIT *("." 1*DIGIT)}: components compare as unbounded unsigned
 *       numbers (leading zeros ignored); a missing component counts as 0, so {@code 1.2} = {@code 1.2.0}.</li>
 *   <li><b>other</b> (e.g. {@code app-1.0.3-20180101.1000}, {@code 1.2.3-rc1}): split into runs of digits
 *       and runs of other characters. Two such versions are ordered only when their non-digit runs are the
 *       same (compared ignoring case) and they have as many digit runs; then the digit runs compare as numbers
 *       in order. Otherwise the two are {@link Relation#UNORDERED}: neither is known to be newer.</li>
 * </ul>
 * Equal strings are always {@link Relation#SAME}.
 */
public final class FirmwareVersion {

    /** Where a device's version stands against another version (usually a task's target). */
    public enum Relation {
        /** The same version, however spelled. */
        SAME,
        /** The device's version is older than the other one. */
        OLDER,
        /** The device's version is newer than the other one. */
        NEWER,
        /** The two cannot be ordered by the grammar above. */
        UNORDERED
    }

    /**
     * What an uploaded firmware's version must look like, so every dialect's devices can compare it: an optional
     * name prefix ending in {@code -} or {@code _} ({@code app-}), an optional {@code v}/{@code V}, dotted digits,
     * and an optional suffix after {@code -} or {@code _} ({@code -rc1}, {@code -20180101.1000}).
     */
    private static final java.util.regex.Pattern UPLOADABLE = java.util.regex.Pattern.compile(
            "(?:[A-Za-z][A-Za-z0-9]*[-_])?[vV]?[0-9]+(?:\\.[0-9]+)*(?:[-_][A-Za-z0-9_.-]+)?");

    /** The rule above, in words, for refusals and docs. */
    public static final String UPLOADABLE_RULE = "dotted digits such as 1.2.0, optionally with a prefix (app-1.2.0),"
            + " a leading v (v1.2.0) or a suffix (1.2.0-rc1)";

    private FirmwareVersion() {
    }

    /** True when {@code version} follows the upload grammar ({@link #UPLOADABLE_RULE}). */
    public static boolean isUploadable(String version) {
        return version != null && UPLOADABLE.matcher(version).matches();
    }

    /** Where {@code version} stands against {@code other}. */
    public static Relation relation(String version, String other) {
        if (version.equals(other)) {
            return Relation.SAME;
        }
        Parsed a = parse(version);
        Parsed b = parse(other);
        if (!a.skeleton.equals(b.skeleton) && !(a.dotted && b.dotted)) {
            return Relation.UNORDERED;
        }
        int n = Math.max(a.numbers.size(), b.numbers.size());
        for (int i = 0; i < n; i++) {
            int c = compareDigits(at(a.numbers, i), at(b.numbers, i));
            if (c != 0) {
                return c < 0 ? Relation.OLDER : Relation.NEWER;
            }
        }
        return Relation.SAME;
    }

    /** True when the two are one version, however spelled ({@code 1003.002.000} and {@code 1003.2.0}). */
    public static boolean same(String a, String b) {
        return relation(a, b) == Relation.SAME;
    }

    /** True when {@code list} holds {@code version} in any spelling. */
    public static boolean anySame(List<String> list, String version) {
        for (String v : list) {
            if (same(v, version)) {
                return true;
            }
        }
        return false;
    }

    /**
     * One spelling per dotted-numeric version, for index keys: the leading {@code v} dropped and each
     * component without leading zeros ({@code V1003.002.000} → {@code 1003.2.0}); the component count is
     * kept, so the usual spellings ({@code 1.2.0}) key as they always did. Other versions are returned as given.
     */
    public static String canonical(String version) {
        Parsed p = parse(version);
        if (!p.dotted) {
            return version;
        }
        StringBuilder sb = new StringBuilder(version.length());
        for (String digits : p.numbers) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(stripZeros(digits));
        }
        return sb.toString();
    }

    /** True when {@code version} is dotted numeric (optionally {@code v}-prefixed): the form every dialect can order. */
    public static boolean isDottedNumeric(String version) {
        return parse(version).dotted;
    }

    private record Parsed(boolean dotted, String skeleton, List<String> numbers) {
    }

    private static Parsed parse(String v) {
        int start = v.length() > 1 && (v.charAt(0) == 'v' || v.charAt(0) == 'V') && isDigit(v.charAt(1)) ? 1 : 0;
        List<String> numbers = new ArrayList<>(4);
        StringBuilder skeleton = new StringBuilder();
        boolean dotted = start < v.length();
        int i = start;
        while (i < v.length()) {
            int j = i;
            if (isDigit(v.charAt(i))) {
                while (j < v.length() && isDigit(v.charAt(j))) {
                    j++;
                }
                numbers.add(v.substring(i, j));
                skeleton.append('#');
            } else {
                while (j < v.length() && !isDigit(v.charAt(j))) {
                    j++;
                }
                String sep = v.substring(i, j);
                dotted &= sep.equals(".") && i > start && j < v.length();
                skeleton.append(sep.toLowerCase(Locale.ROOT));
            }
            i = j;
        }
        return new Parsed(dotted, skeleton.toString(), numbers);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String at(List<String> numbers, int i) {
        return i < numbers.size() ? numbers.get(i) : "0";
    }

    private static String stripZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    /** Compares two digit strings as unbounded unsigned numbers. */
    private static int compareDigits(String a, String b) {
        String x = stripZeros(a);
        String y = stripZeros(b);
        if (x.length() != y.length()) {
            return Integer.compare(x.length(), y.length());
        }
        return Integer.signum(x.compareTo(y));
    }
}
