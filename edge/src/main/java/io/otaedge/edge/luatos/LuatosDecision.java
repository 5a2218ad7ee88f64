package io.otaedge.edge.luatos;

import io.otaedge.common.token.TokenGrant;

/**
 * The control service's answer to a LuatOS request: serve this grant, refuse with a status {@code >= 300},
 * or the edge was refused itself ({@link Misconfigured}).
 */
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

    /**
     * Control refused the edge's own call (401/403: the secret; 404/405: no decision route where the edge
     * asked), so no device served by this edge can be decided until an operator fixes the configuration.
     *
     * @param controlStatus what control answered
     * @param fix           what to correct, naming the setting, for the operator's log
     */
    record Misconfigured(int controlStatus, String fix) implements LuatosDecision {
    }
}
