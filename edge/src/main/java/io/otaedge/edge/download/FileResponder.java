package io.otaedge.edge.download;

import io.netty.buffer.ByteBuf;
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
import io.netty.handler.stream.ChunkedInput;
import io.netty.util.ReferenceCountUtil;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.file.BlobFile;
import io.otaedge.edge.exchange.Disposition;
import java.util.List;
import io.otaedge.edge.wire.EdgeError;
import io.otaedge.edge.wire.EncodedResponse;
import io.otaedge.edge.wire.Responses;
import io.otaedge.edge.wire.WireHeaders;
import io.otaedge.edge.range.ByteRange;
import io.otaedge.edge.range.HttpDates;
import io.otaedge.edge.range.MultipartByteRanges;
import io.otaedge.edge.range.OneNetRange;
import io.otaedge.edge.range.Preconditions;
import io.otaedge.edge.range.RangeCoalescer;
import io.otaedge.edge.range.RangeHeader;
import io.otaedge.edge.range.RangeRequest;

/**
 * Answers {@code GET|HEAD /ota/download/<token>} once the grant and the open blob are known:
 * RFC 9110 range handling, then a response head followed by the body. Heads of 200 and
 * single-range 206 answers come from the representation's {@link ResponseHeadTemplate}; their
 * body is copied from the file's memory map into the head's buffer when it is small
 * ({@link #INLINE_BODY_MAX}: the whole response is then one buffer and one write), else follows
 * as a slice of the map or a sendfile region (see {@link BlobFile#MAPPED_BODY_MAX}). Never reads
 * the file into the heap.
 */
final class FileResponder {

    private static final int TLS_CHUNK = 16 * 1024;
    /**
     * Bodies up to this size travel in the head's buffer: one copy of at most this much costs less
     * than a buffer, a pipeline write and a promise of their own. Covers the 512 B–4 KiB ranges
     * NB-IoT devices ask for.
     */
    static final int INLINE_BODY_MAX = 8 * 1024;

    private FileResponder() {
    }

