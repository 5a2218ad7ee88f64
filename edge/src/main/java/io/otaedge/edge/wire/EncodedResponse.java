package io.otaedge.edge.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A response the edge encoded itself, written instead of an {@code HttpResponse}: either a whole
 * response (head and a small body in one buffer; nothing follows) or only its head (the body and a
 * {@code LastHttpContent} follow as their own writes). {@link EdgeServerCodec} sends the bytes to
 * the transport unchanged. It carries its status and body size so that handlers between the
 * download handler and the codec (the meters) can still tell what passes. Owns its buffer until
 * written.
 */
public final class EncodedResponse extends DefaultByteBufHolder {

    private final int status;
    private final long bodyBytes;
    private final boolean whole;

    private EncodedResponse(int status, ByteBuf bytes, long bodyBytes, boolean whole) {
        super(bytes);
        this.status = status;
        this.bodyBytes = bodyBytes;
        this.whole = whole;
    }

    /** Only a head: its body and a {@code LastHttpContent} are written next. */
    public static EncodedResponse head(int status, ByteBuf head) {
        return new EncodedResponse(status, head, 0, false);
    }

    /** A whole response: the head and then {@code bodyBytes} of body, all in {@code bytes}. */
    public static EncodedResponse whole(int status, ByteBuf bytes, long bodyBytes) {
        return new EncodedResponse(status, bytes, bodyBytes, true);
    }

    /** The response's status code. */
    public int status() {
        return status;
    }

    /** True when nothing of this response follows: it is its own last write. */
    public boolean isWhole() {
        return whole;
    }

    /** Body bytes inside the buffer (0 for a head). */
    public long bodyBytes() {
        return bodyBytes;
    }
}
