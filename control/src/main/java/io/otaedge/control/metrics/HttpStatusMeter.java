package io.otaedge.control.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Counts {@code ota_control_http_requests_total{port,status}} from the responses leaving one port:
 * a pipeline handler ahead of the HTTP codec, shared by every connection of the port. A status's
 * counter is registered the first time it is seen and kept in an array indexed by the code.
 */
@ChannelHandler.Sharable
public final class HttpStatusMeter extends ChannelOutboundHandlerAdapter {

    private final MeterRegistry registry;
    private final String port;
    private final AtomicReferenceArray<Counter> byStatus = new AtomicReferenceArray<>(600);

    HttpStatusMeter(MeterRegistry registry, String port) {
        this.registry = registry;
        this.port = port;
        // The usual answers exist from the start, so rate() has a series before the first one.
        for (int status : new int[] {200, 201, 400, 401, 404, 500, 503}) {
            counter(status);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse res) {
            counter(res.status().code()).increment();
        }
        ctx.write(msg, promise);
    }

    private Counter counter(int status) {
        int i = status >= 100 && status < 600 ? status : 0;
        Counter c = byStatus.get(i);
        if (c == null) {
            c = Counter.builder("ota.control.http.requests").description("HTTP requests answered")
                    .tag("port", port).tag("status", i == 0 ? "other" : Integer.toString(i)).register(registry);
            byStatus.set(i, c);
        }
        return c;
    }
}
