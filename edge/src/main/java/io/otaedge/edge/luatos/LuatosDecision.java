package io.otaedge.edge.luatos;

import io.otaedge.common.token.TokenGrant;

/** The control service's answer to a LuatOS request: serve this grant, or refuse with a status {@code >= 300}. */
public sealed interface LuatosDecision {

    record Grant(TokenGrant grant) implements LuatosDecision {
    }

    /** {@code reason} is short text such as {@code "27 already latest"}. */
    record Refusal(int status, String reason) implements LuatosDecision {
        public Refusal {
            if (status < 300 || status > 599) {
                status = 503; // a refusal must never look like a firmware body
            }
        }
    }
}
