package io.otaedge.edge.route;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.CompletionStage;

/**
 * A device API the edge fronts for devices configured with one host (OneNET's): the calls on
 * {@link Route.Kind#DEVICE_API} paths are answered by whoever implements this, the download paths
 * by the edge itself.
 */
public interface DeviceApi extends AutoCloseable {

    /**
     * Answers one call, completing on {@code requester}'s event loop. Never fails: when the service
     * behind cannot answer, the reply is the dialect's own internal-error answer.
     *
     * @param body the request body, or null when it was larger than the edge accepts
     */
    CompletionStage<Reply> forward(HttpRequest request, byte[] body, Channel requester);

    @Override
    default void close() {
    }

    /**
     * What the device gets: status, {@code Content-Type}, body and {@code Retry-After} (null: none); the
     * edge adds the rest of the head. {@code misconfiguration} is set when the service behind refused the
     * edge itself (its credentials or address are wrong): what to fix, for the operator's log.
     */
    record Reply(int status, CharSequence contentType, byte[] body, String retryAfter, String misconfiguration) {

        public Reply(int status, CharSequence contentType, byte[] body) {
            this(status, contentType, body, null, null);
        }

        /** This reply, sent because the service behind refused the edge; {@code fix} says what to correct. */
        public Reply misconfigured(String fix) {
            return new Reply(status, contentType, body, retryAfter, fix);
        }
    }
}
