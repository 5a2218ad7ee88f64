package io.otaedge.control.dialect.onenet;

/** The OneNET check's error numbers this service answers with, and their {@code error} text. */
public enum OneNetErrno {
    SUCCESS(0, "succ"),
    AUTH_FAILED(1, "authentication failed"),
    BAD_PARAMETERS(2, "request parameter error"),
    TOKEN_DEVICE_MISMATCH(4, "the token does not belong to this device"),
    INTERNAL(7, "internal error"),
    MANUF_MODEL_MISMATCH(8, "the upgrade task failed: manuf or model does not match"),
    VERSION_MISMATCH(9, "the upgrade task failed: the device version does not match the differential package"),
    NO_TASK(11, "no upgrade task of this type for the device"),
    TOKEN_EXPIRED(12, "the token has expired"),
    INVALID_STATE(17, "the device's upgrade state does not allow this"),
    TASK_FINISHED(20, "the upgrade task is finished"),
    LOGIC_ERROR(21, "logic error"),
    TASK_CANCELLED(22, "the upgrade task was cancelled"),
    BAD_RESULT(24, "bad result"),
    BAD_VERSION_FORMAT(27, "version number format error: only [a-zA-Z0-9_-.], length 1 to 20"),
    NO_DELTA_PACKAGE(32, "there is an upgrade task, but no differential package for the device's version");

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
