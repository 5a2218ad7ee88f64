package io.otaedge.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.otaedge.edge.access.EdgeAccessLog;
import io.otaedge.edge.control.ControlHttpClient;
import io.otaedge.edge.route.DeviceApiBodies;
import io.otaedge.edge.download.DownloadContext;
import io.otaedge.edge.download.DownloadHandler;
import io.otaedge.edge.wire.EdgeServerCodec;
import io.otaedge.edge.metrics.ExchangeMeter;
import io.otaedge.edge.pipeline.ConnectionTimeouts;
import io.otaedge.edge.pipeline.KeepAliveHandler;
import io.otaedge.edge.pipeline.OverloadRefusal;

/**
 * Builds each connection's pipeline — TLS, timeouts, codec, chunked writer (TLS), keep-alive, meter, access log (when on),
 * device-API bodies, download handler (or the overload refusal above the cap) — and counts each in
 * {@link EdgeConnections}, which the connection cap is judged against. A connection above the cap is still
 * accepted and its first request read, so that it gets a clear 503 with Retry-After instead of a
 * reset; that costs one small response, never a token lookup or a file.
 */
final class EdgeChannelInitializer extends ChannelInitializer<Channel> {

    private final EdgeConfig config;
    private final DownloadContext context;
    /** The open connections; once they drain, every answer closes its connection. */
    private final EdgeConnections connections;
    /** Null for plain HTTP. */
    private final SslContext tls;

    EdgeChannelInitializer(EdgeConfig config, DownloadContext context, EdgeConnections connections, SslContext tls) {
        this.tls = tls;
        this.config = config;
        this.context = context;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel ch) {
        int now = connections.add(ch);
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        p.addLast("timeouts", new ConnectionTimeouts(config.idleTimeout(), config.readTimeout(), config.writeTimeout()));
        p.addLast("http", new EdgeServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxRequestLine())
                .setMaxHeaderSize(config.maxHeaderSize())
                // Bodies are discarded; small chunks keep the memory of a body we drop small.
                .setMaxChunkSize(8192)));
        if (tls != null) {
            // Bodies arrive as ChunkedInput (sendfile cannot encrypt); read one chunk per writable moment.
            p.addLast("chunked", new ChunkedWriteHandler());
        }
        p.addLast("keep-alive", new KeepAliveHandler(connections::draining));
        p.addLast("metrics", new ExchangeMeter(context.metrics()));
        if (config.accessLog().writes()) {
            // Off: not installed, so the log costs a download nothing.
            p.addLast("access-log", new EdgeAccessLog(config.accessLog(), context.luatosPath(), context.deviceApi() != null));
        }
        if (now > config.maxConnections()) {
            context.metrics().connectionRefused();
            p.addLast("overloaded", new OverloadRefusal(context.retryAfterSeconds()));
            return;
        }
        if (context.deviceApi() != null) {
            p.addLast("device-api-bodies", new DeviceApiBodies(ControlHttpClient.MAX_BODY));
        }
        p.addLast("download", new DownloadHandler(context));
    }
}
