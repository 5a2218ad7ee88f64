package io.otaedge.edge.grant;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import io.otaedge.common.token.DownloadToken;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.logging.LogThrottle;
import io.otaedge.edge.route.Route;
import io.otaedge.edge.token.TokenResolver;
import io.otaedge.edge.wire.EdgeError;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grants from download tokens: the route's last segment looked up in the token store (through the local
 * cache and its meters). An unknown, expired or malformed token is {@link EdgeError#TOKEN_NOT_FOUND}; a store
 * that cannot answer is {@link EdgeError#TOKEN_STORE_UNAVAILABLE}.
 *
 * <p>The hot path, a token the cache holds, allocates nothing here: its lookup is an already completed
 * future, read at once on the event loop instead of through a callback and a hop.
 */
public final class TokenGrants implements GrantSource {

    private static final Logger log = LoggerFactory.getLogger(TokenGrants.class);
    private static final LogThrottle STORE_LOG = new LogThrottle(10, TimeUnit.SECONDS);

    private final TokenResolver tokens;
    private final GrantedBlobs blobs;

    public TokenGrants(TokenResolver tokens, GrantedBlobs blobs) {
        this.tokens = tokens;
        this.blobs = blobs;
    }

    @Override
    public void find(Route route, HttpRequest req, Channel requester, GrantReceiver to) {
        String token = route.token();
        if (!DownloadToken.isWellFormed(token)) {
            to.refuse(EdgeError.TOKEN_NOT_FOUND);
            return;
        }
        CompletionStage<Optional<TokenGrant>> lookup;
        try {
            lookup = tokens.find(token);
        } catch (RuntimeException e) {
            storeFailed(e, to);
            return;
        }
        if (lookup instanceof CompletableFuture<Optional<TokenGrant>> now && now.isDone()
                && !now.isCompletedExceptionally()) {
            found(now.join(), to);
            return;
        }
        lookup.whenComplete((grant, error) -> to.resume(() -> {
            if (error != null) {
                storeFailed(error, to);
            } else {
                found(grant, to);
            }
        }));
    }

    private void found(Optional<TokenGrant> grant, GrantReceiver to) {
        if (grant.isEmpty()) {
            to.refuse(EdgeError.TOKEN_NOT_FOUND);
            return;
        }
        blobs.open(grant.get(), to);
    }

    private static void storeFailed(Throwable error, GrantReceiver to) {
        if (STORE_LOG.allow()) {
            log.warn("token lookup failed, answering 503", error);
        }
        to.refuse(EdgeError.TOKEN_STORE_UNAVAILABLE);
    }
}
