package io.otaedge.control.dialect.onenet;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.task.UpgradeType;
import java.util.Map;

/**
 * The check's fields, validated: {@code dev_id} (long), {@code manuf}, {@code model}, {@code type}
 * (1|2), {@code version}, {@code cdn} (boolean, {@link #DEFAULT_CDN} when absent), optional
 * {@code signals} and {@code powers}. Read from the seed's JSON body or from the query string
 * OneNET's own devices use.
 */
public record OneNetCheckRequest(long devId, String manuf, String model, UpgradeType type, String version,
                                 boolean cdn, Integer signals, Integer powers) {

    /**
     * {@code cdn} when the device does not send it, as OneNET's official OTA SDK never does
     * ({@code otaPack_Check_Task}): {@code false}, so {@code ipPort} is an IP address, which a device
     * that resolves names can use as well as one that cannot.
     */
    public static final boolean DEFAULT_CDN = false;

    /** A request that cannot be served, with the errno it earns and what was wrong. */
    public static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final OneNetErrno errno;

        public Invalid(OneNetErrno errno, String message) {
            super(message, null, false, false);
            this.errno = errno;
        }

        public OneNetErrno errno() {
            return errno;
        }
    }

    public static OneNetCheckRequest fromJson(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw bad("the body must be a JSON object");
        }
        return new OneNetCheckRequest(
                devId(text(body.get("dev_id"), "dev_id")),
                required(text(body.get("manuf"), "manuf"), "manuf"),
                required(text(body.get("model"), "model"), "model"),
                type(text(body.get("type"), "type")),
                version(text(body.get("version"), "version")),
                cdn(body.get("cdn") == null || body.get("cdn").isNull() ? null : body.get("cdn").asText()),
                optionalInt(text(body.get("signals"), "signals"), "signals"),
                optionalInt(text(body.get("powers"), "powers"), "powers"));
    }

    public static OneNetCheckRequest fromQuery(Map<String, String> q) {
        return new OneNetCheckRequest(
                devId(q.get("dev_id")),
                required(q.get("manuf"), "manuf"),
                required(q.get("model"), "model"),
                type(q.get("type")),
                version(q.get("version")),
                cdn(q.get("cdn")),
                optionalInt(q.get("signals"), "signals"),
                optionalInt(q.get("powers"), "powers"));
    }

    /** A string or number field as text (devices differ in which they send); null when absent, 2 when an object or array. */
    private static String text(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual() || n.isNumber()) {
            return n.asText();
        }
        throw bad(field + " has the wrong type");
    }

    /** The {@code dev_id} parameter: a non-negative integer, else errno 2. */
    public static long devId(String s) {
        if (s == null || s.isEmpty()) {
            throw bad("dev_id is required");
        }
        try {
            long id = Long.parseLong(s.trim());
            if (id < 0) {
                throw bad("dev_id must not be negative");
            }
            return id;
        } catch (NumberFormatException e) {
            throw bad("dev_id must be an integer");
        }
    }

    private static String required(String s, String field) {
        if (s == null || s.isBlank()) {
            throw bad(field + " is required");
        }
        if (s.length() > 64) {
            throw bad(field + " is longer than 64 characters");
        }
        return s;
    }

    private static UpgradeType type(String s) {
        if (s == null) {
            throw bad("type is required");
        }
        try {
            UpgradeType t = UpgradeType.ofCode(Integer.parseInt(s.trim()));
            if (t != null) {
                return t;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw bad("type must be 1 (FOTA) or 2 (SOTA)");
    }

    private static String version(String s) {
        if (s == null) {
            throw bad("version is required");
        }
        if (!Names.isVersion(s)) {
            throw new Invalid(OneNetErrno.BAD_VERSION_FORMAT, "bad version format");
        }
        return s;
    }

    private static boolean cdn(String s) {
        if (s == null) {
            return DEFAULT_CDN;
        }
        if ("true".equalsIgnoreCase(s)) {
            return true;
        }
        if ("false".equalsIgnoreCase(s)) {
            return false;
        }
        throw bad("cdn must be true or false");
    }

    private static Integer optionalInt(String s, String field) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            throw bad(field + " must be an integer");
        }
    }

    /** A malformed request (errno 2) with what was wrong. */
    public static Invalid invalid(String message) {
        return bad(message);
    }

    private static Invalid bad(String message) {
        return new Invalid(OneNetErrno.BAD_PARAMETERS, message);
    }
}
