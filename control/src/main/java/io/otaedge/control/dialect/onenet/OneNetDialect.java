package io.otaedge.control.dialect.onenet;

import io.otaedge.control.dialect.AbstractDialect;
import io.otaedge.control.dialect.DialectParts;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.metrics.DialectMeters;

/** China Mobile OneNET's south OTA API: the check, the token and version calls, and the operator's signing helpers. */
public final class OneNetDialect extends AbstractDialect {

    public static final String NAME = "onenet";

    /**
     * @param edgePublicIpAddress the edge's {@code ip:port} for devices that cannot resolve names ({@code cdn=false})
     * @param maxAdminBody        the largest JSON body the operator endpoints read
     */
    public record Settings(String edgePublicIpAddress, int maxAdminBody) {
    }

    public OneNetDialect(DialectServices s, Settings settings) {
        super(NAME, s, meters -> parts(s, settings, meters));
    }

    private static DialectParts parts(DialectServices s, Settings settings, DialectMeters meters) {
        OneNetAuthenticator auth = new OneNetAuthenticator(s.products(), s.clock());
        OneNetRoutes routes = new OneNetRoutes(new OneNetCheckHandler(auth, s.checks(), s.edges(), settings.edgePublicIpAddress(),
                meters, s.limiter()),
                new OneNetTokenCalls(auth, s.tokens(), s.progress(), s.devices(), s.clock(), meters),
                new OneNetVersionCalls(auth, s.progress(), s.devices(), meters));
        return DialectParts.devices(new OneNetAdmin(s.products(), settings.maxAdminBody(), s.clock()), routes::register,
                OneNetRoutes.limitRule(), OneNetRoutes::gateReply);
    }
}
