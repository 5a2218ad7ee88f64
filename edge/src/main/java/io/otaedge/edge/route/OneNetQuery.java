package io.otaedge.edge.route;

/**
 * The query of a OneNET download: only {@code s_id} (base-station id) is defined; the edge refuses a
 * malformed one with OneNET's code 5, as the platform does, and counts a well-formed one against its cell's
 * cap ({@link #sid}; standard downloads that carry one too). Other parameters are ignored.
 */
public final class OneNetQuery {

    private static final int MAX_SID = 64;

    private OneNetQuery() {
    }

    /** The first well-formed {@code s_id} of {@code query}, or null (none, or malformed: then uncapped). */
    public static String sid(String query) {
        int i = query.isEmpty() ? -1 : 0;
        while (i >= 0 && i < query.length()) {
            int amp = query.indexOf('&', i);
            int end = amp < 0 ? query.length() : amp;
            if (query.startsWith("s_id=", i) && wellFormed(query, i + 5, end)) {
                return query.substring(i + 5, end);
            }
            i = amp < 0 ? -1 : amp + 1;
        }
        return null;
    }

    private static boolean wellFormed(String query, int from, int end) {
        int len = end - from;
        if (len < 1 || len > MAX_SID) {
            return false;
        }
        for (int k = from; k < end; k++) {
            char c = query.charAt(k);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static boolean valid(String query) {
        int i = 0;
        int n = query.length();
        while (i < n) {
            int amp = query.indexOf('&', i);
            int end = amp < 0 ? n : amp;
            if (query.startsWith("s_id=", i) && !wellFormed(query, i + 5, end)) {
                return false;
            }
            i = end + 1;
        }
        return true;
    }
}
