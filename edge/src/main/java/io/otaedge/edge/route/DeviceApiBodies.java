package io.otaedge.edge.route;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.otaedge.edge.exchange.Exchanges;
import java.io.ByteArrayOutputStream;

/**
 * Reads the body of a request on a device-API path whole, up to {@code maxBody} bytes, and hands it on
 * as one {@link DeviceApiRequest} followed by an empty {@link LastHttpContent}, so the download handler
 * sees it as any other request and keeps its one-at-a-time order. A body over the cap is dropped as it
 * arrives and the request goes on with a null body (the device API refuses it in its own words).
 * Everything else, downloads included, passes untouched: only a request head costs a path check.
 * In the pipeline only when the edge fronts a device API.
 */
public final class DeviceApiBodies extends ChannelInboundHandlerAdapter {

    private final int maxBody;
    private HttpRequest collecting;
    private ByteArrayOutputStream body;
    private boolean tooLarge;

    public DeviceApiBodies(int maxBody) {
        this.maxBody = maxBody;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (collecting == null) {
            if (msg instanceof HttpRequest req && !(msg instanceof HttpContent)
                    && req.decoderResult().isSuccess() && Route.isDeviceApi(req.uri())) {
                collecting = req;
                body = new ByteArrayOutputStream(256);
                tooLarge = false;
                return;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        if (!(msg instanceof HttpContent content)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            ByteBuf bytes = content.content();
            if (!tooLarge && body.size() + bytes.readableBytes() <= maxBody) {
                bytes.readBytes(body, bytes.readableBytes());
            } else {
                tooLarge = true;
            }
        } catch (java.io.IOException impossible) {
            throw new IllegalStateException(impossible);
        } finally {
            content.release();
        }
        if (msg instanceof LastHttpContent last) {
            DeviceApiRequest whole = new DeviceApiRequest(collecting, tooLarge ? null : body.toByteArray());
            if (last.decoderResult().isFailure()) {
                // A broken body (bad chunk framing): the download handler answers 400 and closes.
                whole.setDecoderResult(last.decoderResult());
            }
            collecting = null;
            body = null;
            // The connection's record answers with the request as read whole.
            Exchanges.of(ctx.channel()).replaceNewest(whole);
            ctx.fireChannelRead(whole);
            ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }
}
