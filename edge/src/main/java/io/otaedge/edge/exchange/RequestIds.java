package io.otaedge.edge.exchange;

import io.netty.handler.codec.http.HttpRequest;
import io.otaedge.common.logging.RequestId;

/**
 * A request's {@code X-Request-Id} on the edge: the caller's when sane, else one made and set on the request, so
 * that a call forwarded to control and the edge's access line name the same id. Only those two ask: a download
 * that is neither forwarded nor logged costs no id.
 */
public final class RequestIds {

    private RequestIds() {
    }

    public static String of(HttpRequest request) {
        String incoming = request.headers().get(RequestId.HEADER);
        if (RequestId.isSane(incoming)) {
            return incoming;
        }
        String made = RequestId.make();
        request.headers().set(RequestId.HEADER, made);
        return made;
    }
}
