package io.otaedge.edge.download;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.file.BlobFile;
import io.netty.handler.codec.http.FullHttpResponse;
import io.otaedge.edge.exchange.Disposition;
import io.otaedge.edge.route.OneNetQuery;
import io.otaedge.edge.route.Route;
import io.otaedge.edge.wire.EdgeError;
import io.otaedge.edge.wire.Responses;

/**
 * How a download path answers, chosen once per request by its route (as Armeria's file variants are types,
 * never a flag threaded through calls): its query rules, its Range rules and its error shape. The head of
 * a 200 or 206 is the same for both (the representation's template).
 */
public enum DownloadStyle {

    /** {@code /ota/download/<token>} and LuatOS: RFC 9110 ranges and preconditions, JSON errors. */
    STANDARD {
        @Override
        boolean validQuery(String query) {
            return true;
        }

        @Override
        FullHttpResponse error(EdgeError error, Disposition connection, long retryAfterSeconds) {
            return Responses.error(error, connection, retryAfterSeconds);
        }

        @Override
        ChannelFuture respond(ChannelHandlerContext ctx, HttpRequest req, TokenGrant grant, BlobFile blob, Representation rep,
                          Disposition connection, DownloadContext context, ServedBody served) {
            return FileResponder.respond(ctx, req, grant, blob, rep, connection, context, served);
        }
    },

    /**
     * {@code /ota/south/download/<token>}: OneNET's lenient Range rules (never a 416, no preconditions), its
     * {@code s_id} query, and its one-byte error bodies without {@code Content-Length}, closing the connection.
     */
    ONENET {
        @Override
        boolean validQuery(String query) {
            return OneNetQuery.valid(query);
        }

        @Override
        FullHttpResponse error(EdgeError error, Disposition connection, long retryAfterSeconds) {
            return OneNetResponses.error(error, retryAfterSeconds);
        }

        @Override
        ChannelFuture respond(ChannelHandlerContext ctx, HttpRequest req, TokenGrant grant, BlobFile blob, Representation rep,
                          Disposition connection, DownloadContext context, ServedBody served) {
            return FileResponder.respondOneNet(ctx, req, grant, blob, rep, connection, context, served);
        }
    };

    /** The style of a route's downloads. */
    static DownloadStyle of(Route route) {
        return route.kind() == Route.Kind.ONENET ? ONENET : STANDARD;
    }

    /** Whether the download's query is acceptable (answered {@link EdgeError#BAD_PARAMETERS} when not). */
    abstract boolean validQuery(String query);

    /** The answer for {@code error}; it may close the connection whatever {@code connection} says. */
    abstract FullHttpResponse error(EdgeError error, Disposition connection, long retryAfterSeconds);

    /** Writes the file's response (see {@link FileResponder}); consumes the caller's reference to {@code blob}. */
    abstract ChannelFuture respond(ChannelHandlerContext ctx, HttpRequest req, TokenGrant grant, BlobFile blob, Representation rep,
                                   Disposition connection, DownloadContext context, ServedBody served);
}
