package io.otaedge.control.dialect.onenet;

import reactor.netty.http.server.HttpServerRoutes;

/** OneNET's device-facing paths. */
public final class OneNetRoutes {

    private final OneNetCheckHandler check;

    public OneNetRoutes(OneNetCheckHandler check) {
        this.check = check;
    }

    public void register(HttpServerRoutes routes) {
        routes.post("/ota/south/check", check::post)
                .get("/ota/south/check", check::get);
    }
}
