package io.otaedge.control.dialect.xiaozhi;

import reactor.netty.http.server.HttpServerRoutes;

/**
 * xiaozhi's device-facing paths, with and without the trailing slash firmware builds differ on; the OTA check
 * by POST (with system information) or GET (without).
 */
public final class XiaozhiRoutes {

    private final XiaozhiOtaHandler ota;
    private final XiaozhiActivateHandler activate;

    public XiaozhiRoutes(XiaozhiOtaHandler ota, XiaozhiActivateHandler activate) {
        this.ota = ota;
        this.activate = activate;
    }

    public void register(HttpServerRoutes routes) {
        routes.post("/v1/ota/", ota::handle)
                .post("/v1/ota", ota::handle)
                .get("/v1/ota/", ota::handleGet)
                .get("/v1/ota", ota::handleGet)
                .post("/v1/ota/activate", activate::handle)
                .post("/v1/ota/activate/", activate::handle);
    }
}
