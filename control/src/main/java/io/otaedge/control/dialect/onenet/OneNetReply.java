package io.otaedge.control.dialect.onenet;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** The check's envelope, {@code {"errno","error","data"}}, always with all three keys. */
@JsonPropertyOrder({"errno", "error", "data"})
public record OneNetReply(int errno, String error, Object data) {

    /**
     * The seed's data block, its fields in the order AT-command firmware reads them with one {@code sscanf}
     * ({@code target":"%[^"]","token":"%[^"]","size":%d,"md5":"%[^"]",}: no spaces, {@code md5} right after
     * {@code size}). {@code type} 1 = complete package.
     */
    @JsonPropertyOrder({"target", "token", "size", "md5", "signal", "power", "retry", "interval", "ipPort", "type"})
    public record TaskData(String target, String token, long size, String md5, int signal, int power, int retry,
                           int interval, String ipPort, int type) {
    }

    public static OneNetReply success(TaskData data) {
        return new OneNetReply(OneNetErrno.SUCCESS.code(), OneNetErrno.SUCCESS.text(), data);
    }

    /** Success with a call's own data block. */
    public static OneNetReply ok(Object data) {
        return new OneNetReply(OneNetErrno.SUCCESS.code(), OneNetErrno.SUCCESS.text(), data);
    }

    /** An error: {@code data} is an empty object so clients that always read it find one. */
    public static OneNetReply error(OneNetErrno errno) {
        return new OneNetReply(errno.code(), errno.text(), Map.of());
    }
}
