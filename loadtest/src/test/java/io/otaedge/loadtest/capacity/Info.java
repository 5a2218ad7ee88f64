package io.otaedge.loadtest.capacity;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reading Redis' INFO text. */
final class Info {

    private Info() {
    }

    static Map<String, String> parse(String info) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            int c = line.indexOf(':');
            if (c > 0 && !line.startsWith("#")) {
                out.put(line.substring(0, c), line.substring(c + 1));
            }
        }
        return out;
    }

    /** Sums two values of the same field over nodes: numbers add, anything else keeps the first. */
    static String add(String a, String b) {
        try {
            return Long.toString(Long.parseLong(a) + Long.parseLong(b));
        } catch (NumberFormatException e) {
            try {
                return Double.toString(Double.parseDouble(a) + Double.parseDouble(b));
            } catch (NumberFormatException e2) {
                return a;
            }
        }
    }

    /** One field of a {@code key=value,key=value} INFO value (commandstats, keyspace), as a number. */
    static double field(String value, String name) {
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equals(name)) {
                return Double.parseDouble(part.substring(eq + 1));
            }
        }
        return 0;
    }
}
