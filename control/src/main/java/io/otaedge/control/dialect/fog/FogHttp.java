package io.otaedge.control.dialect.fog;

import io.otaedge.control.dialect.NullKeepingJson;
import io.otaedge.control.http.JsonReply;
import io.otaedge.control.http.StoreOutage;
import io.otaedge.control.limits.ThrottledLog;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.reactivestreams.Publisher;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Sends FOG envelopes. Answers carry their meaning in {@code meta.code} and go out as HTTP 200, the
 * way the seed shows them; a bad token is HTTP 401 (code 401), the OSS token refusal HTTP 501 (code 501)
 * and a store failure HTTP 500 (code 500), none of which the seed lists.
 */
final class FogHttp {

    private static final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(FogHttp.class), ThrottledLog.INTERVAL);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private FogHttp() {
    }

    static Publisher<Void> send(HttpServerResponse response, Mono<FogReply> reply, String what) {
        return reply.map(r -> new Object[] {200, r})
                .onErrorResume(e -> {
                    if (e instanceof FogReply.Failure f) {
                        int status = f.code() == FogReply.UNAUTHORIZED || f.code() == FogReply.NO_OSS ? f.code() : 200;
                        return Mono.just(new Object[] {status, FogReply.error(f.code(), f.getMessage())});
                    }
                    if (e instanceof io.otaedge.control.http.ApiException a && "product_archived".equals(a.code())) {
                        // An archived product takes no new file (its firmware and task): the caller's mistake, in FOG's words.
                        return Mono.just(new Object[] {200, FogReply.error(FogReply.PARAMETER_ERROR, "参数错误:" + a.getMessage())});
                    }
                    log.warning(what, "FOG " + what + " failed", e);
                    if (StoreOutage.is(e)) {
                        response.header("Retry-After", Integer.toString(StoreOutage.RETRY_AFTER_SECONDS));
                        return Mono.just(new Object[] {503, FogReply.error(FogReply.UNAVAILABLE, "服务暂不可用 (the store is unavailable: retry later)")});
                    }
                    return Mono.just(new Object[] {500, FogReply.error(500, "internal error")});
                })
                .flatMap(r -> Mono.from(JsonReply.sendBytes(response, (Integer) r[0], NullKeepingJson.bytes(r[1]))));
    }

    /** The seed's timestamp shape, {@code 2018-11-13T22:34:47} (UTC). */
    static String now(Clock clock) {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).format(TIME);
    }
}
