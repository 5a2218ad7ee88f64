package io.otaedge.edge.token;

import io.otaedge.common.token.TokenGrant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * How the edge turns a token into a grant. The stage may complete on any thread (a Lettuce I/O
 * thread, or at once from a cache); callers hop back to their event loop themselves.
 */
@FunctionalInterface
public interface TokenResolver {

    /** The grant, empty when the token is unknown, expired or revoked; fails when the store is unreachable. */
    CompletionStage<Optional<TokenGrant>> find(String token);
}
