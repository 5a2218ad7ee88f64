package io.otaedge.conformance.fuzz;

import io.otaedge.conformance.fuzz.FuzzInput.Framing;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mutations of real device requests, driven by one seeded random source so a seed replays the same inputs.
 * Most mutations keep the request whole (header names and values, request line, target, percent-escapes,
 * body with a true {@code Content-Length}, chunked bodies, line ends, many or huge headers); a few change where
 * it ends (truncation, a wrong {@code Content-Length}, bytes after it) and say so in {@link Framing}.
 */
final class Mutator {

    private static final String[] HEADER_NAMES = {"Range", "If-Range", "If-Match", "If-None-Match",
            "If-Modified-Since", "If-Unmodified-Since", "Content-Type", "Expect", "Connection", "Host",
            "Authorization", "Accept-Encoding", "Upgrade", "Device-Id", "Client-Id", "User-Agent",
            "Activation-Version", "Serial-Number", "Cookie", "X-Forwarded-For", "Accept", "Keep-Alive", "TE",
            "Trailer", "Proxy-Connection", "Content-Encoding", "Origin", "Forwarded", "Cache-Control"};
    private static final String[] VALUES = {"", " ", "0", "-1", "1", "2147483648", "9223372036854775807",
            "9223372036854775808", "99999999999999999999999", "1e309", "0x10", "+1", "1.5", "NaN", "null",
            "true", "%", "%00", "%zz", "%e9", "%C3%A9", "\u00e9", "\u00ff\u00fe", "../..", "{}", "[]", "a|b",
            "*", "\"", "W/\"x\"", "\"abc\"", "\"abc\", W/\"d\"", "close", "keep-alive", "chunked", "gzip",
            "100-continue", "h2c", "text/plain", "application/json", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "bytes=0-0", "bytes=-0", "bytes=0-", "bytes=-1", "bytes=5-1",
            "bytes=0-1,2-3,4-5,6-7", "bytes=99999999999999999999-", "0-99", "bytes = 0 - 1", "items=0-1",
            "bytes=-99999999999999999999", "bytes=,,,", "bytes=1-2-3", "Thu, 01 Jan 1970 00:00:00 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
            "Mon, 31 Feb 2100 25:61:61 GMT", "version=2018-10-31&res=products%2Fp&et=1&method=sha1&sign=%",
            "Bearer ", "Bearer x", "Basic Og==", "00:11:22:33:44:55", "board/1.0", "1", "2",
            "ota_AAAAAAAAAAAAAAAAAAAA", "\t", "a\u0000b", "\u007f", "=", "&", "?", ";", ",", "\\"};
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE",
            "CONNECT", "PATCH", "get", "Get", "PRI", "FOO", "G ET", "", "GETGETGETGETGETGETGETGETGETGETGETGET",
            "\u00c7ET"};
    private static final String[] VERSIONS = {"HTTP/1.0", "HTTP/1.2", "HTTP/2.0", "HTTP/0.9", "http/1.1",
            "HTTP/1", "HTTP/1.1 extra", "HTTP/1.1 ", "", "HTTP/11", "HTTP/1.1\u0000", "HTTP/9.9", "ICAP/1.0"};
    private static final String[] PATH_BITS = {"%", "%2", "%G1", "%zz", "%00", "%2F", "%2e%2e", "%e9%",
            "%C3%A9", "%ff", "{}", "{", "}", "|", "\\", "^", "`", "\"", "<>", "[", "]", "..", ".", "//", ";",
            ";x=1", "#frag", "?", "??", "&", "=", "+", "\u00e9", "\u0001", "\u007f", "~", "!$'()*,", "@", ":"};

    private final SplittableRandom random;

    Mutator(SplittableRandom random) {
        this.random = random;
    }

    /** One request: 1–3 mutations that keep it whole, then, sometimes, one that changes where it ends. */
    FuzzInput single(WireRequest seed, boolean mayBreakFraming) {
        WireRequest r = seed.copy();
        List<String> label = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            label.add(mutate(r));
        }
        byte[] bytes = r.bytes();
        Framing framing = Framing.COMPLETE;
        if (label.contains("removeContentLength")) {
            framing = Framing.TRAILING;
        }
        if (label.contains("chunkedUnfinished") || label.contains("conflictingLengths")) {
            framing = Framing.INCOMPLETE;
        }
        if (mayBreakFraming && framing == Framing.COMPLETE && random.nextInt(6) == 0) {
            switch (random.nextInt(5)) {
                case 0 -> {
                    bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
                    framing = Framing.INCOMPLETE;
                    label.add("truncate");
                }
                case 1 -> {
                    bytes = concat(bytes, randomBytes(1 + random.nextInt(200), true).getBytes(StandardCharsets.ISO_8859_1));
                    framing = Framing.TRAILING;
                    label.add("trailingBytes");
                }
                case 2 -> {
                    r.set("Content-Length", Integer.toString(r.body.length + 1 + random.nextInt(5000)));
                    bytes = r.bytes();
                    framing = Framing.INCOMPLETE;
                    label.add("contentLengthLonger");
                }
                case 3 -> {
                    if (r.body.length > 0 && r.header("Transfer-Encoding") < 0) {
                        r.set("Content-Length", Integer.toString(random.nextInt(r.body.length)));
                        bytes = r.bytes();
                        framing = Framing.TRAILING;
                        label.add("contentLengthShorter");
                    }
                }
                default -> {
                    bytes = flipHeadBytes(bytes);
                    label.add("flipBytes");
                }
            }
        }
        if (label.contains("bareLf")) {
            bytes = bareLineFeeds(bytes);
        }
        return new FuzzInput(bytes, List.of(isHead(bytes)), framing, bytes.length > FuzzInput.OVERSIZE, String.join("+", label),
                List.of(r.target));
    }

    /** 2–4 whole requests written back to back before any answer is read. */
    FuzzInput pipelined(List<WireRequest> seeds) {
        int n = 2 + random.nextInt(3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Boolean> heads = new ArrayList<>();
        List<String> label = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            WireRequest seed = seeds.get(random.nextInt(seeds.size()));
            FuzzInput one = random.nextInt(3) == 0 ? plain(seed) : single(seed, false);
            if (one.framing() != Framing.COMPLETE) {
                one = plain(seed);
            }
            out.writeBytes(one.bytes());
            heads.add(one.heads().get(0));
            targets.addAll(one.targets());
            label.add(one.label());
        }
        byte[] bytes = out.toByteArray();
        return new FuzzInput(bytes, heads, Framing.COMPLETE, bytes.length > FuzzInput.OVERSIZE,
                "pipeline[" + String.join(", ", label) + "]", targets);
    }

    static FuzzInput plain(WireRequest seed) {
        byte[] bytes = seed.bytes();
        return new FuzzInput(bytes, List.of(isHead(bytes)), Framing.COMPLETE, false, "none", List.of(seed.target));
    }

    /** One mutation that keeps the request whole; returns its name. */
    private String mutate(WireRequest r) {
        switch (random.nextInt(20)) {
            case 0, 1, 2: {
                int i = editableHeader(r);
                if (i < 0) {
                    return mutate(r);
                }
                r.headers.get(i)[1] = value();
                return "value(" + r.headers.get(i)[0] + ")";
            }
            case 3: {
                int i = editableHeader(r);
                if (i < 0) {
                    return mutate(r);
                }
                r.headers.get(i)[1] = tweak(r.headers.get(i)[1]);
                return "tweakValue(" + r.headers.get(i)[0] + ")";
            }
            case 4: {
                int i = editableHeader(r);
                if (i < 0) {
                    return mutate(r);
                }
                String name = r.headers.get(i)[0];
                r.headers.get(i)[0] = switch (random.nextInt(6)) {
                    case 0 -> name.toLowerCase();
                    case 1 -> name.toUpperCase();
                    case 2 -> name + " ";
                    case 3 -> "";
                    case 4 -> name.substring(0, random.nextInt(name.length() + 1)) + controlChar() + "x";
                    default -> name + "x".repeat(random.nextInt(20_000));
                };
                return "name(" + name + ")";
            }
            case 5: {
                if (r.headers.isEmpty()) {
                    return mutate(r);
                }
                String[] h = r.headers.get(random.nextInt(r.headers.size()));
                if (h[0].equalsIgnoreCase("Content-Length")) {
                    // Two different lengths: HTTP/1.1 refuses them, HTTP/1.0 may take either, so where it ends is unknown.
                    boolean differ = random.nextBoolean();
                    r.headers.add(random.nextInt(r.headers.size() + 1), new String[] {h[0], differ ? h[1] + "0" : h[1]});
                    return differ ? "conflictingLengths" : "duplicate(Content-Length)";
                }
                String value = random.nextBoolean() ? h[1] : value();
                r.headers.add(random.nextInt(r.headers.size() + 1), new String[] {h[0], value});
                return "duplicate(" + h[0] + ")";
            }
            case 6: {
                if (r.headers.isEmpty()) {
                    return mutate(r);
                }
                int i = random.nextInt(r.headers.size());
                if (r.headers.get(i)[0].equalsIgnoreCase("Content-Length") && r.body.length > 0) {
                    r.headers.remove(i);
                    return "removeContentLength";
                }
                r.headers.remove(i);
                return "remove";
            }
            case 7: {
                String name = HEADER_NAMES[random.nextInt(HEADER_NAMES.length)];
                r.headers.add(random.nextInt(r.headers.size() + 1), new String[] {name, value()});
                return "add(" + name + ")";
            }
            case 8: {
                int count = 50 + random.nextInt(random.nextBoolean() ? 200 : 3000);
                for (int i = 0; i < count; i++) {
                    r.headers.add(new String[] {"X-Fuzz-" + i, Integer.toString(i)});
                }
                return "manyHeaders(" + count + ")";
            }
            case 9:
                r.method = METHODS[random.nextInt(METHODS.length)];
                return "method(" + r.method + ")";
            case 10:
                r.version = VERSIONS[random.nextInt(VERSIONS.length)];
                return "version(" + r.version + ")";
            case 11, 12, 13:
                r.target = target(r.target);
                return "target";
            case 14, 15:
                if ((r.body.length == 0 && random.nextBoolean()) || r.header("Transfer-Encoding") >= 0) {
                    return mutate(r);
                }
                r.body(body(r.body));
                return "body";
            case 16:
                return chunked(r);
            case 17:
                r.set("Expect", "100-continue");
                return "expectContinue";
            case 18:
                switch (random.nextInt(3)) {
                    case 0:
                        return "bareLf";
                    case 1:
                        r.method = "\r\n\r\n" + r.method;
                        return "leadingBlankLines";
                    default:
                        int i = editableHeader(r);
                        if (i < 0) {
                            return mutate(r);
                        }
                        r.headers.get(i)[1] = r.headers.get(i)[1] + "\r\n " + randomPrintable(random.nextInt(20));
                        return "obsFold";
                }
            default:
                if (random.nextBoolean()) {
                    r.version = "HTTP/1.0";
                } else {
                    r.set("Connection", random.nextBoolean() ? "close" : "keep-alive, Upgrade");
                }
                return "closeOrUpgrade";
        }
    }

    /** A header that is not part of the framing (Content-Length, Transfer-Encoding), or -1. */
    private int editableHeader(WireRequest r) {
        List<Integer> ok = new ArrayList<>();
        for (int i = 0; i < r.headers.size(); i++) {
            String name = r.headers.get(i)[0];
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Transfer-Encoding")) {
                ok.add(i);
            }
        }
        return ok.isEmpty() ? -1 : ok.get(random.nextInt(ok.size()));
    }

    private String value() {
        return switch (random.nextInt(8)) {
            case 0 -> randomPrintable(1 + random.nextInt(100));
            case 1 -> randomBytes(1 + random.nextInt(100), false);
            case 2 -> huge();
            case 3 -> utf8AsLatin1("\u4e2d\u6587 \u2603 " + randomPrintable(5));
            default -> VALUES[random.nextInt(VALUES.length)];
        };
    }

    private String huge() {
        int[] sizes = {1_000, 8_000, 9_000, 20_000, 70_000};
        char c = (char) ('a' + random.nextInt(26));
        return String.valueOf(c).repeat(sizes[random.nextInt(sizes.length)]);
    }

    private String tweak(String s) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = sb.length() == 0 ? 0 : random.nextInt(sb.length() + 1);
            switch (random.nextInt(4)) {
                case 0 -> sb.insert(at, randomChar(false));
                case 1 -> {
                    if (at < sb.length()) {
                        sb.deleteCharAt(at);
                    }
                }
                case 2 -> {
                    if (at < sb.length()) {
                        sb.setCharAt(at, randomChar(false));
                    }
                }
                default -> sb.insert(at, VALUES[random.nextInt(VALUES.length)]);
            }
        }
        return sb.toString();
    }

    private String target(String t) {
        switch (random.nextInt(12)) {
            case 0, 1, 2: {
                int at = random.nextInt(t.length() + 1);
                return t.substring(0, at) + PATH_BITS[random.nextInt(PATH_BITS.length)] + t.substring(at);
            }
            case 3:
                return tweak(t);
            case 4:
                return t + (t.contains("?") ? "&" : "?") + "p=" + "x".repeat(random.nextInt(70_000));
            case 5:
                return "http://" + (random.nextBoolean() ? "127.0.0.1:1" : "") + t;
            case 6:
                return new String[] {"*", "", "/", "//", "?", "http://", "http:///", "/" + "a/".repeat(5000)}[random.nextInt(8)];
            case 7: {
                int q = t.indexOf('?');
                if (q < 0) {
                    return t + "?" + VALUES[random.nextInt(VALUES.length)];
                }
                String[] params = t.substring(q + 1).split("&", -1);
                int i = random.nextInt(params.length);
                int eq = params[i].indexOf('=');
                String name = eq < 0 ? params[i] : params[i].substring(0, eq);
                params[i] = switch (random.nextInt(5)) {
                    case 0 -> name + "=" + percentEncode(VALUES[random.nextInt(VALUES.length)]);
                    case 1 -> name;
                    case 2 -> "";
                    case 3 -> params[i] + "&" + params[i];
                    default -> name + "=" + percentEncode(randomPrintable(random.nextInt(100)));
                };
                return t.substring(0, q + 1) + String.join("&", params);
            }
            case 8: {
                int q = t.indexOf('?');
                StringBuilder sb = new StringBuilder(t).append(q < 0 ? "?" : "&");
                int n = 100 + random.nextInt(3000);
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : "&").append("k").append(i).append('=').append(i);
                }
                return sb.toString();
            }
            case 9:
                return t.replace("/", random.nextBoolean() ? "%2F" : "\\");
            case 10:
                return t + "#" + randomPrintable(10);
            default:
                return utf8AsLatin1(t + "/\u00e9\u4e2d");
        }
    }

    private byte[] body(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return switch (random.nextInt(10)) {
            case 0 -> new byte[0];
            case 1 -> randomBytes(1 + random.nextInt(500), true).getBytes(StandardCharsets.ISO_8859_1);
            case 2 -> Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length));
            case 3 -> nested(10 + random.nextInt(random.nextBoolean() ? 100 : 5000)).getBytes(StandardCharsets.US_ASCII);
            case 4 -> ("{\"k\":\"" + "x".repeat(random.nextInt(200_000)) + "\"}").getBytes(StandardCharsets.US_ASCII);
            case 5 -> concat(b, new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xff, 0});
            case 6 -> ("[" + "1,".repeat(random.nextInt(50_000)) + "1]").getBytes(StandardCharsets.US_ASCII);
            default -> jsonValueSwap(s).getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Replaces one JSON value (after a {@code :}) with a value of another type or shape. */
    private String jsonValueSwap(String s) {
        List<Integer> colons = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ':' || s.charAt(i) == '=') {
                colons.add(i);
            }
        }
        if (colons.isEmpty()) {
            return s + VALUES[random.nextInt(VALUES.length)];
        }
        int at = colons.get(random.nextInt(colons.size())) + 1;
        int end = at;
        int depth = 0;
        boolean inString = false;
        while (end < s.length()) {
            char c = s.charAt(end);
            if (inString) {
                if (c == '\\') {
                    end++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if ((c == ',' || c == '&') && depth == 0) {
                break;
            }
            end++;
        }
        String[] replacements = {"null", "true", "0", "-1", "1e400", "-0.0", "99999999999999999999999999",
                "\"\"", "\"x\"", "{}", "[]", "[1,\"a\",null]", "{\"a\":{\"b\":[]}}", "\"\\u0000\"", "\"\\ud800\"",
                "\"" + "y".repeat(5000) + "\"", "\"%zz\"", "\"2147483648\"", "\"-5\"", "NaN", "\"\u4e2d\""};
        return s.substring(0, at) + replacements[random.nextInt(replacements.length)] + s.substring(Math.min(end, s.length()));
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    /** A chunked body: well formed, with odd chunk syntax, or (for the framing) never finished. */
    private String chunked(WireRequest r) {
        int cl = r.header("Content-Length");
        boolean keepLength = random.nextInt(4) == 0;
        if (cl >= 0 && !keepLength) {
            r.headers.remove(cl);
        }
        r.set("Transfer-Encoding", random.nextInt(5) == 0 ? "gzip, chunked" : "chunked");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = r.body;
        int kind = random.nextInt(5);
        int i = 0;
        while (i < b.length) {
            int n = Math.min(b.length - i, 1 + random.nextInt(50));
            String size = Integer.toHexString(n);
            String line = switch (kind) {
                case 1 -> size + ";ext=1";
                case 2 -> "0" + size.toUpperCase();
                case 3 -> size + "zz";
                default -> size;
            };
            out.writeBytes((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            i += n;
        }
        if (kind == 4) {
            r.body = out.toByteArray();
            return "chunkedUnfinished";
        }
        out.writeBytes((random.nextBoolean() ? "0\r\n\r\n" : "0\r\nX-Trailer: 1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        r.body = out.toByteArray();
        return keepLength && cl >= 0 ? "chunkedWithLength" : "chunked" + (kind == 0 ? "" : "Odd" + kind);
    }

    /** Changes 1–8 bytes of the head, never a CR or LF and never to one, and not in the framing headers. */
    private byte[] flipHeadBytes(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        int headEnd = headEnd(s);
        if (headEnd <= 0) {
            return bytes;
        }
        byte[] out = bytes.clone();
        String lower = s.substring(0, headEnd).toLowerCase();
        int flips = 1 + random.nextInt(8);
        for (int f = 0; f < flips; f++) {
            int at = random.nextInt(headEnd);
            int lineStart = lower.lastIndexOf('\n', at) + 1;
            if (out[at] == '\r' || out[at] == '\n' || lower.startsWith("content-length", lineStart)
                    || lower.startsWith("transfer-encoding", lineStart)) {
                continue;
            }
            out[at] = (byte) randomChar(true);
        }
        return out;
    }

    /** The head's CRLFs as bare LFs (a server must accept them, RFC 9112 §2.2); the body is left alone. */
    private static byte[] bareLineFeeds(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        int headEnd = headEnd(s);
        if (headEnd < 0) {
            return bytes;
        }
        return (s.substring(0, headEnd + 4).replace("\r\n", "\n") + s.substring(headEnd + 4)).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Where the head's blank line starts, blank lines before the request line skipped; -1 if none. */
    private static int headEnd(String s) {
        int from = 0;
        while (from < s.length() && (s.charAt(from) == '\r' || s.charAt(from) == '\n')) {
            from++;
        }
        return s.indexOf("\r\n\r\n", from);
    }

    private char controlChar() {
        char c = (char) random.nextInt(32);
        return c == '\r' || c == '\n' ? '\u0001' : c;
    }

    private String randomPrintable(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) (0x21 + random.nextInt(0x5e)));
        }
        return sb.toString();
    }

    /** {@code n} bytes as Latin-1 chars; never CR or LF unless {@code anything}. */
    private String randomBytes(int n, boolean anything) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(anything ? (char) random.nextInt(256) : randomChar(true));
        }
        return sb.toString();
    }

    private char randomChar(boolean anyByte) {
        while (true) {
            char c = anyByte ? (char) random.nextInt(256) : (char) (0x20 + random.nextInt(0x5f));
            if (c != '\r' && c != '\n') {
                return c;
            }
        }
    }

    private static String utf8AsLatin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String percentEncode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Whether the request in {@code bytes} is a HEAD, read as a server does (leading blank lines skipped). */
    static boolean isHead(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && (bytes[i] == '\r' || bytes[i] == '\n' || bytes[i] == ' ' || bytes[i] == '\t')) {
            i++;
        }
        return bytes.length - i >= 5 && new String(bytes, i, 5, StandardCharsets.ISO_8859_1).equals("HEAD ");
    }
}
