package io.otaedge.edge.download;

import io.netty.channel.ChannelHandlerContext;
import io.otaedge.edge.logging.LogThrottle;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the download handler tells of what went wrong: a connection the pipeline failed (a client's reset or bad
 * TLS at debug, anything else a warning), and a bug while answering a request, with its stack trace. Warnings and
 * errors are throttled: a bug hit by every request must not flood the log.
 */
final class HandlerFailures {

    private static final Logger log = LoggerFactory.getLogger(DownloadHandler.class);
    private static final LogThrottle BUG_LOG = new LogThrottle(10, TimeUnit.SECONDS);

    private HandlerFailures() {
    }

    /** What reached the handler from the pipeline (the transport, TLS, a codec). */
    static void connectionFailed(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause.getCause() instanceof SSLException) {
            // Resets, and TLS handshakes gone wrong (a plain-HTTP client on the TLS port): the client's problem.
            log.debug("connection {} failed", ctx.channel().remoteAddress(), cause);
        } else if (BUG_LOG.allow()) {
            log.warn("connection {} failed", ctx.channel().remoteAddress(), cause);
        }
    }

    /** A bug while answering; {@code answered}: the response had started, so the connection closes. */
    static void answerFailed(ChannelHandlerContext ctx, boolean answered, Throwable t) {
        if (BUG_LOG.allow()) {
            log.error("failed answering a request on {}: {}", ctx.channel().remoteAddress(),
                    answered ? "closing the connection" : "answering 500", t);
        }
    }

    /** The 500 for a bug could not be written either. */
    static void errorAnswerFailed(ChannelHandlerContext ctx, Throwable again) {
        if (BUG_LOG.allow()) {
            log.error("the 500 for that failure could not be written either on {}; closing", ctx.channel().remoteAddress(),
                    again);
        }
    }
}
