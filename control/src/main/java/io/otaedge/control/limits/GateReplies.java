package io.otaedge.control.limits;

import java.util.List;
import java.util.Optional;

/**
 * How a dialect words a refusal the port's gate makes before routing (a malformed request-target, a body or
 * a JSON document over its limit) on the dialect's own paths, so its devices parse it as they would their
 * handler's answer. Each dialect brings its own ({@code Dialect.gateReplies()}); other paths get the native
 * {@code {"error","message"}}.
 */
@FunctionalInterface
public interface GateReplies {

    GateReplies NONE = (path, status, malformed, message) -> Optional.empty();

    /**
     * @param status    the refusal's own 4xx
     * @param malformed the request-target itself is malformed (a parameter error, in the dialect's words)
     * @return the reply, or empty when {@code path} is not this dialect's
     */
    Optional<LimitReplies.Reply> reply(String path, int status, boolean malformed, String message);

    /** The first of {@code all} that claims the path. */
    static GateReplies firstOf(List<GateReplies> all) {
        List<GateReplies> copy = List.copyOf(all);
        return (path, status, malformed, message) -> copy.stream()
                .map(g -> g.reply(path, status, malformed, message))
                .flatMap(Optional::stream)
                .findFirst();
    }
}
