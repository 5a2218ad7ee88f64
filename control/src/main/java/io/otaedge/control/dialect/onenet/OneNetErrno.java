package io.otaedge.control.dialect.onenet;

/** The OneNET check's error numbers this service answers with, and their {@code error} text. */
public enum OneNetErrno {
    SUCCESS(0, "succ"),
    AUTH_FAILED(1, "authentication failed"),
    BAD_PARAMETERS(2, "request parameter error"),
    INTERNAL(7, "internal error"),
    NO_TASK(11, "no upgrade task of this type for the device"),
    BAD_VERSION_FORMAT(27, "version number format error: only [a-zA-Z0-9_-.], length 1 to 20");

    private final int code;
    private final String text;

    OneNetErrno(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }
}
