package io.otaedge.edge.route;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpRequest;

/**
 * A device-API request with its body read whole, as {@link DeviceApiBodies} hands it on. The body
 * lives on the heap (a few hundred bytes of JSON), so the request needs no reference counting while
 * it waits its turn behind pipelined requests.
 */
public final class DeviceApiRequest extends DefaultHttpRequest {

    private final byte[] body;

    /** {@code body} null: the body was larger than the edge accepts, and was dropped. */
    DeviceApiRequest(HttpRequest head, byte[] body) {
        super(head.protocolVersion(), head.method(), head.uri(), head.headers());
        setDecoderResult(head.decoderResult());
        this.body = body;
    }

    /** The body, or null when it was too large. */
    public byte[] body() {
        return body;
    }
}
