package io.otaedge.edge.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.file.BlobFile;
import io.otaedge.edge.http.Responses.Disposition;

/**
 * Answers {@code GET|HEAD /ota/download/<token>} once the grant and the open blob are known:
 * RFC 9110 range handling, then a response head followed by the body as a sendfile region.
 * Never reads the file into memory.
 */
final class FileResponder {

    private FileResponder() {
    }

    /**
     * Writes the whole response and returns the future of its last write. Consumes the caller's
     * reference to {@code blob}.
     */
    static ChannelFuture respond(ChannelHandlerContext ctx, HttpRequest req, TokenGrant grant, BlobFile blob,
                                 Disposition connection, DownloadContext context) {
        try {
            boolean head = HttpMethod.HEAD.equals(req.method());
            long size = blob.size();
            Representation rep = new Representation(grant, blob.lastModified());
            HttpHeaders rh = req.headers();

            // RFC 9110 §14.2: Range is defined for GET only; HEAD describes the full 200.
            RangeRequest ranges = head ? RangeRequest.NONE : RangeParser.parse(rh.get(HttpHeaderNames.RANGE), size);
            if (ranges instanceof RangeRequest.Unsatisfiable) {
                FullHttpResponse r = Responses.error(EdgeError.RANGE_NOT_SATISFIABLE, connection, 0);
                r.headers().set(WireHeaders.ACCEPT_RANGES, WireHeaders.BYTES);
                r.headers().set(WireHeaders.CONTENT_RANGE, "bytes */" + size);
                return ctx.writeAndFlush(r);
            }
            if (ranges instanceof RangeRequest.Satisfiable s && s.ranges().size() == 1) {
                ByteRange r = s.ranges().get(0);
                HttpResponse res = Responses.head(HttpResponseStatus.PARTIAL_CONTENT, connection);
                HttpHeaders h = res.headers();
                h.set(WireHeaders.CONTENT_TYPE, WireHeaders.OCTET_STREAM);
                h.set(WireHeaders.CONTENT_LENGTH, r.length());
                h.set(WireHeaders.CONTENT_RANGE, r.contentRange(size));
                rep.addAll(h);
                return writeBody(ctx, res, blob, r.first(), r.length(), false);
            }
            // No Range, an ignored one, or several ranges (served whole for now: RFC 9110 lets a server ignore Range).
            HttpResponse res = Responses.head(HttpResponseStatus.OK, connection);
            HttpHeaders h = res.headers();
            h.set(WireHeaders.CONTENT_TYPE, WireHeaders.OCTET_STREAM);
            h.set(WireHeaders.CONTENT_LENGTH, size);
            rep.addAll(h);
            return writeBody(ctx, res, blob, 0, size, head);
        } finally {
            blob.release();
        }
    }

    private static ChannelFuture writeBody(ChannelHandlerContext ctx, HttpResponse res, BlobFile blob,
                                           long position, long count, boolean headOnly) {
        ctx.write(res, ctx.voidPromise());
        if (!headOnly && count > 0) {
            ctx.write(blob.region(position, count), ctx.voidPromise());
        }
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }
}
