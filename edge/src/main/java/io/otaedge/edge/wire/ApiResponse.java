package io.otaedge.edge.wire;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * An answer to a device-API call the edge fronts (not a download): its own type so the exchange
 * meter counts it as {@code kind="api"} and keeps it out of the download timings.
 */
public final class ApiResponse extends DefaultFullHttpResponse {

    ApiResponse(HttpResponseStatus status, ByteBuf content, HttpHeadersFactory headers, HttpHeadersFactory trailers) {
        super(HttpVersion.HTTP_1_1, status, content, headers, trailers);
    }
}
