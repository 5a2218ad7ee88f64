package io.otaedge.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An answer as bytes on the wire: the head exactly as sent (so a client's case-sensitive or positional
 * search can be replayed on it) and the body bytes that followed.
 *
 * @param raw     every byte received
 * @param headEnd index of the CRLFCRLF that ends the head
 */
public record RawResponse(byte[] raw, int headEnd, String statusLine, List<String> headerLines, byte[] body) {

    static RawResponse parse(byte[] raw, int headEnd) {
        String head = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n", -1);
        byte[] body = Arrays.copyOfRange(raw, Math.min(raw.length, headEnd + 4), raw.length);
        return new RawResponse(raw, headEnd, lines[0], List.of(Arrays.copyOfRange(lines, 1, lines.length)), body);
    }

    public int status() {
        return Integer.parseInt(statusLine.split(" ", 3)[1]);
    }

    /** The head and body as text (ISO-8859-1, byte for byte), for clients that search the whole answer. */
    public String text() {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** A header's value, its name compared exactly as written (the way case-sensitive device SDKs do). */
    public String headerExact(String name) {
        for (String line : headerLines) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    public String headerIgnoringCase(String name) {
        for (String line : headerLines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** Header names in the order they were sent. */
    public List<String> headerNames() {
        List<String> names = new ArrayList<>();
        for (String line : headerLines) {
            int colon = line.indexOf(':');
            names.add(colon < 0 ? line : line.substring(0, colon));
        }
        return names;
    }

    static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
