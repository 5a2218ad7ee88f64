package io.otaedge.edge.route;

/**
 * The query of a OneNET download: only {@code s_id} (base-station id) is defined; the edge does
 * not use it but refuses a malformed one with OneNET's code 5, as the platform does. Other
 * parameters are ignored.
 */
public final class OneNetQuery {

    private static final int MAX_SID = 64;

    private OneNetQuery() {
    }

    public static boolean valid(String query) {
        int i = 0;
        int n = query.length();
        while (i < n) {
            int amp = query.indexOf('&', i);
            int end = amp < 0 ? n : amp;
            if (query.startsWith("s_id=", i)) {
                int len = end - i - 5;
                if (len < 1 || len > MAX_SID) {
                    return false;
                }
                for (int k = i + 5; k < end; k++) {
                    char c = query.charAt(k);
                    boolean ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
                    if (!ok) {
                        return false;
                    }
                }
            }
            i = end + 1;
        }
        return true;
    }
}
