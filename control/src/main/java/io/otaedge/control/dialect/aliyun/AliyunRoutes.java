package io.otaedge.control.dialect.aliyun;

import reactor.netty.http.server.HttpServerRoutes;

/** Aliyun Living's OTA paths. */
public final class AliyunRoutes {

    private final AliyunHandler handler;

    public AliyunRoutes(AliyunHandler handler) {
        this.handler = handler;
    }

    public void register(HttpServerRoutes routes) {
        routes.post("/living/ota/progress/get", handler.route(handler::progressGet))
                .post("/living/ota/firmware/file/get", handler.route(handler::fileGet))
                .post("/living/ota/progress/list", handler.route(handler::progressList))
                .post("/living/ota/confirm", handler.route(handler::confirm))
                .post("/living/ota/progress/report", handler.route(handler::progressReport));
    }
}
