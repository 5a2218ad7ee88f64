package io.otaedge.control.dialect.onenet;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OneNET's {@code Authorization} token:
 * {@code version=2018-10-31&res=products%2F{pid}[%2Fdevices%2F{name}]&et={unix expiry}&method={md5|sha1|sha256}&sign={…}}
 * with {@code sign = base64(HMAC-<method>(base64decode(accessKey), et + "\n" + method + "\n" + res + "\n" + version))},
 * every value URL-encoded.
 */
public final class OneNetAuthorization {

    public static final String VERSION = "2018-10-31";

    private static final Pattern RES = Pattern.compile("products/([^/]+)(?:/devices/([^/]+))?");

    /** The header's parts, decoded; {@code productId} and {@code deviceName} come from {@code res}. */
    public record Parsed(String version, String res, long et, String method, String sign,
                         String productId, String deviceName) {
    }

    private OneNetAuthorization() {
    }

    /** The full header value for {@code res}, valid until {@code expiresAtEpochSeconds}. */
    public static String sign(String accessKeyBase64, String res, long expiresAtEpochSeconds, String method) {
        String m = method.toLowerCase(Locale.ROOT);
        String sign = signature(accessKeyBase64, res, expiresAtEpochSeconds, m);
        return "version=" + enc(VERSION) + "&res=" + enc(res) + "&et=" + expiresAtEpochSeconds
                + "&method=" + enc(m) + "&sign=" + enc(sign);
    }

    /** The device a {@code res} names ({@code products/{pid}/devices/{name}}); null for a product's or another shape. */
    public static String deviceName(String res) {
        Matcher m = RES.matcher(res);
        return m.matches() ? m.group(2) : null;
    }

    /** The header's fields when it has OneNET's shape (known version and method, a product in res); else empty. */
    public static Optional<Parsed> parse(String header) {
        if (header == null || header.isBlank() || header.length() > 1024) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (String part : header.trim().split("&")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            String value = dec(part.substring(eq + 1));
            if (value == null || fields.put(part.substring(0, eq), value) != null) {
                return Optional.empty();
            }
        }
        String version = fields.get("version");
        String res = fields.get("res");
        String et = fields.get("et");
        String method = fields.get("method");
        String sign = fields.get("sign");
        if (!VERSION.equals(version) || res == null || et == null || method == null || sign == null
                || algorithm(method) == null) {
            return Optional.empty();
        }
        Matcher m = RES.matcher(res);
        if (!m.matches()) {
            return Optional.empty();
        }
        long expiry;
        try {
            expiry = Long.parseLong(et);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(version, res, expiry, method, sign, m.group(1), m.group(2)));
    }

    /** True when the header is well-formed, not expired at {@code nowEpochSeconds} and signed with this key. */
    public static boolean verify(String header, String accessKeyBase64, long nowEpochSeconds) {
        return parse(header).map(p -> verify(p, accessKeyBase64, nowEpochSeconds)).orElse(false);
    }

    public static boolean verify(Parsed p, String accessKeyBase64, long nowEpochSeconds) {
        if (p.et() < nowEpochSeconds) {
            return false;
        }
        String expected = signature(accessKeyBase64, p.res(), p.et(), p.method());
        // Constant time: the signature must not leak through response timing.
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), p.sign().getBytes(StandardCharsets.UTF_8));
    }

    private static String signature(String accessKeyBase64, String res, long et, String method) {
        String algorithm = algorithm(method);
        if (algorithm == null) {
            throw new IllegalArgumentException("method must be md5, sha1 or sha256, not " + method);
        }
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(accessKeyBase64), algorithm));
            String toSign = et + "\n" + method + "\n" + res + "\n" + VERSION;
            return Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    private static String algorithm(String method) {
        return switch (method.toLowerCase(Locale.ROOT)) {
            case "md5" -> "HmacMD5";
            case "sha1" -> "HmacSHA1";
            case "sha256" -> "HmacSHA256";
            default -> null;
        };
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Percent-decoding that keeps a raw '+' (some clients leave base64's '+' unencoded); null when malformed. */
    private static String dec(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
