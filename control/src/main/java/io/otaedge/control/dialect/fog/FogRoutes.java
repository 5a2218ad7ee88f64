package io.otaedge.control.dialect.fog;

import reactor.netty.http.server.HttpServerRoutes;

/** MXCHIP FOG's paths (with and without the trailing slash on a file's id; the seed's own "devce" typo too). */
public final class FogRoutes {

    private static final String FILES = "/api/v1/ota/{productId}/files/";

    private final FogFilesHandler files;
    private final FogDeviceHandler device;

    public FogRoutes(FogFilesHandler files, FogDeviceHandler device) {
        this.files = files;
        this.device = device;
    }

    public void register(HttpServerRoutes routes) {
        routes.post(FILES, files::create)
                .get(FILES, files::list)
                .get(FILES + "{id}", files::get)
                .get(FILES + "{id}/", files::get)
                .put(FILES + "{id}", files::update)
                .put(FILES + "{id}/", files::update)
                .delete(FILES + "{id}", files::delete)
                .delete(FILES + "{id}/", files::delete)
                .get("/api/v1/ota/device/", device::check)
                .get("/api/v1/ota/devce/", device::check)
                .put("/api/v1/ota/version/", device::version)
                .get("/oss_token/ota/", files::ossToken)
                .get("/oss_token/ota", files::ossToken);
    }
}
