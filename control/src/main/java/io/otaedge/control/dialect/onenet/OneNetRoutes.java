package io.otaedge.control.dialect.onenet;

import reactor.netty.http.server.HttpServerRoutes;

/** OneNET's device-facing paths. */
public final class OneNetRoutes {

    private final OneNetCheckHandler check;
    private final OneNetTokenCalls tokenCalls;
    private final OneNetVersionCalls versionCalls;

    public OneNetRoutes(OneNetCheckHandler check, OneNetTokenCalls tokenCalls, OneNetVersionCalls versionCalls) {
        this.check = check;
        this.tokenCalls = tokenCalls;
        this.versionCalls = versionCalls;
    }

    public void register(HttpServerRoutes routes) {
        routes.post("/ota/south/check", check::post)
                .get("/ota/south/check", check::get)
                .post("/ota/device/version", versionCalls::report)
                .get("/ota/device/version", versionCalls::get)
                .get("/ota/south/download/{token}/check", tokenCalls::check)
                .post("/ota/south/device/download/{token}/progress", tokenCalls::progress)
                .post("/ota/south/report", tokenCalls::report);
    }
}
