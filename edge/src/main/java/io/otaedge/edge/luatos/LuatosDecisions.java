package io.otaedge.edge.luatos;

import io.netty.channel.Channel;
import java.util.concurrent.CompletionStage;

/**
 * How the edge learns whether a LuatOS request gets a firmware. The stage must not block; it may
 * complete on any thread (the caller hops back to its event loop).
 */
@FunctionalInterface
public interface LuatosDecisions {

    /** {@code query} is the device's raw query; {@code requester} the device's channel (its event loop may be used). */
    CompletionStage<LuatosDecision> decide(String query, Channel requester);
}
