package io.otaedge.edge.http;

import io.netty.buffer.Unpooled;
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
import java.util.List;

/**
 * Answers {@code GET|HEAD /ota/download/<token>} once the grant and the open blob are known:
 * RFC 9110 range handling, then a response head followed by the body: a sendfile region, or for
 * small bodies a slice of the memory-mapped file (see {@link BlobFile#MAPPED_BODY_MAX}). Never
 * reads the file into the heap.
 */
final class FileResponder {

    private static final int TLS_CHUNK = 16 * 1024;

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
            Representation rep = Representations.of(grant, blob.lastModified());
            HttpHeaders rh = req.headers();

            switch (Preconditions.evaluate(rh, rep)) {
                case NOT_MODIFIED -> {
                    FullHttpResponse r = Responses.empty(HttpResponseStatus.NOT_MODIFIED, connection);
                    rep.addValidators(r.headers());
                    return ctx.writeAndFlush(r);
                }
                case PRECONDITION_FAILED -> {
                    return ctx.writeAndFlush(Responses.error(EdgeError.PRECONDITION_FAILED, connection, 0));
                }
                case PROCEED -> {
                }
            }
            // RFC 9110 §14.2: Range is defined for GET only; HEAD describes the full 200.
            String range = head ? null : rh.get(HttpHeaderNames.RANGE);
            RangeRequest ranges = range != null && Preconditions.rangeAllowed(rh.get(HttpHeaderNames.IF_RANGE), rep)
                    ? parseRange(range, size)
                    : RangeRequest.NONE;
            if (ranges instanceof RangeRequest.Unsatisfiable) {
                FullHttpResponse r = Responses.error(EdgeError.RANGE_NOT_SATISFIABLE, connection, 0);
                r.headers().set(WireHeaders.ACCEPT_RANGES, WireHeaders.BYTES);
                r.headers().set(WireHeaders.CONTENT_RANGE, "bytes */" + size);
                return ctx.writeAndFlush(r);
            }
            if (ranges instanceof RangeRequest.Satisfiable s) {
                List<ByteRange> parts = RangeCoalescer.coalesce(s.ranges(), context.maxRanges());
                if (parts.size() == 1) {
                    ByteRange r = parts.get(0);
                    EncodedHead res = rep.head().partial(ctx.alloc(), HttpDates.now(), connection, r, size);
                    return served(writeBody(ctx, context, res, blob, r.first(), r.length(), false), context, grant, parts);
                }
                if (!parts.isEmpty()) {
                    return served(writeMultipart(ctx, context, connection, rep, blob, new MultipartByteRanges(parts, size)),
                            context, grant, parts);
                }
                // Too many parts even after coalescing: ignore Range and serve the whole file.
            }
            // No Range, an ignored one, or one asking for too many parts.
            return writeWhole(ctx, context, grant, rep, blob, connection, head);
        } finally {
            blob.release();
        }
    }

    /**
     * RFC 9110 for {@code bytes=…}; the bare {@code a-b} form comes from OneNET devices that were
     * handed this URL, so it gets OneNET's lenient rules (never a 416 for them).
     */
    static RangeRequest parseRange(String range, long size) {
        if (range.indexOf('=') >= 0) {
            return RangeParser.parse(range, size);
        }
        ByteRange r = OneNetRange.parse(range, size);
        return r == null ? RangeRequest.NONE : RangeRequest.of(List.of(r));
    }

    /**
     * OneNET's dialect ({@code /ota/south/download/<token>}): its lenient Range rules, 206 with
     * {@code Content-Range} or 200, and the same descriptive headers as the standard path.
     */
    static ChannelFuture respondOneNet(ChannelHandlerContext ctx, HttpRequest req, TokenGrant grant, BlobFile blob,
                                       Disposition connection, DownloadContext context) {
        try {
            boolean head = HttpMethod.HEAD.equals(req.method());
            long size = blob.size();
            Representation rep = Representations.of(grant, blob.lastModified());
            ByteRange r = head ? null : OneNetRange.parse(req.headers().get(HttpHeaderNames.RANGE), size);
            if (r == null) {
                return writeWhole(ctx, context, grant, rep, blob, connection, head);
            }
            EncodedHead res = rep.head().partial(ctx.alloc(), HttpDates.now(), connection, r, size);
            return served(writeBody(ctx, context, res, blob, r.first(), r.length(), false), context, grant, List.of(r));
        } finally {
            blob.release();
        }
    }

    /** 200 with the whole file (its head only, for HEAD). */
    private static ChannelFuture writeWhole(ChannelHandlerContext ctx, DownloadContext context, TokenGrant grant,
                                            Representation rep, BlobFile blob, Disposition connection, boolean head) {
        long size = blob.size();
        EncodedHead res = rep.head().ok(ctx.alloc(), HttpDates.now(), connection, size);
        ChannelFuture last = writeBody(ctx, context, res, blob, 0, size, head);
        return head || size == 0 ? last : served(last, context, grant, List.of(new ByteRange(0, size - 1)));
    }

    /** Tells the context's listener about the body once it has been written completely. */
    private static ChannelFuture served(ChannelFuture last, DownloadContext context, TokenGrant grant,
                                        List<ByteRange> parts) {
        ServedBytesListener listener = context.served();
        if (listener != ServedBytesListener.NONE) {
            last.addListener(f -> {
                if (f.isSuccess()) {
                    long bytes = 0;
                    long end = 0;
                    for (ByteRange r : parts) {
                        bytes += r.length();
                        end = Math.max(end, r.last() + 1);
                    }
                    listener.served(grant, bytes, end);
                }
            });
        }
        return last;
    }

    private static ChannelFuture writeMultipart(ChannelHandlerContext ctx, DownloadContext context, Disposition connection,
                                                Representation rep,
                                                BlobFile blob, MultipartByteRanges body) {
        HttpResponse res = Responses.head(HttpResponseStatus.PARTIAL_CONTENT, connection);
        HttpHeaders h = res.headers();
        h.set(WireHeaders.CONTENT_TYPE, body.contentType());
        h.set(WireHeaders.CONTENT_LENGTH, body.contentLength());
        rep.addAll(h);
        ctx.write(res, ctx.voidPromise());
        List<ByteRange> parts = body.parts();
        for (int i = 0; i < parts.size(); i++) {
            ByteRange r = parts.get(i);
            ctx.write(Unpooled.wrappedBuffer(body.partHead(i)), ctx.voidPromise());
            ctx.write(body(context, blob, r.first(), r.length()), ctx.voidPromise());
        }
        ctx.write(Unpooled.wrappedBuffer(body.tail()), ctx.voidPromise());
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private static ChannelFuture writeBody(ChannelHandlerContext ctx, DownloadContext context, EncodedHead res,
                                           BlobFile blob, long position, long count, boolean headOnly) {
        ctx.write(res, ctx.voidPromise());
        if (!headOnly && count > 0) {
            ctx.write(body(context, blob, position, count), ctx.voidPromise());
        }
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** Plain HTTP: a sendfile region. TLS: chunks for the pipeline's chunked writer (TLS records are at most 16 KiB). */
    private static Object body(DownloadContext context, BlobFile blob, long position, long count) {
        // TLS must read what it encrypts; plain HTTP writes a mapped slice or a sendfile region.
        return context.chunkedBodies() ? blob.chunks(position, count, TLS_CHUNK) : blob.body(position, count);
    }
}
