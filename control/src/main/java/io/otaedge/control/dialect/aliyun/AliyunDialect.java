package io.otaedge.control.dialect.aliyun;

import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.dialect.Dialect;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.limits.GateReplies;
import io.otaedge.control.ratelimit.DeviceApiLimits;
import java.util.Optional;
import reactor.netty.http.server.HttpServerRoutes;

/** Aliyun Living's OTA calls (progress, firmware file, confirm, progress report) and the operator's iotToken. */
public final class AliyunDialect implements Dialect {

    public static final String NAME = "aliyun";

    private final AliyunRoutes routes;
    private final AliyunAdmin admin;
    private final DialectMeters meters;

    public AliyunDialect(DialectServices s) {
        this.meters = s.metrics().dialect(NAME);
        AliyunDevices lookup = new AliyunDevices(s.products(), s.devices(), s.tasks(), s.checks(), s.progress(), s.limiter(), meters);
        this.routes = new AliyunRoutes(new AliyunProgressCalls(lookup, s.devices(), s.tasks(), s.progress(), meters),
                new AliyunFirmwareCalls(lookup, s.progress(), s.edges(), meters));
        this.admin = new AliyunAdmin(s.products());
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
        return Optional.of(AliyunRoutes.limitRule());
    }

    @Override
    public GateReplies gateReplies() {
        return AliyunRoutes::gateReply;
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
