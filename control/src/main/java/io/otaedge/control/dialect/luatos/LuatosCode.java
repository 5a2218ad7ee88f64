package io.otaedge.control.dialect.luatos;

/**
 * The Luat platform's own error codes (PROTOCOLS.md), used as the short reason of a refusal. libfota
 * only looks at the status: anything {@code >= 300} means "no upgrade"; the code helps whoever reads logs.
 */
public enum LuatosCode {
    INVALID_DEVICE(3, 400, "invalid device"),
    NO_PERMISSION(17, 403, "no permission"),
    UPGRADE_FORBIDDEN(21, 404, "no upgrade for this device"),
    INVALID_PROJECT(25, 404, "invalid project"),
    INVALID_FIRMWARE(26, 400, "invalid firmware"),
    ALREADY_LATEST(27, 404, "already latest"),
    LOOPING_UPGRADE(40, 409, "looping upgrade blocked"),
    DELTA_NOT_READY(43, 409, "delta package still being generated");

    private final int code;
    private final int status;
    private final String text;

    LuatosCode(int code, int status, String text) {
        this.code = code;
        this.status = status;
        this.text = text;
    }

    public int code() {
        return code;
    }

    /** The HTTP status the device gets; always {@code >= 300}, never a 200 a device would flash. */
    public int status() {
        return status;
    }

    /** {@code "<code> <text>[: detail]"}, the body of the refusal. */
    public String reason(String detail) {
        return code + " " + text + (detail == null ? "" : ": " + detail);
    }
}
