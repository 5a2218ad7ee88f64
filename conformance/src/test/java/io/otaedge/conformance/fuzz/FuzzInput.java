package io.otaedge.conformance.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What goes on one connection: one or more requests back to back, and what the server can be held to.
 *
 * @param bytes    everything written, in order
 * @param heads    for each whole request in {@code bytes}, whether it is a HEAD (its answer has no body)
 * @param framing  whether the server can tell where the (last) request ends
 * @param oversize the input is large enough that a server may refuse it and close before reading it all, so a
 *                 reset instead of the refusal is the kernel's doing, not the server's
 * @param label    the mutations applied, for the failure report
 * @param targets  the request targets as generated (a byte flip may still change them on the wire)
 */
record FuzzInput(byte[] bytes, List<Boolean> heads, Framing framing, boolean oversize, String label, List<String> targets) {

    enum Framing {
        /** Every request is whole: each must be answered, unless an answer before it closed the connection. */
        COMPLETE,
        /** The first request is whole, bytes that are no request follow: the first must be answered. */
        TRAILING,
        /** The request is cut short and the client half-closes: an answer is optional, a 5xx or a hang is not. */
        INCOMPLETE
    }

    /**
     * Oversized: more than the 4 KiB request line Netty reads by default (heads: 8 KiB). A server that refuses such a
     * request closes with bytes unread, and the kernel's reset may discard answers already sent before it.
     */
    static final int OVERSIZE = 4 * 1024;

    /** The input as a Java string literal, ready to paste into {@link SocketFuzzRegressionTest}. */
    String javaLiteral() {
        StringBuilder sb = new StringBuilder("\"");
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        int limit = Math.min(s.length(), 2000);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n\"\n + \"");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (s.length() > limit) {
            sb.append("\" /* … ").append(s.length() - limit).append(" more bytes */");
        } else {
            sb.append('"');
        }
        return sb.toString();
    }
}
