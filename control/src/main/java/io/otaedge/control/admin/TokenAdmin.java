package io.otaedge.control.admin;

import io.otaedge.control.http.ApiException;
import io.otaedge.control.token.TokenIssuer;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/** {@code DELETE /admin/v1/tokens/{token}}: the edge stops honouring the token at once (after its short local cache). */
public final class TokenAdmin {

    private final TokenIssuer tokens;

    public TokenAdmin(TokenIssuer tokens) {
        this.tokens = tokens;
    }

    Mono<AdminReply> revoke(HttpServerRequest request) {
        String token = request.param("token");
        return tokens.revoke(token)
                .map(existed -> {
                    if (!existed) {
                        throw ApiException.notFound("token_not_found", "no such token (unknown, expired or already revoked)");
                    }
                    return AdminReply.noContent();
                });
    }
}
