package io.otaedge.edge.download;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import io.otaedge.edge.route.DeviceApi;
import io.otaedge.edge.route.DeviceApiRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * OneNET's device API behind the edge: the call goes to the service behind with the body
 * {@link io.otaedge.edge.route.DeviceApiBodies} gathered, and {@link DeviceApi} promises a reply for it.
 */
final class DeviceApiRelay {

    private DeviceApiRelay() {
    }

    /** The reply to {@code req}; a call that throws instead becomes a failed stage. */
    static CompletionStage<DeviceApi.Reply> call(DeviceApi api, HttpRequest req, Channel requester) {
        byte[] body = req instanceof DeviceApiRequest whole ? whole.body() : new byte[0];
        try {
            return api.forward(req, body, requester);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The reply, or (a failed stage, a bug of the API, answered like any other) an exception. */
    static DeviceApi.Reply replyOf(DeviceApi.Reply r, Throwable error) {
        if (r == null) {
            throw new IllegalStateException("the device API failed instead of answering", error);
        }
        return r;
    }
}
