package io.otaedge.control.dialect.onenet;

import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.dialect.Dialect;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.limits.GateReplies;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import java.util.Optional;
import reactor.netty.http.server.HttpServerRoutes;

/** China Mobile OneNET's south OTA API: the check, the token and version calls, and the operator's signing helpers. */
public final class OneNetDialect implements Dialect {

    public static final String NAME = "onenet";

    /**
     * @param edgePublicIpAddress the edge's {@code ip:port} for devices that cannot resolve names ({@code cdn=false})
     * @param maxAdminBody        the largest JSON body the operator endpoints read
     */
    public record Settings(String edgePublicIpAddress, int maxAdminBody) {
    }

    private final OneNetRoutes routes;
    private final OneNetAdmin admin;
    private final DialectMeters meters;

    public OneNetDialect(DialectServices s, Settings settings) {
        this.meters = s.metrics().dialect(NAME);
        OneNetAuthenticator auth = new OneNetAuthenticator(s.products(), s.clock());
        this.routes = new OneNetRoutes(new OneNetCheckHandler(auth, s.checks(), s.edges(), settings.edgePublicIpAddress(),
                meters, s.limiter()),
                new OneNetTokenCalls(auth, s.tokens(), s.progress(), s.devices(), s.clock(), meters),
                new OneNetVersionCalls(auth, s.progress(), s.devices(), meters));
        this.admin = new OneNetAdmin(s.products(), settings.maxAdminBody(), s.clock());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void register(HttpServerRoutes deviceRoutes) {
        routes.register(deviceRoutes);
    }

    @Override
    public Optional<DeviceApiLimits.Rule> limitRule() {
        return Optional.of(OneNetRoutes.limitRule());
    }

    @Override
    public GateReplies gateReplies() {
        return OneNetRoutes::gateReply;
    }

    @Override
    public DialectAdmin admin() {
        return admin;
    }

    @Override
    public DialectMeters meters() {
        return meters;
    }
}
