package io.otaedge.common.logging;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code X-Request-Id} both services agree on: a caller's own id is kept when it is sane (at most
 * {@value #MAX_LENGTH} characters of letters, digits and {@code . _ : -}: nothing that could forge a log field or
 * a header), else one is made. The edge sends the id of a call it forwards to control, so both access logs name
 * the same id. Made ids are 16 base62 characters from a fast non-cryptographic generator: they correlate log
 * lines, they guard nothing.
 */
public final class RequestId {

    public static final String HEADER = "X-Request-Id";
    static final int MAX_LENGTH = 64;
    private static final int LENGTH = 16;
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private RequestId() {
    }

    /** {@code incoming} when it is sane, else a new id. */
    public static String acceptOrMake(String incoming) {
        return isSane(incoming) ? incoming : make();
    }

    public static boolean isSane(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static String make() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            id[i] = BASE62[random.nextInt(BASE62.length)];
        }
        return new String(id);
    }
}
