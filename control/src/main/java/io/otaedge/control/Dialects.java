package io.otaedge.control;

import io.otaedge.control.cache.ReadCache;
import io.otaedge.control.dialect.Dialect;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.dialect.aliyun.AliyunDialect;
import io.otaedge.control.dialect.fog.FogDialect;
import io.otaedge.control.dialect.hawkbit.HawkbitDialect;
import io.otaedge.control.dialect.luatos.LuatosDialect;
import io.otaedge.control.dialect.onenet.OneNetDialect;
import io.otaedge.control.dialect.xiaozhi.XiaozhiDialect;
import java.util.List;

/**
 * The one list of device dialects, each built over the shared core with only the settings it needs. Adding a
 * dialect is its package under {@code dialect/} and one line here. It lives beside {@link ControlServer} (the
 * composition root), not in {@code dialect}, so the dialect packages, which use {@code dialect}'s seam, are
 * never imported back by it.
 */
final class Dialects {

    private Dialects() {
    }

    static List<Dialect> of(ControlConfig config, ReadCache.Policy catalogCache, DialectServices services) {
        return List.of(
                new OneNetDialect(services, new OneNetDialect.Settings(config.edgePublicIpAddress(), config.maxJsonBodySize())),
                new XiaozhiDialect(services, new XiaozhiDialect.Settings(config.xiaozhi(), config.maxJsonBodySize())),
                new FogDialect(services),
                new AliyunDialect(services),
                new LuatosDialect(services),
                new HawkbitDialect(services, config.maxJsonBodySize(), catalogCache));
    }
}
