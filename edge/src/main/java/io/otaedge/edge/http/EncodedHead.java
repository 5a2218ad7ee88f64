package io.otaedge.edge.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A response head the edge encoded itself (status line, headers, the blank line), written
 * instead of an {@code HttpResponse}: {@link EdgeServerCodec} sends its bytes to the transport
 * unchanged, and the body and {@code LastHttpContent} that follow it likewise. It carries its
 * status so that handlers between the download handler and the codec (the meters) can still tell
 * what kind of answer passes. Owns its buffer until written.
 */
public final class EncodedHead extends DefaultByteBufHolder {

    private final int status;

    public EncodedHead(int status, ByteBuf bytes) {
        super(bytes);
        this.status = status;
    }

    /** The response's status code. */
    public int status() {
        return status;
    }
}