    /**
     * Writes the whole response for {@code rep}, the representation of {@code grant}'s blob, and
     * returns the future of its last write; notes in {@code served} the file bytes it carries.
     * Consumes the caller's reference to {@code blob}. Throws only before its first write, so the
     * caller may still answer an error in place of the response.
     */
    static ChannelFuture respond(ChannelHandlerContext ctx, HttpRequest req, TokenGrant grant, BlobFile blob,
                                 Representation rep, Disposition connection, DownloadContext context,
                                 ServedBody served) {
        try {
            boolean head = HttpMethod.HEAD.equals(req.method());
            long size = blob.size();
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
            RangeRequest ranges = range != null && Preconditions.rangeAllowed(rh.getAll(HttpHeaderNames.IF_RANGE), rep)
                    ? RangeHeader.parse(range, size)
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
                    return writeRange(ctx, context, grant, rep, blob, connection, parts.get(0), served);
                }
                if (!parts.isEmpty()) {
                    served.set(grant, parts);
                    return writeMultipart(ctx, context, connection, rep, blob, new MultipartByteRanges(parts, size));
                }
                // Too many parts even after coalescing: ignore Range and serve the whole file.
            }
            // No Range, an ignored one, or one asking for too many parts.
            return writeWhole(ctx, context, grant, rep, blob, connection, head, served);
        } finally {
            blob.release();
        }
    }

    /**
     * OneNET's dialect ({@code /ota/south/download/<token>}): its lenient Range rules, 206 with
     * {@code Content-Range} or 200, and the same descriptive headers as the standard path.
     */
    static ChannelFuture respondOneNet(ChannelHandlerContext ctx, HttpRequest req, TokenGrant grant, BlobFile blob,
                                       Representation rep, Disposition connection, DownloadContext context,
                                       ServedBody served) {
        try {
            boolean head = HttpMethod.HEAD.equals(req.method());
            long size = blob.size();
            ByteRange r = head ? null : OneNetRange.parse(req.headers().get(HttpHeaderNames.RANGE), size);
            return r == null
                    ? writeWhole(ctx, context, grant, rep, blob, connection, head, served)
                    : writeRange(ctx, context, grant, rep, blob, connection, r, served);
        } finally {
            blob.release();
        }
    }

    /** 200 with the whole file (its head only, for HEAD). */
    private static ChannelFuture writeWhole(ChannelHandlerContext ctx, DownloadContext context, TokenGrant grant,
                                            Representation rep, BlobFile blob, Disposition connection, boolean head,
                                            ServedBody served) {
        long size = blob.size();
        long count = head ? 0 : size;
        ByteBuf res = rep.head().ok(ctx.alloc(), HttpDates.now(), connection, size, inlined(count));
        if (count > 0) {
            served.set(grant, new ByteRange(0, size - 1));
        }
        return write(ctx, context, HttpResponseStatus.OK, res, blob, 0, count);
    }

    /** 206 with one range. */
    private static ChannelFuture writeRange(ChannelHandlerContext ctx, DownloadContext context, TokenGrant grant,
                                            Representation rep, BlobFile blob, Disposition connection, ByteRange r,
                                            ServedBody served) {
        ByteBuf res = rep.head().partial(ctx.alloc(), HttpDates.now(), connection, r, blob.size(), inlined(r.length()));
        served.set(grant, r);
        return write(ctx, context, HttpResponseStatus.PARTIAL_CONTENT, res, blob, r.first(), r.length());
    }

    /** How much room a head's buffer needs for a body of {@code count} bytes travelling in it. */
    private static int inlined(long count) {
        return count <= INLINE_BODY_MAX ? (int) count : 0;
    }

    /**
     * Writes {@code head} (which it owns) and the body {@code [position, position + count)}: inside
     * the head's buffer when small, else as a write of its own. Returns the future of the last write.
     */
    private static ChannelFuture write(ChannelHandlerContext ctx, DownloadContext context, HttpResponseStatus status,
                                       ByteBuf head, BlobFile blob, long position, long count) {
        int code = status.code();
        if (count == 0) {
            return ctx.writeAndFlush(EncodedResponse.whole(code, head, 0));
        }
        boolean inline;
        try {
            inline = count <= INLINE_BODY_MAX && blob.copyTo(head, position, (int) count);
        } catch (RuntimeException e) {
            head.release();
            throw e;
        }
        if (inline) {
            return ctx.writeAndFlush(EncodedResponse.whole(code, head, count));
        }
        Object body;
        try {
            body = body(context, blob, position, count);
        } catch (RuntimeException e) {
            head.release();
            throw e;
        }
        ctx.write(EncodedResponse.head(code, head), ctx.voidPromise());
        ctx.write(body, ctx.voidPromise());
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private static ChannelFuture writeMultipart(ChannelHandlerContext ctx, DownloadContext context, Disposition connection,
                                                Representation rep,
                                                BlobFile blob, MultipartByteRanges body) {
        HttpResponse res = Responses.head(HttpResponseStatus.PARTIAL_CONTENT, connection);
        HttpHeaders h = res.headers();
        h.set(WireHeaders.CONTENT_TYPE, body.contentType());
        h.set(WireHeaders.CONTENT_LENGTH, body.contentLength());
        rep.addAll(h);
        List<ByteRange> parts = body.parts();
        Object[] bodies = new Object[parts.size()];
        try {
            for (int i = 0; i < bodies.length; i++) {
                bodies[i] = body(context, blob, parts.get(i).first(), parts.get(i).length());
            }
        } catch (RuntimeException e) {
            for (Object made : bodies) {
                discard(made);
            }
            throw e;
        }
        ctx.write(res, ctx.voidPromise());
        for (int i = 0; i < bodies.length; i++) {
            ctx.write(Unpooled.wrappedBuffer(body.partHead(i)), ctx.voidPromise());
            ctx.write(bodies[i], ctx.voidPromise());
        }
        ctx.write(Unpooled.wrappedBuffer(body.tail()), ctx.voidPromise());
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** Gives back a body never written (null: none). */
    private static void discard(Object body) {
        if (body instanceof ChunkedInput<?> chunks) {
            try {
                chunks.close();
            } catch (Exception ignored) {
                // our chunks only release their file reference
            }
        } else {
            ReferenceCountUtil.release(body);
        }
    }

    /** Plain HTTP: a sendfile region. TLS: chunks for the pipeline's chunked writer (TLS records are at most 16 KiB). */
    private static Object body(DownloadContext context, BlobFile blob, long position, long count) {
        // TLS must read what it encrypts; plain HTTP writes a mapped slice or a sendfile region.
        return context.chunkedBodies() ? blob.chunks(position, count, TLS_CHUNK) : blob.body(position, count);
    }
}
