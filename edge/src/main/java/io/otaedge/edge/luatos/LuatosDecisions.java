package io.otaedge.edge.luatos;

import io.netty.channel.Channel;
import java.util.concurrent.CompletionStage;

/**
 * How the edge learns whether a LuatOS request gets a firmware. The stage must not block; it may
 * complete on any thread (the caller hops back to its event loop).
 */
@FunctionalInterface
public interface LuatosDecisions {

    /**
     * {@code query} is the device's raw query; {@code resumeFrom} the first byte of the device's Range
     * when it resumes a download (above 0: the decision keeps the grant the device was downloading),
     * 0 for a fresh request; {@code requester} the device's channel (its event loop may be used).
     */
    CompletionStage<LuatosDecision> decide(String query, long resumeFrom, Channel requester);
}
