package io.otaedge.control.dialect.aliyun;

import io.otaedge.control.dialect.AbstractDialect;
import io.otaedge.control.dialect.DialectParts;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.metrics.DialectMeters;

/** Aliyun Living's OTA calls (progress, firmware file, confirm, progress report) and the operator's iotToken. */
public final class AliyunDialect extends AbstractDialect {

    public static final String NAME = "aliyun";

    public AliyunDialect(DialectServices s) {
        super(NAME, s, meters -> parts(s, meters));
    }

    private static DialectParts parts(DialectServices s, DialectMeters meters) {
        AliyunDevices lookup = new AliyunDevices(s.products(), s.devices(), s.tasks(), s.checks(), s.progress(), s.limiter(), meters);
        AliyunRoutes routes = new AliyunRoutes(new AliyunProgressCalls(lookup, s.devices(), s.tasks(), s.progress(), meters),
                new AliyunFirmwareCalls(lookup, s.progress(), s.edges(), meters));
        return DialectParts.devices(new AliyunAdmin(s.products()), routes::register, AliyunRoutes.limitRule(),
                AliyunRoutes::gateReply);
    }
}
