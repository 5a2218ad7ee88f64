package io.otaedge.control.dialect.hawkbit;

import io.otaedge.control.cache.ReadCache;
import io.otaedge.control.dialect.AbstractDialect;
import io.otaedge.control.dialect.DialectParts;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.metrics.DialectMeters;

/**
 * Eclipse hawkBit's Direct Device Integration API (DDI v1), as SWUpdate's suricatta and other hawkBit clients
 * speak it: one tenant is one product, one controller one device, one action one task. Artifacts are served by
 * the edge through a download token, as hawkBit does with a separate download server.
 */
public final class HawkbitDialect extends AbstractDialect {

    public static final String NAME = "hawkbit";

    /**
     * @param maxBody the largest JSON body a device or operator may send ({@code OTA_MAX_JSON_BODY_SIZE})
     * @param cache   how long a local copy of a product's DDI settings may answer ({@code OTA_CATALOG_CACHE_TTL})
     */
    public HawkbitDialect(DialectServices s, int maxBody, ReadCache.Policy cache) {
        super(NAME, s, meters -> parts(s, maxBody, cache, meters));
    }

    private static DialectParts parts(DialectServices s, int maxBody, ReadCache.Policy cache, DialectMeters meters) {
        HawkbitStore store = new HawkbitStore(s.redis(), cache);
        HawkbitRoutes routes = new HawkbitRoutes(new HawkbitController(s.devices(), s.tasks(), s.checks(), s.progress(),
                s.edges(), store, new HawkbitSha1(s.firmwares(), s.blobs()), meters, s.clock()), store, maxBody);
        return DialectParts.devices(new HawkbitAdmin(s.products(), store, maxBody), routes::register,
                HawkbitRoutes.limitRule(), HawkbitRoutes::gateReply);
    }
}
